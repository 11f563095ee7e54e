"""Demo data for the public index: cooperatives in counties lifted out of poverty, two
years of order history, some logged searches, and every finished month published.

Runs in two steps: `load_supply` before the search step (so its listings are indexed) and
`load_history` last (it buys every demo listing and publishes the months).
"""
from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

import click
from sqlalchemy import func, insert, select

from marketplace.accounts.models import User
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.cooperatives.models import Cooperative, CooperativeStatus, Membership, MemberRole
from marketplace.core.database import write_transaction
from marketplace.demo.people import DEMO_PASSWORD, credit_code_for
from marketplace.extensions import db
from marketplace.insights import snapshots, synthetic
from marketplace.insights.errors import MonthAlreadyPublished
from marketplace.orders.models import Order
from marketplace.search.query_log import SearchQueryLog
from marketplace.core.timeutil import utcnow

#: (owner email, cooperative, county code: all on the poverty-lifted list, listing title, price in fen)
POVERTY_COOPERATIVES = (
    ("seller.xunwu@terroir.demo", "寻乌县百香果种植专业合作社", "360734", "MA5XW0P01", "寻乌百香果 2.5 kg", 6800),
    ("seller.anyuan@terroir.demo", "安远县红薯干加工专业合作社", "360726", "MA5AY0P02", "安远红薯干 500 g", 3900),
    ("seller.yudu@terroir.demo", "于都县富硒蔬菜专业合作社", "360731", "MA5YD0P03", "于都富硒蔬菜礼盒", 12800),
    ("seller.xingguo@terroir.demo", "兴国县油茶专业合作社", "360732", "MA5XG0P04", "兴国山茶油 1 L", 16800),
    ("seller.ningdu@terroir.demo", "宁都县黄鸡养殖专业合作社", "360730", "MA5ND0P05", "宁都黄鸡 整只", 9800),
    ("seller.huichang@terroir.demo", "会昌县米粉加工专业合作社", "360733", "MA5HC0P06", "会昌米粉 1 kg", 2900),
)
HISTORY_MONTHS = 24
HISTORY_ORDERS = 2400
SEARCH_WORDS = (("longjing-tea", "西湖龙井"), ("longjing-tea", "龙井"), ("wuchang-rice", "五常大米"),
                ("anxi-tieguanyin", "铁观音"), ("ningxia-goji", "枸杞"), ("", "百香果"), ("", "山茶油"),
                ("", "松露"), ("", "牦牛肉干"))


def load_supply() -> None:
    """Cooperatives of counties lifted out of poverty, each with a live listing (idempotent)."""
    added = 0
    with write_transaction():
        for email, name, county, body, title, price in POVERTY_COOPERATIVES:
            code = credit_code_for(county, body)
            if db.session.scalar(select(Cooperative.id).where(Cooperative.credit_code == code)):
                continue
            owner = db.session.scalar(select(User).where(User.email == email))
            if owner is None:
                owner = User(email=email, display_name=name, session_token=secrets.token_hex(16))
                owner.set_password(DEMO_PASSWORD)
                db.session.add(owner)
            cooperative = Cooperative(name=name, credit_code=code, county_code=county, address=f"{name} 村委会旁",
                                      phone="13800138000", description="脱贫县合作社 (demo)",
                                      status=CooperativeStatus.VERIFIED,
                                      created_at=utcnow() - timedelta(days=3 * 365))
            cooperative.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
            db.session.add(Listing(cooperative=cooperative, title=title,
                                   category="other" if "米粉" in title else "fruit", price_minor=price,
                                   unit="1 份", weight_grams=1000, stock=500, status=ListingStatus.ACTIVE))
            added += 1
    click.echo(f"  {added} cooperatives in counties lifted out of poverty")


def load_history() -> None:
    """Two years of synthetic orders and searches, then publish every finished month."""
    now = utcnow().replace(tzinfo=None)
    current = snapshots.current_month()
    first = current.back(HISTORY_MONTHS + 1)[0]
    start, _ = first.naive_bounds(snapshots.zone())
    if not db.session.scalar(select(func.count()).select_from(Order).where(
            Order.street.like(f"{synthetic.MARKER} %"))):
        buyers = list(db.session.scalars(select(User.id).where(User.email.like("consumer%@terroir.demo"))))
        listings = synthetic.listings_for_sale()
        if not buyers or not listings:
            click.echo("  No demo buyers or listings: skipping the index history.")
            return
        # More buyers than the two demo consumers, so "buyers" is a figure worth charting.
        with click.progressbar(length=HISTORY_ORDERS, label="Order history", show_pos=True) as bar:
            synthetic.generate(HISTORY_ORDERS, buyers, listings, start, now - timedelta(days=1), progress=bar.update)
        _searches(start, now)
    published = 0
    with click.progressbar(current.back(HISTORY_MONTHS + 1)[:-1], label="Publishing months") as bar:
        for month in bar:
            try:
                snapshots.publish_month(month)
                published += 1
            except MonthAlreadyPublished:
                continue
    snapshots.refresh_provisional(current, force=True)
    click.echo(f"  {published} months published; {current} provisional")


def _searches(start: datetime, end: datetime) -> None:
    rng = random.Random(15)
    span = (end - start).total_seconds()
    rows = []
    for _ in range(600):
        product, word = rng.choice(SEARCH_WORDS)
        found = 0 if word in ("松露", "牦牛肉干") else rng.randint(1, 12)
        rows.append({"searched_at": start + timedelta(seconds=rng.random() * span), "query": word,
                     "result_count": found, "gi_product": product})
    with write_transaction():
        db.session.execute(insert(SearchQueryLog.__table__), rows)
