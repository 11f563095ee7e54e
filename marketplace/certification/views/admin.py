"""The market supervisor's list of suspected counterfeits reported from the verify pages."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from marketplace.core.permissions import supervisor_required
from marketplace.certification.services import counterfeit_reports as reports

bp = Blueprint("certification_admin", __name__, url_prefix="/admin/counterfeit-reports")


@bp.get("/")
@supervisor_required
def counterfeit_reports():
    """Reports newest first, each with the code's certificate and cooperative when known."""
    page_number = request.args.get("page", 1, type=int) or 1
    page = reports.reports_page(max(1, min(page_number, 10**6)), current_app.config["AUDIT_PAGE_SIZE"])
    return render_template("certification/supervisor_counterfeit_reports.html", page=page)
