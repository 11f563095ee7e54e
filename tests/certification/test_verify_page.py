"""The public verify page: what a code certifies, its warnings, and junk handled cleanly."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.certification.models import TraceCode
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow
from tests.support.factories_certification import as_phone, package_codes


def check_count(code: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(TraceCode.check_count).where(TraceCode.code == code.replace("-", "")))


@pytest.mark.parametrize(("language", "product", "county"), [
    ("en", "Longjing tea", "Xihu District"), ("zh", "龙井茶", "西湖区"),
])
def test_verify_page_shows_the_product_its_origin_results_and_certificate(
        certified_world, client, language, product, county):
    world = certified_world
    client.set_cookie("lang", language)
    response = client.get(f"/verify/{world.code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert product in page and county in page and "GB/T 18650-2008" in page
    assert world.cooperative.name in page
    assert world.certificate.number in page and world.authorization.number in page
    assert 'id="gi-badge"' in page
    assert "6.2 %" in page and "≤ 6.5 %" in page  # the lab result against its limit
    assert ('lang="zh-CN"' if language == "zh" else 'lang="en"') in page
    assert f"/verify/{world.code}/history" in page


def test_typing_a_code_loosely_leads_to_its_page(certified_world, client):
    code = certified_world.code
    response = client.get("/verify", query_string={"code": f" {code.lower().replace('-', ' ')} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{code}")
    response = client.get(f"/verify/{code.replace('-', '').lower()}")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/verify/{code}")


def test_unknown_code_says_so(client):
    from marketplace.certification.services.trace_codes import display, new_code

    response = client.get(f"/verify/{display(new_code())}")
    assert response.status_code == 404
    assert 'id="unknown-code"' in response.get_data(as_text=True)


def test_mistyped_code_says_check_the_code(certified_world, client):
    code = certified_world.code
    last = "0" if code[-1] != "0" else "1"
    response = client.get(f"/verify/{code[:-1]}{last}")
    assert response.status_code == 400
    assert "Mistyped: check the code." in response.get_data(as_text=True)
    assert check_count(code) == 0


@pytest.mark.parametrize("junk", [
    "x" * 3000, "'%20OR%201=1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "龙井", "....", "%F0%9F%8D%B5",
    "AAAA-AAAA-AAAA-AAAA",
])
def test_junk_codes_are_refused_without_an_error_page(client, junk):
    response = client.get(f"/verify/{junk}")
    assert response.status_code in (400, 404)
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert client.get("/verify", query_string={"code": junk}).status_code == 400


def test_each_client_is_counted_but_not_head_requests_nor_the_sellers_preview(
        certified_world, client, as_user):
    world = certified_world
    code = package_codes(world.certificate, 1)[0]
    as_phone(client, 1).get(f"/verify/{code}")
    page = as_phone(client, 2).get(f"/verify/{code}").get_data(as_text=True)
    assert check_count(code) == 2
    assert "Checked 2 times" in page and "first on" in page
    client.head(f"/verify/{code}", environ_base={"REMOTE_ADDR": "10.0.0.3"})
    as_user(world.seller).get(f"/verify/{code}", environ_base={"REMOTE_ADDR": "10.0.0.4"})
    assert check_count(code) == 2


def test_simultaneous_checks_by_different_phones_are_all_counted(certified_world, app):
    code = package_codes(certified_world.certificate, 1)[0]
    db.session.commit()
    clients = [app.test_client() for _ in range(8)]
    barrier = threading.Barrier(len(clients))

    def check(number, client):
        with app.app_context():
            barrier.wait()
            client.get(f"/verify/{code}", environ_base={"REMOTE_ADDR": f"10.0.1.{number}"})

    threads = [threading.Thread(target=check, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert check_count(code) == 8


def test_a_code_checked_by_unusually_many_phones_shows_a_warning(certified_world, client, app):
    app.config["VERIFY_SCAN_WARNING_THRESHOLD"] = 2
    code = package_codes(certified_world.certificate, 1)[0]
    for phone in (1, 2):
        page = as_phone(client, phone).get(f"/verify/{code}").get_data(as_text=True)
        assert 'id="scan-warning"' not in page
    assert 'id="scan-warning"' in as_phone(client, 3).get(f"/verify/{code}").get_data(as_text=True)


def test_revoked_certificate_shows_a_warning_banner_and_no_badge(certified_world, client, as_user):
    world = certified_world
    as_user(world.official).post(f"/official/certificates/{world.certificate.id}/revoke",
                                 data={"revoke-reason": "Residue found."})
    page = client.get(f"/verify/{world.code}").get_data(as_text=True)
    assert 'data-warning="certificate_revoked"' in page and 'id="gi-badge"' not in page


def test_revoked_authorization_shows_a_warning_banner(certified_world, client, as_user):
    world = certified_world
    as_user(world.official).post(f"/official/authorizations/{world.authorization.id}/revoke",
                                 data={"revoke-reason": "Tea bought in."})
    page = client.get(f"/verify/{world.code}").get_data(as_text=True)
    assert 'data-warning="authorization_revoked"' in page and 'id="gi-badge"' not in page


def test_expired_certificate_shows_a_warning_banner(gi_world, make_batch_certificate, client):
    from tests.support.factories_certification import trace_code_of

    world = gi_world()
    certificate = make_batch_certificate(world.batch, valid_until=utcnow() - timedelta(days=2))
    page = client.get(f"/verify/{trace_code_of(certificate)}").get_data(as_text=True)
    assert 'data-warning="certificate_expired"' in page and "Expired" in page


def test_public_history_lists_public_decisions_without_personal_data(certified_world, client, as_user):
    world = certified_world
    official = as_user(world.official)
    official.post(f"/official/certificates/{world.certificate.id}/suspend",
                  data={"suspend-reason": "Inspector Wang's visit on 3 May."})
    page = client.get(f"/verify/{world.code}/history").get_data(as_text=True)
    assert "Batch certificate suspended" in page
    assert "Inspector Wang" not in page and world.official.display_name not in page


@pytest.mark.parametrize(("language", "labels"), [
    ("en", ("Unified social credit code", "Laboratory", "Lab report number", "Batch size", "120 kg")),
    ("zh", ("统一社会信用代码", "批次数量", "120 kg")),
])
def test_the_page_shows_the_holders_credit_code_the_lab_report_and_the_batch_size(
        certified_world, client, language, labels):
    world = certified_world
    code = package_codes(world.certificate, 3)[2]
    client.set_cookie("lang", language)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert f'<dd id="credit-code" class="code">{world.cooperative.credit_code}</dd>' in page
    assert '<dd id="lab-name">浙江省茶叶质量检测中心</dd>' in page
    assert f">{world.batch.lab_report_number}</dd>" in page
    assert '<dd id="package-number">3</dd>' in page
    for label in labels:
        assert label in page


def test_the_grade_is_shown_by_its_name_not_its_key(certified_world, client):
    client.set_cookie("lang", "zh")
    page = client.get(f"/verify/{certified_world.code}").get_data(as_text=True)
    assert "<dd>特级</dd>" in page and "premium" not in page


def test_a_batch_counted_in_tonnes_shows_its_size_in_kilograms(certified_world, client):
    from decimal import Decimal

    from marketplace.catalog.models import QuantityUnit

    world = certified_world
    world.batch.quantity, world.batch.unit = Decimal("1.5"), QuantityUnit.TONNE
    db.session.commit()
    page = client.get(f"/verify/{world.code}").get_data(as_text=True)
    assert '<dd id="batch-size">1,500 kg</dd>' in page


@pytest.mark.parametrize(("language", "announcement"), [
    ("zh", "原国家质检总局公告2004年第66号"), ("en", "AQSIQ announcement No. 66 of 2004"),
])
def test_the_page_names_the_gi_protection_announcement_of_the_product(
        make_user, make_cooperative, make_gi_batch, make_gi_authorization, make_batch_certificate,
        client, language, announcement):
    from tests.support.factories_certification import trace_code_of

    cooperative = make_cooperative(make_user(), county="330281")
    make_gi_authorization(cooperative, slug="yuyao-waxberry")
    batch = make_gi_batch(cooperative, slug="yuyao-waxberry", measurements={})
    code = trace_code_of(make_batch_certificate(batch))
    client.set_cookie("lang", language)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert f'<dd id="announcement">{announcement}</dd>' in page


def test_a_product_without_a_known_announcement_says_so_rather_than_guess(certified_world, client):
    page = client.get(f"/verify/{certified_world.code}").get_data(as_text=True)
    assert "Not recorded in the standards catalogue" in page


def test_every_label_the_verify_page_uses_is_translated_once_per_language(app):
    """A label missing from page_labels would render as nothing: none may be."""
    import re

    from marketplace.certification.services.page_labels import VERIFY_LABELS

    source = app.jinja_env.loader.get_source(app.jinja_env, "certification/verify.html")[0]
    used = set(re.findall(r"t\['([^']+)'\]", source))
    assert used and used <= set(VERIFY_LABELS), used - set(VERIFY_LABELS)


def test_a_section_another_area_installs_is_shown_on_the_page(app, certified_world, client):
    from jinja2 import ChoiceLoader, DictLoader

    section = '<p id="package-section">{{ v.trace_code.serial }} · {{ v.batch.id }}</p>'
    app.jinja_env.loader = ChoiceLoader([DictLoader({"certification/_verify_package.html": section}),
                                         app.jinja_env.loader])
    code = package_codes(certified_world.certificate, 2)[1]
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert f'<p id="package-section">2 · {certified_world.batch.id}</p>' in page
