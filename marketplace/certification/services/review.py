"""An official's review of a batch: what the validation report leaves to a person, answered.

The report marks some findings "to check" (a warning, not a failure): an origin county only
partly inside the protected area, a value the standard gives no limit for, a grade no
measurement can confirm. Certifying needs the lab report document on file, the official's
word that they read it, and for every such finding an explicit answer (ok / not ok) and a
note; a finding answered "not ok" is a reason to reject, not to certify. What was checked
is kept with the certificate and shown on the public verify page.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from gi_standards import Report
from marketplace.core.errors import DomainError

ANSWERS = ("ok", "not_ok")
MAX_NOTE_LENGTH = 1000


@dataclass(frozen=True)
class Answer:
    """The official's answer on one finding to check: "ok" or "not_ok", and a note."""

    answer: str | None
    note: str | None


@dataclass(frozen=True)
class ToCheck:
    """A finding the official must answer, with the form fields that hold the answer."""

    key: str
    index: int
    message_zh: str
    message_en: str

    @property
    def answer_field(self) -> str:
        return f"check_{self.index}_answer"

    @property
    def note_field(self) -> str:
        return f"check_{self.index}_note"

    def message(self, language: str) -> str:
        return self.message_zh if language.startswith("zh") else self.message_en


def to_check(report: Mapping | None) -> list[ToCheck]:
    """The findings of a stored report that need the official's answer, in report order."""
    if not report:
        return []
    try:
        findings = Report.from_dict(report).warnings
    except (KeyError, TypeError, ValueError):
        return []
    return [ToCheck(f"{finding.rule}:{finding.field}", index, finding.message_zh, finding.message_en)
            for index, finding in enumerate(findings)]


def check_lab_report(batch) -> None:
    """Refuse a batch without its lab report document (figures typed in are not a report)."""
    if not batch.lab_report_file:
        raise DomainError(_l("This batch has no lab report document attached, so it cannot be "
                                    "certified. The cooperative must attach the lab's report to the "
                                    "batch first."), "batch")


def record_review(batch, report: Mapping | None, *, lab_report_read: bool,
                  answers: Mapping[str, Answer]) -> dict:
    """Check the official's answers against the report and return what the certificate keeps.

    Raises DomainError naming the form field (answer or note) that is missing or
    says "not ok".
    """
    check_lab_report(batch)
    if not lab_report_read:
        raise DomainError(_l("Confirm that you read the lab report and that it matches the batch."),
                                 "lab_report_read")
    checks = []
    for item in to_check(report):
        given = answers.get(item.key) or Answer(None, None)
        if given.answer not in ANSWERS:
            raise DomainError(_l("Answer this finding: in order, or not in order."), item.answer_field)
        note = (given.note or "").strip()
        if not note:
            raise DomainError(_l("Say what you checked, in a note."), item.note_field)
        if len(note) > MAX_NOTE_LENGTH:
            raise DomainError(_l("Keep it under %(n)d characters.", n=MAX_NOTE_LENGTH), item.note_field)
        if given.answer == "not_ok":
            raise DomainError(_l("You found this not in order: reject the batch, with this as the "
                                        "reason, instead of certifying it."), item.answer_field)
        checks.append({"key": item.key, "message_zh": item.message_zh, "message_en": item.message_en,
                       "answer": given.answer, "note": note})
    return {
        "lab_report": {"laboratory": batch.lab_name or "", "number": batch.lab_report_number or "",
                       "read": True},
        "checks": checks,
    }
