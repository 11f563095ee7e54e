"""Small factories: each test builds the rows it needs, with overrides for what matters."""
from __future__ import annotations

import itertools
import secrets

import pytest

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"

COUNTY_ROWS = {
    "330106": ("西湖区", "Xihu District", "杭州市", "Hangzhou", "浙江省", "Zhejiang"),
    "330110": ("余杭区", "Yuhang District", "杭州市", "Hangzhou", "浙江省", "Zhejiang"),
    "230184": ("五常市", "Wuchang", "哈尔滨市", "Harbin", "黑龙江省", "Heilongjiang"),
    "350524": ("安溪县", "Anxi County", "泉州市", "Quanzhou", "福建省", "Fujian"),
    "640521": ("中宁县", "Zhongning County", "中卫市", "Zhongwei", "宁夏回族自治区", "Ningxia"),
    "110117": ("平谷区", "Pinggu District", "北京市", "Beijing", "北京市", "Beijing"),
}


def valid_credit_code(county_code: str = "330106") -> str:
    from stdnum.cn import uscc

    body = ("93" + county_code + secrets.token_hex(5).upper())[:17]
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def make_county(app):
    from marketplace.cooperatives.models import County
    from marketplace.extensions import db

    def make(code: str = "330106") -> County:
        existing = db.session.get(County, code)
        if existing:
            return existing
        zh, en, city_zh, city_en, prov_zh, prov_en = COUNTY_ROWS.get(
            code, (f"县{code}", f"County {code}", "某市", "Some City", "某省", "Some Province"))
        county = County(code=code, name_zh=zh, name_en=en, city_zh=city_zh, city_en=city_en,
                        province_zh=prov_zh, province_en=prov_en)
        db.session.add(county)
        db.session.commit()
        return county

    return make


@pytest.fixture
def make_user(app, make_county):
    from marketplace.accounts.models import OfficialAppointment, User
    from marketplace.extensions import db

    def make(email: str | None = None, *, password: str = PASSWORD, name: str = "Test User",
             supervisor: bool = False, official_of: tuple[str, ...] = ()) -> User:
        user = User(email=email or f"user{next(_seq)}@example.com", display_name=name,
                    session_token=secrets.token_hex(16), is_supervisor=supervisor)
        user.set_password(password)
        db.session.add(user)
        for code in official_of:
            make_county(code)
            db.session.add(OfficialAppointment(user=user, county_code=code))
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_cooperative(app, make_county, make_user):
    from marketplace.cooperatives.models import Cooperative, CooperativeStatus, Membership, MemberRole
    from marketplace.extensions import db

    def make(owner=None, *, county: str = "330106", name: str | None = None,
             members=(), status=CooperativeStatus.VERIFIED, payee: bool = True) -> Cooperative:
        make_county(county)
        owner = owner or make_user()
        cooperative = Cooperative(
            name=name or f"合作社 {next(_seq)}", credit_code=valid_credit_code(county),
            county_code=county, address="某村 1 号", phone="13800138000", status=status,
        )
        cooperative.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
        for member in members:
            cooperative.memberships.append(Membership(user=member, role=MemberRole.MEMBER))
        db.session.add(cooperative)
        if payee:  # bank transfer is offered only for a cooperative that gave its account
            from marketplace.cooperatives.payee import PayeeAccount

            db.session.add(PayeeAccount(cooperative=cooperative, bank_name="中国农业银行杭州西湖支行",
                                        account_name=cooperative.name, account_number="6228480012345678901"))
        db.session.commit()
        return cooperative

    return make


@pytest.fixture
def login(client):
    """Sign a user in through the real sign-in form."""

    def sign_in(user, password: str = PASSWORD, test_client=None):
        target = test_client or client
        response = target.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return target

    return sign_in
from tests.support.factories_after_sale import *  # noqa: E402,F401,F403
