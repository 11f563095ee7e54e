"""The public verify pages: type a code, or scan one, and see what it certifies.

Nothing a visitor types can cause an error page other than "not a code" (400), "mistyped"
(400) or "unknown" (404); the pages are rate limited per address to slow down guessing.
Search engines are kept away from them (robots.txt, a robots header and meta tag): a
crawler's visit is no shopper's check.
"""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace.certification.services import checks, counterfeit_reports, page_labels, trace_codes, verification
from marketplace.certification.forms import CounterfeitReportForm, VerifyForm
from marketplace.certification.services.trace_codes import (
    TraceCodeError,
    UnknownTraceCode,
)
from marketplace.certification.views import template_helpers
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.core.i18n import current_language
from marketplace.extensions import limiter

bp = Blueprint("certification_public", __name__)
bp.context_processor(template_helpers)


def trace_code_filter(code: str | None) -> str:
    """Show a stored code as printed: "K7QM-2XHD-9RTA"."""
    return trace_codes.display(code) if code else ""


def _rate_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _report_rate_limit() -> str:
    return current_app.config["VERIFY_REPORT_RATE_LIMIT"]


@bp.after_request
def _not_for_robots(response):
    """Ask search engines and link previews not to index or follow the verify pages."""
    response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
    return response


@bp.get("/robots.txt")
def robots_txt():
    """Keep crawlers off the verify pages: their visits are no shopper's checks."""
    body = "User-agent: *\nDisallow: /verify\n"
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


def _check_client() -> checks.CheckClient:
    """Who asks, read from the request; the place only from the configured proxy header."""
    header = current_app.config["VERIFY_PLACE_HEADER"]
    place = checks.clean_place(request.headers.get(header)) if header else ""
    purpose = " ".join(request.headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Purpose",
                                                                  "X-Moz")).lower()
    passive = request.method == "HEAD" or "prefetch" in purpose or "preview" in purpose
    return checks.CheckClient(request.remote_addr or "", request.user_agent.string or "", place, passive)


def _form_page(form: VerifyForm, status: int = 200, error: TraceCodeError | None = None):
    if error is not None:
        form.code.errors = list(form.code.errors) + [str(error)]
    return render_template("certification/verify_form.html", form=form,
                           mistyped=getattr(error, "kind", "") == "mistyped"), status


@bp.get("/verify")
@limiter.limit(_rate_limit)
def verify_form():
    """The form to type a code; a sent code is tidied and opens its page."""
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return _form_page(VerifyForm(formdata=None))
    if not form.validate():
        return _form_page(form, 400)
    try:
        code = trace_codes.normalise(form.code.data)
    except TraceCodeError as error:
        return _form_page(form, 400, error)
    return redirect(url_for("certification_public.verify_code", code=trace_codes.display(code)))


def _canonical_or_error(code: str):
    """Return (canonical display form, None) or (None, error response)."""
    try:
        canonical = trace_codes.display(trace_codes.normalise(code))
    except TraceCodeError as error:
        return None, _form_page(VerifyForm(formdata=None, code=code[:200]), 400, error)
    return canonical, None


@bp.get("/verify/<code>")
@limiter.limit(_rate_limit)
def verify_code(code: str):
    """What a code certifies, with its certificate and authorization, as of now."""
    canonical, failure = _canonical_or_error(code)
    if failure is not None:
        return failure
    if canonical != code:
        return redirect(url_for("certification_public.verify_code", code=canonical), 301)
    try:
        result = verification.verify(code, current_user, client=_check_client(),
                                     language=current_language())
    except UnknownTraceCode as error:
        return render_template("certification/verify_unknown.html", code=canonical, message=str(error)), 404
    return render_template("certification/verify.html", v=result, language=current_language(),
                           t=page_labels.verify_labels())


@bp.get("/verify/<code>/history")
@limiter.limit(_rate_limit)
def history(code: str):
    """The public decisions about the code's batch and authorization (no personal data)."""
    canonical, failure = _canonical_or_error(code)
    if failure is not None:
        return failure
    if canonical != code:
        return redirect(url_for("certification_public.history", code=canonical), 301)
    try:
        trace_code, entries = verification.history_for_code(code)
    except UnknownTraceCode as error:
        return render_template("certification/verify_unknown.html", code=canonical, message=str(error)), 404
    return render_template("certification/verify_history.html", trace_code=trace_code, entries=entries)


@bp.route("/verify/report", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["GET"])
@limiter.limit(_report_rate_limit, methods=["POST"])
def report_counterfeit():
    """Tell the market supervisor about a suspected counterfeit; the code comes prefilled."""
    form = CounterfeitReportForm()
    if request.method == "GET":
        form = CounterfeitReportForm(formdata=None, code=(request.args.get("code") or "")[:40])
    elif form.validate_on_submit():
        try:
            report = counterfeit_reports.file_report(
                form.code.data, form.message.data, form.contact.data, reporter=current_user,
                photos=form.uploads(current_app.config["PHOTO_MAX_BYTES"]))
        except DomainError as error:
            show_error(form, error)
        else:
            return render_template("certification/verify_report_sent.html", report=report)
    status = 400 if request.method == "POST" else 200
    return render_template("certification/verify_report.html", form=form), status
