"""Each validation rule at its boundaries, on a small made-up standard."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from gi_standards import RULES, Declaration, Finding
from tests.gi_standards.documents import GOOD_MEASUREMENTS, base_doc, build_standard


@pytest.fixture
def standard(make_standard):
    return make_standard()


def only(report, rule: str) -> Finding:
    found = report.findings_for(rule)
    assert len(found) == 1, [f.rule for f in report.findings]
    return found[0]


def for_field(report, field: str) -> Finding:
    found = [f for f in report.findings if f.field == field]
    assert len(found) == 1, [f.field for f in report.findings]
    return found[0]


def test_a_good_declaration_passes_with_every_rule_reported(standard, make_declaration):
    report = standard.validate(make_declaration(grade="premium"))
    assert report.passed
    assert report.best_grade == "premium"
    assert {f.rule for f in report.findings} == {
        "origin.area", "variety.allowed", "harvest.season", "grade.known", "grade.meets",
        "param.limit"}
    assert all(f.passed for f in report.findings)
    assert set(RULES) >= {f.rule for f in report.findings}


# --- origin.area -------------------------------------------------------------------------

@pytest.mark.parametrize("code,            passed, severity,  report_passes", [
    ("330106",                            True,   "error",   True),
    ("330108",                            True,   "error",   True),
    ("330110",                            False,  "warning", True),   # partly inside
    ("230184",                            False,  "error",   False),  # outside, known county
    ("999999",                            False,  "error",   False),  # outside, unknown code
    ("33010",                             False,  "error",   False),  # not six digits
    ("",                                  False,  "error",   False),
    ("３３０１０６",                      False,  "error",   False),  # full-width digits
    (" 330106 ",                          True,   "error",   True),   # blanks are trimmed
])
def test_origin_area(standard, make_declaration, code, passed, severity, report_passes):
    report = standard.validate(make_declaration(county_code=code))
    finding = only(report, "origin.area")
    assert (finding.passed, finding.severity) == (passed, severity)
    assert report.passed is report_passes
    assert finding.field == "county_code"


def test_origin_messages_name_the_county(standard, make_declaration):
    finding = only(standard.validate(make_declaration(county_code="230184")), "origin.area")
    assert "五常市" in finding.message_zh and "outside" in finding.message_en
    assert "Wuchang City (230184)" in finding.message("en_US")


# --- variety.allowed ---------------------------------------------------------------------

@pytest.mark.parametrize("variety,  passed", [
    ("龙井43",                      True),
    ("鸠坑种",                      True),
    (" 龙井43 ",                    True),
    ("福鼎大白",                    False),
    (None,                          False),  # the standard lists varieties: one must be named
    ("",                            False),
])
def test_variety_allowed(standard, make_declaration, variety, passed):
    report = standard.validate(make_declaration(variety=variety))
    finding = only(report, "variety.allowed")
    assert finding.passed is passed
    assert report.passed is passed


def test_variety_is_not_checked_when_the_standard_lists_none(make_standard, make_declaration):
    report = make_standard(varieties=[], parameters=base_doc()["parameters"][:4]).validate(
        make_declaration(variety="anything"))
    assert report.findings_for("variety.allowed") == ()
    assert report.passed


# --- harvest.season ----------------------------------------------------------------------

@pytest.mark.parametrize("harvest,                     passed", [
    (date(2024, 3, 1),                                 True),   # first day of first month
    (date(2024, 5, 31),                                True),   # last day of last month
    (date(2024, 2, 29),                                False),
    (date(2024, 6, 1),                                 False),
    (datetime(2024, 4, 2, 8, 30),                      True),
    (None,                                             False),
])
def test_harvest_season(standard, make_declaration, harvest, passed):
    report = standard.validate(make_declaration(harvest_date=harvest))
    finding = only(report, "harvest.season")
    assert finding.passed is passed
    assert report.passed is passed


def test_season_messages_name_the_months(standard, make_declaration):
    finding = only(standard.validate(make_declaration(harvest_date=date(2024, 7, 1))),
                   "harvest.season")
    assert "3月、4月、5月" in finding.message_zh
    assert "March, April, May" in finding.message_en


# --- grade.known and grade.meets ---------------------------------------------------------

@pytest.mark.parametrize("claim", ["premium", "特级", "Premium", " PREMIUM "])
def test_a_grade_is_known_by_key_or_name(standard, make_declaration, claim):
    report = standard.validate(make_declaration(grade=claim))
    assert only(report, "grade.known").passed
    assert report.claimed_grade == "premium"


def test_an_unknown_grade_fails(standard, make_declaration):
    report = standard.validate(make_declaration(grade="super"))
    finding = only(report, "grade.known")
    assert not finding.passed and not report.passed
    assert "premium" in finding.expected
    assert report.findings_for("grade.meets") == ()


def test_a_grade_claim_fails_where_the_standard_has_no_grades(make_standard, make_declaration):
    report = make_standard(grades=[]).validate(make_declaration(grade="premium"))
    assert not only(report, "grade.known").passed
    assert "no grades" in only(report, "grade.known").message_en


@pytest.mark.parametrize("moisture, water_extract, best", [
    (6.0,      36.0,           "premium"),  # the grade's tightened limits, inclusive
    (6.01,     36.0,           "grade-1"),
    (6.0,      35.99,          "grade-1"),
    (6.5,      34.0,           "grade-1"),  # base limits, inclusive
    (6.51,     34.0,           None),       # fails the base, so no grade
])
def test_best_grade_is_the_best_whose_every_limit_is_met(
        standard, make_declaration, moisture, water_extract, best):
    report = standard.validate(make_declaration(
        measurements={"moisture": moisture, "water_extract": water_extract}))
    assert report.best_grade == best


def test_a_claimed_grade_not_met_fails_the_report_but_best_grade_is_kept(
        standard, make_declaration):
    report = standard.validate(make_declaration(
        grade="premium", measurements={"moisture": 6.3, "water_extract": 37.0}))
    finding = only(report, "grade.meets")
    assert not finding.passed and finding.severity == "error"
    assert "moisture 6.3 %" in finding.actual
    assert "≤ 6.0 %" in finding.message_en and "水分" in finding.message_zh
    assert all(f.passed for f in report.findings_for("param.limit"))
    assert not report.passed
    assert report.best_grade == "grade-1"


def test_a_grade_with_no_measurable_limits_needs_an_official(standard, make_declaration):
    report = standard.validate(make_declaration(grade="grade-2"))
    finding = only(report, "grade.meets")
    assert (finding.passed, finding.severity) == (False, "warning")
    assert report.passed
    assert report.warnings == (finding,)


def test_a_grade_limit_on_an_unmeasured_parameter_is_not_met(make_standard, make_declaration):
    doc = base_doc()
    doc["grades"][0]["limits"]["soluble_solids"] = {"min": 12.0}
    standard = build_standard(doc)
    report = standard.validate(make_declaration(grade="premium"))
    assert not only(report, "grade.meets").passed
    assert "not measured" in only(report, "grade.meets").message_en
    assert report.best_grade == "grade-1"


# --- param.required, param.limit, param.unknown ------------------------------------------

@pytest.mark.parametrize("key,           value,   passed", [
    ("moisture",                         6.5,     True),    # max is inclusive
    ("moisture",                         6.500001, False),
    ("moisture",                         "6.5",   True),    # as a web form sends it
    ("moisture",                         "６.５", True),    # full-width digits
    ("moisture",                         "6.5 %", True),    # with the parameter's unit
    ("moisture",                         0,       True),    # the physical edge
    ("water_extract",                    34.0,    True),    # min is inclusive
    ("water_extract",                    33.999,  False),
    ("soluble_solids",                   10.0,    False),   # gt is exclusive
    ("soluble_solids",                   10.0001, True),
    ("soluble_solids",                   19.9999, True),
    ("soluble_solids",                   20.0,    False),   # lt is exclusive
    ("leaf_form",                        "扁平",  True),    # text: allowed values
    ("leaf_form",                        " 卷曲 ", True),
    ("leaf_form",                        "针形",  False),
    ("bud_weight",                       8.0,     True),    # 龙井43's own limit
    ("bud_weight",                       7.99,    False),
])
def test_param_limit_boundaries(standard, make_declaration, key, value, passed):
    measurements = dict(GOOD_MEASUREMENTS, **{key: value})
    report = standard.validate(make_declaration(measurements=measurements))
    finding = for_field(report, f"measurements.{key}")
    assert finding.rule == "param.limit"
    assert finding.passed is passed
    assert report.passed is passed


def test_a_variety_limit_replaces_the_base_for_that_variety(standard, make_declaration):
    measurements = dict(GOOD_MEASUREMENTS, bud_weight=9.0)
    assert standard.validate(make_declaration(measurements=measurements)).passed
    other = standard.validate(make_declaration(variety="鸠坑种", measurements=measurements))
    finding = for_field(other, "measurements.bud_weight")
    assert not finding.passed and finding.expected == "≥ 10.0 mg"


def test_a_variety_only_limit_without_a_known_variety_is_a_warning(standard, make_declaration):
    report = standard.validate(make_declaration(
        variety="福鼎大白", measurements=dict(GOOD_MEASUREMENTS, bud_weight=9.0)))
    finding = for_field(report, "measurements.bud_weight")
    assert (finding.passed, finding.severity) == (False, "warning")
    assert not report.passed  # through variety.allowed, not twice


@pytest.mark.parametrize("value", ["abc", "", "nan", "inf", True, None, [6.0], "6,5", "1e999"])
def test_a_non_numeric_value_is_an_error_finding_never_an_exception(
        standard, make_declaration, value):
    report = standard.validate(make_declaration(
        measurements={"moisture": value, "water_extract": 37.0}))
    finding = for_field(report, "measurements.moisture")
    assert not finding.passed and finding.severity == "error"
    assert not report.passed
    if value in ("", None):
        assert finding.rule == "param.required"
    else:
        assert finding.rule == "param.limit"
        assert "not a valid number" in finding.message_en


def test_a_missing_required_measurement_fails(standard, make_declaration):
    report = standard.validate(make_declaration(measurements={"moisture": 6.0}))
    finding = only(report, "param.required")
    assert finding.field == "measurements.water_extract"
    assert finding.expected == "≥ 34.0 %"
    assert not report.passed and report.best_grade is None


def test_a_missing_optional_measurement_is_not_reported(standard, make_declaration):
    report = standard.validate(make_declaration())
    assert not [f for f in report.findings if f.field == "measurements.soluble_solids"]


def test_an_unknown_measurement_is_a_warning_not_a_failure(standard, make_declaration):
    report = standard.validate(make_declaration(
        measurements=dict(GOOD_MEASUREMENTS, caffeine=3.1, lead="<0.5")))
    unknown = report.findings_for("param.unknown")
    assert {f.field for f in unknown} == {"measurements.caffeine", "measurements.lead"}
    assert all(f.severity == "warning" and not f.passed for f in unknown)
    assert report.passed


def test_odd_declarations_never_raise(standard):
    for declaration in [
        Declaration(county_code=None),  # type: ignore[arg-type]
        Declaration(county_code=330106, variety=43, grade=1,  # type: ignore[arg-type]
                    measurements={1: 2, "moisture": object()}),
        Declaration("330106", harvest_date="2024-04-01"),  # type: ignore[arg-type]
        Declaration("330106", measurements=None),  # type: ignore[arg-type]
    ]:
        assert not standard.validate(declaration).passed
