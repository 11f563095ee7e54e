"""Public pages: the home page and the cooperatives' profiles."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from marketplace.cooperatives.models import Cooperative, CooperativeStatus, County
from marketplace.extensions import db

bp = Blueprint("storefront", __name__)


@bp.get("/")
def home():
    cooperatives = db.session.scalars(
        select(Cooperative)
        .where(Cooperative.status != CooperativeStatus.SUSPENDED)
        .order_by(Cooperative.created_at.desc())
        .limit(12)
    ).all()
    provinces = db.session.execute(
        select(County.province_zh, County.province_en, func.count(Cooperative.id))
        .join(Cooperative, Cooperative.county_code == County.code)
        .where(Cooperative.status != CooperativeStatus.SUSPENDED)
        .group_by(County.province_zh, County.province_en)
        .order_by(func.count(Cooperative.id).desc())
    ).all()
    return render_template("storefront/home.html", cooperatives=cooperatives, provinces=provinces)


@bp.get("/cooperatives/<int:cooperative_id>")
def cooperative(cooperative_id: int):
    """The cooperative's public profile."""
    from flask_login import current_user

    from marketplace.cooperatives.services import membership_of

    record = db.get_or_404(Cooperative, cooperative_id)
    return render_template(
        "storefront/cooperative.html",
        cooperative=record,
        is_member=membership_of(current_user, record.id) is not None,
    )
