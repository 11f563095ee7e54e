"""Every product's standard page says plainly what the platform checks and what the official does."""
from __future__ import annotations

from datetime import date

import pytest

from gi_standards import Declaration, load_catalogue
from tests.storefront.test_standard_pages import _page, _section

CATALOGUE = load_catalogue()
NO_NUMERIC_LIMIT = sorted(slug for slug, standard in CATALOGUE.items()
                          if all(parameter.is_text for parameter in standard.parameters))


@pytest.mark.parametrize("slug", sorted(CATALOGUE))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_has_both_lists(client, slug, language):
    html = _page(client, f"/standards/{slug}", language)
    automatic, by_hand = _section(html, "checks-automatic"), _section(html, "checks-by-hand")
    assert automatic.count("<li>") >= 2 and by_hand.count("<li>") >= 1
    standard = CATALOGUE[slug]
    for parameter in standard.parameters:
        assert parameter.names.get(language) in automatic
        if not parameter.required:
            assert parameter.names.get(language) in by_hand


@pytest.mark.parametrize("slug", NO_NUMERIC_LIMIT)
def test_a_product_without_numeric_limits_says_the_official_judges_quality(client, slug):
    assert "not yet in the catalogue" in _section(_page(client, f"/standards/{slug}", "en"), "checks-by-hand")
    assert "尚未收入目录" in _section(_page(client, f"/standards/{slug}", "zh"), "checks-by-hand")


def test_the_thin_products_are_the_ones_the_sources_leave_without_figures():
    """A product leaves this list only with a sourced figure (and its SOURCES.md row)."""
    assert NO_NUMERIC_LIMIT == ["anxi-tieguanyin", "dongting-biluochun-tea", "huangshan-maofeng-tea",
                                "mengshan-tea", "ningxia-goji", "qiongzhong-green-orange", "wuchang-rice",
                                "wuyi-rock-tea", "yantai-apple", "yongchun-ponkan"]


def test_the_typed_product_asks_the_type_and_the_official_confirms_it(client):
    html = _page(client, "/standards/anxi-tieguanyin", "en")
    assert "every batch declares one of 清香型, 浓香型, 陈香型" in _section(html, "checks-automatic")
    assert "of the type declared" in _section(html, "checks-by-hand")


@pytest.mark.parametrize("days, passed", [(139, False), (140, True), (165, True), (None, True)])
def test_korla_pears_are_picked_140_days_after_full_bloom_at_the_earliest(days, passed):
    korla = CATALOGUE["korla-fragrant-pear"]
    measurements = {"fruit_weight": 120} | ({} if days is None else {"days_after_full_bloom": days})
    report = korla.validate(Declaration("652801", date(2025, 9, 10), measurements=measurements))
    assert report.passed is passed
    if not passed:
        [finding] = [f for f in report.errors if f.field == "measurements.days_after_full_bloom"]
        assert "140" in finding.message_en


def test_korla_page_prints_the_bloom_rule(client):
    html = _page(client, "/standards/korla-fragrant-pear", "en")
    assert "Days from full bloom to harvest" in html and "≥ 140 d" in html
