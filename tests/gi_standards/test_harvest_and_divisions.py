"""Harvest windows tied to solar terms, and division codes retired since an approval."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from gi_standards import CatalogueError, Declaration, county_index, load_counties
from gi_standards.counties import COLUMNS, RETIREMENT_COLUMNS, parse_counties, retired_counties
from gi_standards.harvest import solar_term_day
from tests.gi_standards.documents import base_doc, build_standard

# --- solar terms ------------------------------------------------------------------------

@pytest.mark.parametrize("year, term,  day", [
    (2024,                  "谷雨", date(2024, 4, 19)),
    (2025,                  "谷雨", date(2025, 4, 20)),
    (2026,                  "清明", date(2026, 4, 5)),
    (2023,                  "春分", date(2023, 3, 21)),
])
def test_solar_term_days_follow_the_year(year, term, day):
    assert solar_term_day(year, term) == day


def test_unknown_terms_and_years_give_no_day():
    assert solar_term_day(2024, "Grain Rain") is None
    assert solar_term_day(1800, "谷雨") is None


def _before_grain_rain(**harvest):
    doc = base_doc()
    doc.pop("harvest_months")
    doc["harvest"] = {"before_term": "谷雨", **harvest}
    return build_standard(doc)


@pytest.mark.parametrize("harvest,          passed", [
    (date(2024, 4, 18),                     True),
    (date(2024, 4, 19),                     False),   # 谷雨 2024 is 19 April
    (date(2025, 4, 19),                     True),    # 谷雨 2025 is 20 April
    (date(2025, 4, 20),                     False),
    (date(2025, 3, 1),                      True),
])
def test_picked_before_grain_rain(harvest, passed):
    standard = _before_grain_rain()
    report = standard.validate(Declaration("330106", harvest, "龙井43", None,
                                           {"moisture": 5.8, "water_extract": 37.0}))
    finding = report.findings_for("harvest.season")[0]
    assert finding.passed is passed
    assert report.passed is passed
    assert "谷雨" in finding.message_zh and "Grain Rain" in finding.message_en


def test_a_harvest_time_of_day_is_read_as_its_day():
    finding = _before_grain_rain().validate(
        Declaration("330106", datetime(2024, 4, 18, 23, 59))).findings_for("harvest.season")[0]
    assert finding.passed


def test_a_window_between_two_terms_and_months():
    standard = _before_grain_rain(from_term="清明", months=[4])
    ok = Declaration("330106", date(2024, 4, 10), "龙井43", None, {"moisture": 5.8,
                                                                  "water_extract": 37.0})
    assert standard.validate(ok).passed
    early = Declaration("330106", date(2024, 4, 3), "龙井43")
    assert not standard.validate(early).findings_for("harvest.season")[0].passed


def test_a_year_outside_the_table_is_left_to_the_official():
    finding = _before_grain_rain().validate(Declaration("330106", date(2150, 4, 1))).findings_for(
        "harvest.season")[0]
    assert not finding.passed and "official" in finding.message_en


@pytest.mark.parametrize("doc_changes,                                      key", [
    ({"harvest": {"before_term": "Grain Rain"}},                      "harvest.before_term"),
    ({"harvest": {}},                                                  "harvest"),
    ({"harvest": {"months": [13]}},                                    "harvest.months[0]"),
    ({"harvest": {"before_term": "谷雨", "after": "清明"}},            "harvest.after"),
    ({"harvest": {"months": [4]}, "harvest_months": [4]},             "harvest_months"),
])
def test_bad_harvest_rules_are_named(doc_changes, key):
    doc = base_doc()
    doc.pop("harvest_months")
    doc.update(doc_changes)
    with pytest.raises(CatalogueError) as caught:
        build_standard(doc)
    assert key in [p.key for p in caught.value.problems]


def test_packaged_biluochun_is_picked_before_grain_rain(catalogue):
    biluochun = catalogue["dongting-biluochun-tea"]
    assert biluochun.harvest.before_term == "谷雨"
    early = biluochun.validate(Declaration("320506", date(2024, 4, 18)))
    late = biluochun.validate(Declaration("320506", date(2024, 4, 19)))
    assert early.findings_for("harvest.season")[0].passed
    assert not late.passed


# --- retired division codes -------------------------------------------------------------

def test_retired_codes_are_kept_with_their_successor_but_never_offered():
    kuqa = retired_counties()["652923"]
    assert (kuqa.name_zh, kuqa.successors, kuqa.retired) == ("库车县", ("652902",), "2019")
    assert "652923" not in county_index()
    assert "652923" not in {c.code for c in load_counties()}


@pytest.mark.parametrize("slug,                  code,     successor", [
    ("korla-fragrant-pear",                     "652923", "库车市（652902）"),
    ("longjing-tea",                            "330621", "柯桥区（330603）"),
    ("gannan-navel-orange",                     "360727", "龙南市（360783）"),
    ("jinhua-ham",                              "330621", "柯桥区（330603）"),  # not inside either
])
def test_a_retired_code_is_refused_as_retired_not_outside(catalogue, slug, code, successor):
    report = catalogue[slug].validate(Declaration(code))
    finding = report.findings_for("origin.area")[0]
    assert not finding.passed and finding.severity == "error"
    assert f"现为{successor}" in finding.message_zh
    assert "retired" in finding.message_en and "now" in finding.message_en
    assert "outside" not in finding.message_en


def test_a_standard_naming_a_retired_code_is_refused():
    doc = base_doc()
    doc["protected_area"] = ["330106", "652923"]
    with pytest.raises(CatalogueError) as caught:
        build_standard(doc)
    assert any(p.key == "protected_area[1]" and "code retired, now 652902" in p.reason
               for p in caught.value.problems)


def test_a_unit_formed_from_part_of_a_protected_county_is_inside(catalogue):
    korla = catalogue["korla-fragrant-pear"]
    assert korla.area_status("659006") == "full"                 # 铁门关市, from 尉犁县
    assert "659006" in korla.notes
    assert catalogue["ningxia-goji"].area_status("640521") == "full"   # 中宁县


@pytest.mark.parametrize("row,                                                   key", [
    ("652923,库车县,K,阿克苏地区,A,新疆,X,652902,",                    "line 3.successor"),
    ("652923,库车县,K,阿克苏地区,A,新疆,X,999999,2019",                "code 652923.successor"),
    ("652923,库车县,K,阿克苏地区,A,新疆,X,652902,19",                  "line 3.retired"),
])
def test_bad_retirement_rows_are_named(row, key):
    header = ",".join(COLUMNS + RETIREMENT_COLUMNS)
    text = "\n".join([header, "652902,库车市,K,阿克苏地区,A,新疆,X,,", row]) + "\n"
    with pytest.raises(CatalogueError) as caught:
        parse_counties(text, "counties.csv")
    assert key in [p.key for p in caught.value.problems]
