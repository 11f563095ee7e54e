"""Demo counties, people and cooperatives."""
from __future__ import annotations

import secrets

import click
from sqlalchemy import select
from stdnum.cn import uscc

from marketplace.core.database import write_transaction
from marketplace.accounts.models import OfficialAppointment, User
from marketplace.cooperatives.models import (
    Cooperative,
    CooperativeStatus,
    MemberRole,
    Membership,
)
from marketplace.cooperatives.cli import load_counties_into_db  # noqa: F401  (the demo's first step)
from marketplace.extensions import db

#: The one password of every demo account (printed by `flask demo load`).
DEMO_PASSWORD = "terroir-demo-2026"

#: (email, name, supervisor?, counties appointed to as official)
DEMO_PEOPLE = [
    ("supervisor@terroir.demo", "市场监管 王敏 (Supervisor)", True, []),
    ("official.hangzhou@terroir.demo", "西湖区官员 陈立 (Official)", False, ["330106", "330110"]),
    ("official.wuchang@terroir.demo", "五常市官员 刘洋 (Official)", False, ["230184"]),
    ("official.fujian@terroir.demo", "安溪县官员 林芳 (Official)", False, ["350524", "350782"]),
    ("official.zhongning@terroir.demo", "中宁县官员 马军 (Official)", False, ["640521"]),
    ("seller.longjing@terroir.demo", "龙井合作社 张伟 (Seller)", False, []),
    ("seller.wuchang@terroir.demo", "五常稻农 李娜 (Seller)", False, []),
    ("seller.anxi@terroir.demo", "安溪茶农 黄强 (Seller)", False, []),
    ("seller.goji@terroir.demo", "中宁枸杞 马丽 (Seller)", False, []),
    ("seller.pinggu@terroir.demo", "平谷桃农 赵磊 (Seller)", False, []),
    ("consumer@terroir.demo", "顾客 周静 (Consumer)", False, []),
    ("consumer2@terroir.demo", "Alex Consumer", False, []),
]

#: (owner email, name, county, organisation code body, address, description)
DEMO_COOPERATIVES = [
    ("seller.longjing@terroir.demo", "杭州西湖龙井茶农专业合作社", "330106", "MA2H7LJ01",
     "杭州市西湖区龙井村 88 号", "Tea growers of Longjing village, picking by hand since 1950."),
    ("seller.wuchang@terroir.demo", "五常市稻花香水稻种植专业合作社", "230184", "MA1W5CH02",
     "黑龙江省五常市民乐朝鲜族乡", "Daohuaxiang No. 2 rice from the black soil of Wuchang."),
    ("seller.anxi@terroir.demo", "安溪县铁观音茶叶专业合作社", "350524", "MA3AX0G03",
     "福建省泉州市安溪县西坪镇", "Tieguanyin from the birthplace of the cultivar."),
    ("seller.goji@terroir.demo", "中宁县枸杞种植专业合作社", "640521", "MA4YN6Q04",
     "宁夏中卫市中宁县宁安镇", "Ningxia goji dried in the sun of the Yellow River valley."),
    ("seller.pinggu@terroir.demo", "北京平谷大桃种植专业合作社", "110117", "MA5PG7T05",
     "北京市平谷区刘家店镇", "Peaches from the Pinggu hills, picked at 70 % ripeness."),
]


def credit_code_for(county_code: str, body: str) -> str:
    """A well-formed unified social credit code for a demo farmers' cooperative (type 93)."""
    first17 = ("93" + county_code + body)[:17]
    return uscc.validate(first17 + uscc.calc_check_digit(first17))


def _user(email: str, name: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=name, session_token=secrets.token_hex(16))
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    return user


def load_people() -> None:
    with write_transaction():
        with click.progressbar(DEMO_PEOPLE, label="People", show_pos=True) as bar:
            for email, name, supervisor, counties in bar:
                user = _user(email, name)
                user.is_supervisor = user.is_supervisor or supervisor
                db.session.flush()
                for code in counties:
                    exists = db.session.scalar(select(OfficialAppointment.id).where(
                        OfficialAppointment.user_id == user.id, OfficialAppointment.county_code == code))
                    if not exists:
                        db.session.add(OfficialAppointment(user_id=user.id, county_code=code))


def load_cooperatives() -> None:
    with write_transaction():
        with click.progressbar(DEMO_COOPERATIVES, label="Cooperatives", show_pos=True) as bar:
            for owner_email, name, county, body, address, description in bar:
                code = credit_code_for(county, body)
                cooperative = db.session.scalar(select(Cooperative).where(Cooperative.credit_code == code))
                if cooperative is None:
                    owner = db.session.scalar(select(User).where(User.email == owner_email))
                    cooperative = Cooperative(
                        name=name, credit_code=code, county_code=county, address=address,
                        phone="0571-87654321" if county.startswith("33") else "13800138000",
                        description=description, status=CooperativeStatus.VERIFIED,
                    )
                    cooperative.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
                    db.session.add(cooperative)


def demo_logins() -> list[tuple[str, str]]:
    return [(email, name) for email, name, _s, _c in DEMO_PEOPLE]
