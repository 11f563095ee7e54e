"""Physical bounds: impossible limits are refused by the loader, impossible values by the engine."""
from __future__ import annotations

from datetime import date

import pytest

from gi_standards import CatalogueError, Declaration
from tests.gi_standards.documents import base_doc, build_standard


def _problems(doc) -> list[tuple[str, str]]:
    with pytest.raises(CatalogueError) as caught:
        build_standard(doc)
    return [(p.key, p.reason) for p in caught.value.problems]


def _with_parameter(**parameter):
    doc = base_doc()
    doc["parameters"][0] = {"key": "moisture", "names": {"zh": "水分", "en": "Moisture"},
                            **parameter}
    doc["grades"][0]["limits"].pop("moisture")
    doc["grades"][1].pop("limits")
    return doc


# --- the loader -------------------------------------------------------------------------

@pytest.mark.parametrize("parameter,                                   key,                        words", [
    ({"unit": "%", "max": 150},                                 "parameters[0].max",        "contradicts the physical bounds 0–100"),
    ({"unit": "%", "min": -1},                                  "parameters[0].min",        "contradicts"),
    ({"unit": "%", "lt": 0},                                    "parameters[0]",            "no physically possible value"),
    ({"unit": "g", "max": 0},                                   "parameters[0]",            "no physically possible value"),
    ({"unit": "g", "max": -5},                                  "parameters[0].max",        "contradicts"),
    ({"unit": "", "max": 5},                                    "parameters[0].physical",   "implies no physical bounds"),
    ({"unit": "粒/50g", "max": 280},                            "parameters[0].physical",   "implies no physical bounds"),
    ({"unit": "%", "max": 5, "physical": {"max": 120}},         "parameters[0].physical.max", "widens"),
    ({"unit": "", "max": 5, "physical": {"gt": 0}, "min": -1},  "parameters[0].min",        "contradicts"),
])
def test_a_limit_against_physics_is_refused(parameter, key, words):
    problems = _problems(_with_parameter(**parameter))
    assert any(k == key and words in reason for k, reason in problems), problems


def test_physical_edges_are_fine_and_a_declared_range_narrows_the_unit():
    standard = build_standard(_with_parameter(unit="%", min=0, max=100))
    assert standard.parameter("moisture").physical.describe("%") == "0–100 %"
    ratio = build_standard(_with_parameter(unit="", min=8.5, physical={"gt": 0}))
    assert ratio.parameter("moisture").physical.describe() == "> 0"


def test_a_variety_limit_against_physics_is_refused():
    doc = base_doc()
    doc["parameters"][4]["by_variety"]["鸠坑种"] = {"min": -3.0}
    assert any(key == 'parameters[4].by_variety."鸠坑种".min'
               for key, _ in _problems(doc))


def test_a_grade_limit_against_physics_is_refused():
    doc = base_doc()
    doc["grades"][0]["limits"]["water_extract"] = {"min": 250.0}
    keys = [key for key, _ in _problems(doc)]
    assert "grades[0].limits.water_extract.min" in keys


@pytest.mark.parametrize("limit,               looser", [
    ({"max": 7.0},                           "max"),     # base says ≤ 6.5
    ({"lt": 6.6},                            "lt"),
    ({"min": 1.0, "max": 6.5},               None),      # equal to the base is fine
    ({"max": 6.0},                           None),
])
def test_a_grade_limit_looser_than_the_base_is_refused(limit, looser):
    doc = base_doc()
    doc["grades"][0]["limits"]["moisture"] = limit
    if looser is None:
        build_standard(doc)
        return
    problems = _problems(doc)
    assert any(key == f"grades[0].limits.moisture.{looser}" and "looser than the base limit"
               in reason for key, reason in problems), problems


def test_a_grade_may_not_allow_text_the_base_does_not():
    doc = base_doc()
    doc["grades"][0]["limits"]["leaf_form"] = {"allowed": ["扁平", "针形"]}
    assert any("looser" in reason for _, reason in _problems(doc))


def test_a_grade_looser_than_a_variety_limit_is_refused():
    doc = base_doc()
    doc["grades"][0]["limits"]["bud_weight"] = {"min": 9.0}     # 鸠坑种 needs ≥ 10.0
    assert any(key == "grades[0].limits.bud_weight.min" for key, _ in _problems(doc))


def test_the_packaged_catalogue_respects_physics(catalogue):
    for standard in catalogue.values():
        for parameter in standard.parameters:
            assert parameter.is_text or parameter.physical is not None, \
                (standard.slug, parameter.key)


# --- the engine -------------------------------------------------------------------------

def _declare(**measurements):
    return Declaration("330106", date(2024, 4, 2), "龙井43", None, measurements)


@pytest.mark.parametrize("key,            value,     words", [
    ("moisture",                     -0.1,      "a percentage can only be 0–100 %"),
    ("moisture",                     "-2 %",    "impossible"),
    ("water_extract",                250,       "0–100 %"),
    ("bud_weight",                   0,         "a mass can only be > 0 mg"),
    ("bud_weight",                   -8,        "impossible"),
])
def test_an_impossible_value_is_refused_with_its_own_finding(key, value, words):
    standard = build_standard()
    report = standard.validate(_declare(**{"moisture": 5.8, "water_extract": 37.0, key: value}))
    finding = next(f for f in report.findings if f.field == f"measurements.{key}")
    assert finding.rule == "param.physical" and not finding.passed
    assert finding.severity == "error"
    assert words in finding.message_en
    assert "不可能" in finding.message_zh
    assert not report.passed and report.best_grade is None


def test_an_all_negative_sample_is_never_graded():
    doc = base_doc()
    doc["parameters"][1] = {"key": "water_extract", "names": {"zh": "水浸出物", "en": "Water extract"},
                            "unit": "%", "max": 50.0}
    doc["grades"][0]["limits"] = {"moisture": {"max": 6.0}, "water_extract": {"max": 45.0}}
    standard = build_standard(doc)
    report = standard.validate(Declaration("330106", None, "龙井43", "premium",
                                           {"moisture": -5, "water_extract": -40}))
    assert not report.passed
    assert report.best_grade is None
    assert [f.rule for f in report.errors].count("param.physical") == 2
    assert not report.findings_for("grade.meets")[0].passed


def test_an_impossible_optional_value_still_fails_the_report():
    standard = build_standard()
    report = standard.validate(_declare(moisture=5.8, water_extract=37.0, soluble_solids=101))
    assert [f.field for f in report.errors] == ["measurements.soluble_solids"]
    assert report.best_grade is None


def test_the_packaged_duyun_standard_refuses_a_water_extract_of_250_percent(catalogue):
    report = catalogue["duyun-maojian-tea"].validate(Declaration("522701", measurements={
        "moisture": 6.0, "total_ash": 6.5, "water_extract": 250, "crude_fibre": 15}))
    assert not report.passed and report.best_grade is None
    assert report.findings_for("param.physical")[0].field == "measurements.water_extract"
