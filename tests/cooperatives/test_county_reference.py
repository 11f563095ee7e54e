"""Every county of China is in the counties table after `flask db upgrade`, with no demo data.

The app here runs on a database built by the migrations alone, as in production.
"""
import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import func, select

from gi_standards import load_catalogue
from gi_standards import load_counties as gi_current_counties
from gi_standards.counties import retired_counties as gi_retired_counties
from marketplace import create_app
from marketplace.cooperatives.models import Cooperative, County
from marketplace.core.counties import load_reference_counties, reference_counties
from marketplace.extensions import db
from tests.support.factories import valid_credit_code

#: (code, province prefix, Chinese name, city) across the country, from the capital to the
#: South China Sea.
FAR_APART = [
    ("110101", "11", "东城区", "北京市"),
    ("540102", "54", "城关区", "拉萨市"),
    ("653101", "65", "喀什市", "喀什地区"),
    ("460302", "46", "西沙区", "三沙市"),
    ("441900", "44", "东莞市", "东莞市"),  # a prefecture-level city without counties
    ("469030", "46", "琼中黎族苗族自治县", "省直辖县级行政区划"),
]


@pytest.fixture
def app_config(app_config, tmp_path):
    """The shared test settings, on a database that only `flask db upgrade` has built."""
    url = app_config["SQLALCHEMY_DATABASE_URI"]
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    engine.dispose()
    migrating = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                            "INSTANCE_PATH": str(tmp_path / "migrate"), "SECRET_KEY": "x"})
    with migrating.app_context():
        upgrade()
        db.engine.dispose()
    return app_config


def registration(code, name):
    return {"name": name, "credit_code": valid_credit_code(code), "county_code": code,
            "address": "某村 1 号", "phone": "13800138000", "description": ""}


@pytest.mark.parametrize("code,province,name_zh,city_zh", FAR_APART)
def test_a_cooperative_registers_in_any_county_of_a_fresh_database(
        client, login, make_user, code, province, name_zh, city_zh):
    login(make_user())
    client.set_cookie("lang", "zh")
    page = client.get(f"/cooperatives/new?province={province}").get_data(as_text=True)
    assert re.search(rf'<option value="{code}">{city_zh} · {name_zh} \({code}\)</option>', page)

    response = client.post(f"/cooperatives/new?province={province}", data=registration(code, f"{name_zh}合作社"))

    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    cooperative = db.session.scalar(select(Cooperative))
    assert cooperative.county_code == code and cooperative.county.name_zh == name_zh


def test_the_table_holds_every_county_level_division_of_the_mainland(app):
    current = db.session.scalar(select(func.count()).where(County.retired_year.is_(None)))
    assert 2800 < current < 2950
    provinces = set(db.session.scalars(select(func.substr(County.code, 1, 2)).distinct()))
    assert len(provinces) == 31 and not provinces & {"71", "81", "82"}
    for county in db.session.scalars(select(County)):
        assert county.name_en and county.city_en and county.province_en, county.code


def test_every_county_of_the_gi_catalogue_is_in_the_table_with_the_same_names(app):
    for code in load_catalogue().county_codes:
        assert db.session.get(County, code) is not None, code
    for county in gi_current_counties():
        row = db.session.get(County, county.code)
        assert row is not None, county.code
        assert (row.name_zh, row.name_en, row.city_zh, row.city_en, row.province_zh, row.province_en) == (
            county.name_zh, county.name_en, county.city_zh, county.city_en,
            county.province_zh, county.province_en), county.code
        assert not row.is_retired
    for county in gi_retired_counties().values():
        row = db.session.get(County, county.code)
        assert row is not None and row.name_zh == county.name_zh, county.code
        assert row.successor_codes.split() == list(county.successors)
        assert row.retired_year == int(county.retired)


def test_retired_codes_are_never_offered_and_are_refused_with_their_successor(client, login, make_user):
    login(make_user())
    page = client.get("/cooperatives/new?province=65").get_data(as_text=True)
    assert 'value="652902"' in page and 'value="652923"' not in page  # 库车市, not 库车县

    response = client.post("/cooperatives/new", data=registration("652923", "库车县合作社"))

    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "County code 652923 was retired in 2019; choose 652902 instead." in body
    assert db.session.scalar(select(func.count()).select_from(Cooperative)) == 0


def test_the_page_lists_one_province_at_a_time(client, login, make_user):
    login(make_user())
    without = client.get("/cooperatives/new").get_data(as_text=True)
    assert without.count("<option") < 60  # provinces only, not ~2,850 counties
    assert 'value="110101"' not in without
    beijing = client.get("/cooperatives/new?province=11").get_data(as_text=True)
    assert 'value="110101"' in beijing and 'value="540102"' not in beijing
    assert client.get("/cooperatives/new?province=%27%3B--").status_code == 200


def test_a_county_from_another_province_than_the_one_shown_still_registers(client, login, make_user):
    """The county sent decides which list it is checked against, not the page's province."""
    login(make_user())
    response = client.post("/cooperatives/new?province=11", data=registration("540102", "拉萨合作社"))
    assert response.status_code == 302


def test_loading_again_changes_nothing_and_refreshes_a_changed_name(app):
    connection = db.session.connection()
    again = load_reference_counties(connection)
    assert (again.inserted, again.updated) == (0, 0)
    assert again.unchanged == len(reference_counties())

    connection.execute(sa.update(County).where(County.code == "110101").values(name_en="Wrong"))
    seen = []
    refreshed = load_reference_counties(connection, progress=seen.append)
    db.session.commit()
    assert (refreshed.inserted, refreshed.updated) == (0, 1)
    assert sum(seen) == len(reference_counties())
    assert db.session.get(County, "110101").name_en == "Dongcheng District"


def test_flask_counties_load_reports_what_it_did(app):
    result = app.test_cli_runner().invoke(args=["counties", "load"])
    assert result.exit_code == 0, result.output
    assert f"0 added, 0 refreshed, {len(reference_counties())} unchanged" in result.output


def test_the_shipped_table_is_what_the_build_tool_makes_from_its_sources():
    """The table file and its sources (data package, GI catalogue table) never drift apart."""
    import csv
    import importlib.util
    import io
    from pathlib import Path

    tool = Path(__file__).resolve().parents[2] / "tools" / "build_counties.py"
    spec = importlib.util.spec_from_file_location("build_counties", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = list(csv.reader(io.StringIO(module.OUTPUT.read_text(encoding="utf-8"))))[1:]
    assert shipped == module.build_rows()


def test_a_supervisor_appoints_an_official_in_any_county_one_province_at_a_time(client, login, make_user):
    from marketplace.accounts.models import OfficialAppointment

    official = make_user("official@example.com")
    login(make_user(supervisor=True))
    page = client.get("/admin/officials").get_data(as_text=True)
    assert 'value="110101"' not in page and page.count("<option") < 60
    assert 'value="540102"' in client.get("/admin/officials?province=54").get_data(as_text=True)

    retired = client.post("/admin/officials", data={"email": official.email, "county_code": "652923"})
    assert retired.status_code == 400
    assert "County code 652923 was retired in 2019; choose 652902 instead." in retired.get_data(as_text=True)
    assert client.post("/admin/officials?province=11",
                       data={"email": official.email, "county_code": "540102"}).status_code == 302
    assert db.session.scalar(select(OfficialAppointment.county_code)) == "540102"
