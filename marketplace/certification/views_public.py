"""The public verify pages: type a code, or scan one, and see what it certifies.

Nothing a visitor types can cause an error page other than "not a code" (400), "mistyped"
(400) or "unknown" (404); the pages are rate limited per address to slow down guessing.
"""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace.certification import trace_codes, verification
from marketplace.certification.forms import VerifyForm
from marketplace.certification.trace_codes import TraceCodeError, UnknownTraceCode
from marketplace.extensions import limiter
from marketplace.i18n import current_language

bp = Blueprint("verify", __name__)


@bp.context_processor
def _product_name():
    """Give templates `product_name(slug)`; the catalogue is read only when a page uses it."""
    from marketplace.certification.catalogue import product_name
    from marketplace.i18n import current_language as language

    from marketplace.certification.trace_codes import package_of

    return {"product_name": lambda slug: product_name(slug, language()),
            # For the include _verify_package.html: "package N of M" of a package code.
            "package_of": package_of}


@bp.app_template_filter("trace_code")
def _trace_code_filter(code: str | None) -> str:
    """Show a stored code as printed: "K7QM-2XHD-9RTA"."""
    return trace_codes.display(code) if code else ""


def _rate_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


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
    return redirect(url_for("verify.verify_code", code=trace_codes.display(code)))


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
        return redirect(url_for("verify.verify_code", code=canonical), 301)
    try:
        result = verification.verify(code, current_user, is_head=request.method == "HEAD",
                                     language=current_language())
    except UnknownTraceCode as error:
        return render_template("certification/verify_unknown.html", code=canonical, message=str(error)), 404
    return render_template("certification/verify.html", v=result, language=current_language())


@bp.get("/verify/<code>/history")
@limiter.limit(_rate_limit)
def history(code: str):
    """The public decisions about the code's batch and authorization (no personal data)."""
    canonical, failure = _canonical_or_error(code)
    if failure is not None:
        return failure
    if canonical != code:
        return redirect(url_for("verify.history", code=canonical), 301)
    try:
        trace_code, entries = verification.history_for_code(code)
    except UnknownTraceCode as error:
        return render_template("certification/verify_unknown.html", code=canonical, message=str(error)), 404
    return render_template("certification/verify_history.html", trace_code=trace_code, entries=entries)
