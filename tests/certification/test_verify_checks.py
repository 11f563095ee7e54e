"""Counting checks of package codes: what counts, what never does, and how cheats are kept out."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from marketplace.certification.models import TraceCode, TraceCodeCheck
from marketplace.extensions import db
from tests.support.factories_certification import as_phone, package_codes, trace_code_of
from tests.support.statements import counted_statements


def stored(code: str) -> TraceCode:
    db.session.expire_all()
    return db.session.scalar(select(TraceCode).where(TraceCode.code == code.replace("-", "")))


@pytest.fixture
def package(certified_world):
    """The first numbered package code of the certified batch, as printed."""
    return package_codes(certified_world.certificate, 2)[0]


def test_the_first_check_shows_no_warning_and_the_second_warns_with_the_first_time(package, client):
    first = as_phone(client, 1).get(f"/verify/{package}").get_data(as_text=True)
    assert 'id="repeat-check-warning"' not in first and "Checked 1 time" in first
    second = as_phone(client, 2).get(f"/verify/{package}").get_data(as_text=True)
    assert 'id="repeat-check-warning"' in second
    assert "Checked 2 times, first on" in second


def test_the_second_check_warns_in_chinese_as_shoppers_know_it(package, client):
    client.set_cookie("lang", "zh")
    as_phone(client, 1).get(f"/verify/{package}")
    page = as_phone(client, 2).get(f"/verify/{package}").get_data(as_text=True)
    assert "已被查询 2 次，首次查询于" in page


def test_the_batch_code_shown_on_product_pages_is_never_counted(certified_world, client):
    code = certified_world.code  # serial 0: printed on every package, linked from listings
    for phone in range(1, 5):
        page = as_phone(client, phone).get(f"/verify/{code}").get_data(as_text=True)
    assert stored(code).check_count == 0
    assert 'id="batch-code-note"' in page
    assert 'id="repeat-check-warning"' not in page and 'id="check-count"' not in page
    assert db.session.scalar(select(TraceCodeCheck.id)) is None


def test_one_client_sending_52_requests_counts_once(package, client, app):
    """An anonymous attacker cannot make a genuine product look 'checked unusually often'."""
    app.config["VERIFY_SCAN_WARNING_THRESHOLD"] = 50
    attacker = as_phone(client, 66)
    for _ in range(52):
        page = attacker.get(f"/verify/{package}").get_data(as_text=True)
    assert stored(package).check_count == 1
    assert 'id="scan-warning"' not in page and 'id="repeat-check-warning"' not in page


def test_rotating_the_user_agent_from_one_address_adds_at_most_the_allowed_clients(package, client, app):
    app.config["VERIFY_CLIENTS_PER_ADDRESS"] = 3
    for n in range(52):
        as_phone(client, 66, agent=f"Mozilla/5.0 (Linux; Android 14; Fake {n}) Mobile Safari").get(
            f"/verify/{package}")
    assert stored(package).check_count == 3


def test_phones_behind_one_address_still_count_each(package, client):
    """Shoppers behind a carrier's shared address are told apart by their browsers."""
    as_phone(client, 7, agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0").get(
        f"/verify/{package}")
    as_phone(client, 7, agent="Mozilla/5.0 (Linux; Android 13; HUAWEI) Mobile Safari").get(f"/verify/{package}")
    assert stored(package).check_count == 2


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "TelegramBot (like TwitterBot)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "WhatsApp/2.23.20.0 A",
    "Discordbot/2.0; +https://discordapp.com",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "",
])
def test_crawlers_link_previews_and_scripts_are_not_counted(package, client, agent):
    page = as_phone(client, 9, agent=agent).get(f"/verify/{package}")
    assert page.status_code == 200
    assert stored(package).check_count == 0


def test_the_bot_list_is_a_setting(package, client, app):
    app.config["VERIFY_BOT_USER_AGENTS"] = ("examplechecker",)
    as_phone(client, 9, agent="ExampleChecker/1.0").get(f"/verify/{package}")
    as_phone(client, 10, agent="curl/8.5.0").get(f"/verify/{package}")
    assert stored(package).check_count == 1


@pytest.mark.parametrize("headers", [{"Sec-Purpose": "prefetch;prerender"}, {"Purpose": "prefetch"},
                                     {"X-Moz": "prefetch"}])
def test_browser_prefetches_are_not_counted(package, client, headers):
    as_phone(client, 11).get(f"/verify/{package}", headers=headers)
    assert stored(package).check_count == 0


def test_the_same_phone_on_another_day_counts_again(package, client, monkeypatch):
    from datetime import timedelta

    from marketplace.certification.services import verification
    from marketplace.core.timeutil import utcnow

    phone = as_phone(client, 12)
    phone.get(f"/verify/{package}")
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(verification, "utcnow", lambda: tomorrow)
    page = phone.get(f"/verify/{package}").get_data(as_text=True)
    assert stored(package).check_count == 2 and 'id="repeat-check-warning"' in page


def test_no_address_is_stored_only_a_salted_hash(package, client):
    as_phone(client, 13).get(f"/verify/{package}")
    row = db.session.scalar(select(TraceCodeCheck))
    assert row is not None and "10.0.0.13" not in (row.client_hash + row.address_hash)
    assert len(row.client_hash) == 32


def test_simultaneous_requests_of_one_phone_count_once(package, app):
    db.session.commit()
    clients = [app.test_client() for _ in range(8)]
    barrier = threading.Barrier(len(clients))

    def check(client):
        with app.app_context():
            barrier.wait()
            as_phone(client, 14).get(f"/verify/{package}")

    threads = [threading.Thread(target=check, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stored(package).check_count == 1


def test_first_and_last_check_place_come_from_the_configured_proxy_header(package, client, app):
    app.config["VERIFY_PLACE_HEADER"] = "X-Client-County"
    as_phone(client, 1).get(f"/verify/{package}", headers={"X-Client-County": "杭州市西湖区"})
    page = as_phone(client, 2).get(f"/verify/{package}",
                                   headers={"X-Client-County": "广州市\u202e天河区\x07"}).get_data(as_text=True)
    code = stored(package)
    assert code.first_checked_place == "杭州市西湖区" and code.last_checked_place == "广州市天河区"
    assert 'id="first-check"' in page and "杭州市西湖区" in page and "广州市天河区" in page
    assert "(杭州市西湖区)" in page  # the second-check warning says where the first came from


@pytest.mark.parametrize("sent", ["西湖区".encode().decode("latin-1"), "%E8%A5%BF%E6%B9%96%E5%8C%BA"])
def test_a_place_sent_as_utf8_bytes_or_percent_encoded_reads_as_text(package, client, app, sent):
    app.config["VERIFY_PLACE_HEADER"] = "X-Client-County"
    as_phone(client, 1).get(f"/verify/{package}", headers={"X-Client-County": sent})
    assert stored(package).first_checked_place == "西湖区"


def test_a_place_header_is_never_trusted_unless_configured(package, client, app):
    app.config["VERIFY_PLACE_HEADER"] = ""
    page = as_phone(client, 1).get(f"/verify/{package}",
                                   headers={"X-Client-County": "Forged County"}).get_data(as_text=True)
    assert stored(package).first_checked_place == "" and "Forged County" not in page


def test_repeat_visitors_read_the_page_with_one_query_and_no_write(package, client, app):
    """Speed: a reload reads everything, the catalogue's key and "package N of M" included, in one statement."""
    as_phone(client, 1).get(f"/verify/{package}")
    with counted_statements(app) as statements:
        as_phone(client, 1).get(f"/verify/{package}")
    assert len(statements) == 1, statements
    assert statements[0].lstrip().upper().startswith("SELECT"), statements


def test_a_new_phone_adds_one_write_and_reads_nothing_after_it(package, client, app):
    as_phone(client, 1).get(f"/verify/{package}")
    with counted_statements(app) as statements:
        page = as_phone(client, 2).get(f"/verify/{package}").get_data(as_text=True)
    verbs = [statement.lstrip().split(None, 1)[0].upper() for statement in statements]
    assert verbs.count("SELECT") == 1 and "INSERT" in verbs, verbs
    assert "SELECT" not in verbs[verbs.index("INSERT"):], verbs
    assert "Checked 2 times" in page


def test_unknown_and_mistyped_codes_count_nothing(certified_world, client):
    code = trace_code_of(certified_world.certificate)
    last = "0" if code[-1] != "0" else "1"
    as_phone(client, 1).get(f"/verify/{code[:-1]}{last}")
    assert db.session.scalar(select(TraceCodeCheck.id)) is None


def test_robots_txt_keeps_crawlers_off_the_verify_pages(package, client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and "Disallow: /verify" in response.get_data(as_text=True)
    page = client.get(f"/verify/{package}")
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in page.get_data(as_text=True)


def test_links_to_verify_pages_are_nofollow(package, client):
    page = client.get(f"/verify/{package}").get_data(as_text=True)
    assert 'rel="nofollow" href="/verify/report?code=' in page
    assert f'rel="nofollow" href="/verify/{package}/history"' in page
