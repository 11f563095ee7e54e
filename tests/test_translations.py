"""Both catalogues are complete, and the main pages show no untranslated string."""
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "marketplace" / "translations"


def extracted_ids(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "--ignore-dirs=.* tests bench tools", "-o", str(pot), str(ROOT)],
        check=True, capture_output=True, cwd=ROOT,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_catalogue_translates_every_marked_string(tmp_path, locale):
    messages = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue(locale) if m.id}
    missing = sorted(i for i in extracted_ids(tmp_path)
                     if i not in messages or not messages[i].string or messages[i].fuzzy)
    assert missing == [], f"{len(missing)} string(s) lack a {locale} translation: {missing[:20]}"


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


ENGLISH_RUN = re.compile(r"\b[A-Za-z]{3,}(?:[ ,']+[A-Za-z]{3,})+\b")
ALLOWED = {"Terroir", "English"}


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/password/forgot", "/standards", "/no-such-page"])
def test_main_pages_in_chinese_have_no_english_text(client, url):
    client.set_cookie("lang", "zh")
    text = visible_text(client.get(url).get_data(as_text=True))
    runs = [run for run in ENGLISH_RUN.findall(text) if run not in ALLOWED]
    assert runs == []


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/standards"])
def test_main_pages_in_english_have_no_chinese_interface_text(client, url):
    client.set_cookie("lang", "en")
    page = client.get(url).get_data(as_text=True)
    text = visible_text(page).replace("中文", "")
    assert re.findall(r"[\u4e00-\u9fff]{2,}", text) == []


def test_language_choice_is_remembered(client):
    response = client.get("/language/zh?next=/login")
    assert response.headers["Location"] == "/login"
    assert "lang=zh" in response.headers["Set-Cookie"]
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)
    client.get("/language/en?next=https://evil.example/")
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_money_and_dates_follow_the_locale(app):
    from datetime import date

    from flask_babel import force_locale

    from marketplace.core.i18n import money

    with app.test_request_context():
        with force_locale("zh"):
            assert money(123456) == "¥1,234.56"
            assert app.jinja_env.filters["date"](date(2026, 3, 5)) == "2026年3月5日"
        with force_locale("en"):
            assert money(123456) == "CN¥1,234.56"
            assert app.jinja_env.filters["date"](date(2026, 3, 5)) == "Mar 5, 2026"
