"""The public standards pages: whole areas, grade names, plain sources, what is checked how."""
from __future__ import annotations

import re

import pytest

from gi_standards import county_index, load_catalogue

CATALOGUE = load_catalogue()


def _page(client, path: str, language: str) -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _area_codes(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-code="([0-9]{6})" data-partial="(yes|no)"', html))


@pytest.mark.parametrize("slug", sorted(CATALOGUE))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_standard_page_lists_its_whole_area(client, slug, language):
    standard = CATALOGUE[slug]
    area = _area_codes(_page(client, f"/standards/{slug}", language))
    assert area == {**{code: "no" for code in standard.protected_area},
                    **{code: "yes" for code in standard.partial_area}}
    assert area, "no standard has an empty area"


def test_a_partial_county_is_named_with_its_province_and_marked(client):
    zh = _page(client, "/standards/huangshan-maofeng-tea", "zh")
    assert "安徽省黄山市歙县" in zh and "仅部分乡镇" in zh
    en = _page(client, "/standards/huangshan-maofeng-tea", "en")
    assert "She County, Anhui" in en and "some townships only" in en


def test_the_province_filter_includes_partly_inside_provinces(client):
    html = _page(client, "/standards", "zh")
    filter_nav = html[html.index('id="province-filter"'):]
    filter_nav = filter_nav[:filter_nav.index("</nav>")]
    for province in ("安徽省", "江苏省", "四川省", "宁夏回族自治区"):
        assert f"province={province}" in filter_nav or province in filter_nav
    anhui = _page(client, "/standards?province=安徽省", "zh")
    assert "/standards/huangshan-maofeng-tea" in anhui
    assert "/standards/longjing-tea" not in anhui
    sichuan = _page(client, "/standards?province=四川省", "en")
    assert "/standards/mengshan-tea" in sichuan and "1 partly inside" in sichuan


def test_grades_read_as_names_never_as_keys(client):
    for language, names in (("zh", ["特级", "一级", "四级"]), ("en", ["Premium", "Grade 1"])):
        html = _page(client, "/standards/anxi-tieguanyin", language)
        grades = html[html.index('id="grades"'):html.index("</ol>", html.index('id="grades"'))]
        assert all(name in grades for name in names)
        assert not re.search(r"grade-[0-9]|premium\b", grades)
    zh = _page(client, "/standards/anxi-tieguanyin", "zh")
    assert "仅适用于浓香型" in zh


def test_chinese_pages_carry_no_english_research_notes(client):
    for slug, standard in CATALOGUE.items():
        zh = _page(client, f"/standards/{slug}", "zh")
        assert "confidence" not in zh.lower(), slug
        if standard.notes:
            assert standard.notes.strip()[:40] not in zh, slug
        assert standard.standard.source not in zh, slug
        assert "依据：" in zh and standard.code in zh


def test_english_pages_keep_the_research_notes_folded_away(client):
    en = _page(client, "/standards/huangshan-maofeng-tea", "en")
    assert "<summary>Research notes</summary>" in en
    assert "revision draft" in en
    assert "Source: GB/T 19460-2008" in en


def test_both_language_names_are_shown(client):
    zh = _page(client, "/standards/duyun-maojian-tea", "zh")
    assert "都匀毛尖茶" in zh and "Duyun Maojian tea" in zh
    assert "水分" in zh and "Moisture" in zh
    en = _page(client, "/standards/duyun-maojian-tea", "en")
    assert "Zunpin (top)" in en and "尊品" in en


def _section(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return html[start:html.index("</ul>", start)]


def test_each_page_says_what_is_checked_automatically_and_by_hand(client):
    mengshan = _page(client, "/standards/mengshan-tea", "en")
    assert "Origin" in _section(mengshan, "checks-automatic")
    by_hand = _section(mengshan, "checks-by-hand")
    assert "Mingshan District" in by_hand                 # the township of a partial county
    assert "not yet in the catalogue" in by_hand          # no numeric limit
    biluochun = _page(client, "/standards/dongting-biluochun-tea", "zh")
    assert "谷雨" in _section(biluochun, "checks-automatic")
    pinggu = _page(client, "/standards/pinggu-peach", "zh")
    assert "大红桃" in _section(pinggu, "checks-by-hand")
    assert "庆丰（又名北京26号）" in pinggu
    duyun = _page(client, "/standards/duyun-maojian-tea", "zh")
    assert "水分" in _section(duyun, "checks-automatic")
    assert "仅部分乡镇" not in duyun


def test_an_unknown_standard_is_a_404(client):
    assert client.get("/standards/no-such-product").status_code == 404


def test_every_area_county_is_in_the_county_table():
    table = county_index()
    for standard in CATALOGUE.values():
        assert all(code in table for code in standard.county_codes)


def test_a_version_stored_before_the_stricter_format_does_not_break_the_pages(client, app):
    """A row written by `current_version` before physical bounds existed, still current."""
    from gi_standards import DATA_DIR
    from marketplace.extensions import db
    from marketplace.standards.models import StandardVersion

    text = (DATA_DIR / "gannan-navel-orange.toml").read_text(encoding="utf-8")
    old = text.replace("physical = { gt = 0 }\n", "")
    assert old != text
    with app.app_context():
        db.session.add(StandardVersion(slug="gannan-navel-orange", version=1, fingerprint="0" * 64,
                                       code="GB/T 20355-2006", source_text=old, is_current=True))
        db.session.commit()
    html = _page(client, "/standards/gannan-navel-orange", "zh")
    assert "特等" in html
    assert _page(client, "/standards", "zh").count("/standards/gannan-navel-orange") == 1
