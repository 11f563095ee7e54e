"""Handling a complaint, the same for supervisors and officials (the service says who may)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.supervision.forms import ComplaintStepForm, NoteForm
from marketplace.supervision.models import COMPLAINT_TRANSITIONS
from marketplace.supervision.services import complaint_queries, complaints
from marketplace.supervision.views.common import attempt, status_of
from marketplace.core.timeutil import utcnow


def _area() -> str:
    return "supervision_admin" if request.blueprint == "supervision_admin" else "supervision_official"


def complaint_list(user):
    return render_template("supervision/handler_complaints.html", area=_area(), today=utcnow().date(),
                           complaints=complaint_queries.handler_complaints(user), labels=complaints.STATUS_LABELS)


def complaint_page(complaint_id: int, step_form=None, note_form=None):
    complaint, role = complaint_queries.handler_complaint(current_user, complaint_id)
    step_form = step_form or ComplaintStepForm(formdata=None)
    step_form.status.choices = [(s.value, complaints.STATUS_LABELS[s])
                                for s in sorted(COMPLAINT_TRANSITIONS[complaint.status], key=lambda s: s.value)]
    return render_template("supervision/handler_complaint.html", area=_area(), complaint=complaint, role=role,
                           step_form=step_form, note_form=note_form or NoteForm(formdata=None),
                           labels=complaints.STATUS_LABELS,
                           address=complaints.complainant_address(complaint)), status_of(step_form, note_form)


def step(complaint_id: int):
    form = ComplaintStepForm()
    complaint_queries.handler_complaint(current_user, complaint_id)  # 403 before reading the form
    if form.validate_on_submit() and attempt(form, lambda: complaints.move_complaint(
            current_user, complaint_id, form.status.data, form.note.data)) is not None:
        flash(_("The complaint moved on; the complainant is told."), "success")
        return redirect(url_for(f"{_area()}.complaint", complaint_id=complaint_id))
    return complaint_page(complaint_id, step_form=form)


def note(complaint_id: int):
    form = NoteForm()
    complaint_queries.handler_complaint(current_user, complaint_id)
    if form.validate_on_submit() and attempt(form, lambda: complaints.add_note(
            current_user, complaint_id, form.note.data)) is not None:
        flash(_("Note kept."), "success")
        return redirect(url_for(f"{_area()}.complaint", complaint_id=complaint_id))
    return complaint_page(complaint_id, note_form=form)
