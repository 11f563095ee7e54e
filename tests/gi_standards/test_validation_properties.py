"""Properties of validation over generated limits, values and declarations."""
from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from gi_standards import CatalogueError, Declaration, Limit
from gi_standards.physical import UNIT_BOUNDS
from tests.gi_standards.documents import base_doc, build_standard

FINITE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
GAP = st.floats(min_value=0.01, max_value=1e4, allow_nan=False)
#: Physical bounds wide enough for the limit properties below (a dimensionless quantity
#: with no natural range); the physical rules have their own properties further down.
UNBOUNDED = {"min": -1e10, "max": 1e10}


@st.composite
def numeric_limits(draw):
    """A satisfiable limit: (limit table for the file, lower, upper, kinds)."""
    low = draw(FINITE)
    high = low + draw(GAP)
    lower_kind = draw(st.sampled_from([None, "min", "gt"]))
    upper_kind = draw(st.sampled_from([None, "max", "lt"] if lower_kind else ["max", "lt"]))
    table = {}
    if lower_kind:
        table[lower_kind] = low
    if upper_kind:
        table[upper_kind] = high
    return table, low, high, lower_kind, upper_kind


def inside(draw, limit):
    _, low, high, lower_kind, upper_kind = limit
    return draw(st.floats(
        min_value=low if lower_kind else -1e9, max_value=high if upper_kind else 1e9,
        exclude_min=lower_kind == "gt", exclude_max=upper_kind == "lt", allow_nan=False))


def outside(draw, limit):
    """A value breaking the limit: below its lower or above its upper bound."""
    _, low, high, lower_kind, upper_kind = limit
    sides = [s for s, kind in (("below", lower_kind), ("above", upper_kind)) if kind]
    if draw(st.sampled_from(sides)) == "below":
        return draw(st.floats(min_value=-1e9, max_value=low, exclude_max=lower_kind == "min"))
    return draw(st.floats(min_value=high, max_value=1e9, exclude_min=upper_kind == "max"))


def one_parameter_standard(limits: list[dict]):
    doc = base_doc()
    doc.update(varieties=[], grades=[], harvest_months=[], parameters=[
        {"key": f"p{i}", "names": {"zh": f"指标{i}", "en": f"Parameter {i}"}, "unit": "",
         "physical": dict(UNBOUNDED), **table} for i, table in enumerate(limits)])
    return build_standard(doc)


def declaration(measurements) -> Declaration:
    return Declaration("330106", measurements=measurements)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.lists(numeric_limits(), min_size=1, max_size=4))
def test_a_sample_inside_every_limit_always_passes(data, limits):
    standard = one_parameter_standard([limit[0] for limit in limits])
    values = {f"p{i}": inside(data.draw, limit) for i, limit in enumerate(limits)}
    report = standard.validate(declaration(values))
    assert report.passed, [f.message_en for f in report.errors]
    assert all(f.passed for f in report.findings_for("param.limit"))


@settings(max_examples=150, deadline=None)
@given(st.data(), st.lists(numeric_limits(), min_size=1, max_size=4))
def test_a_sample_outside_any_limit_never_passes(data, limits):
    standard = one_parameter_standard([limit[0] for limit in limits])
    values = {f"p{i}": inside(data.draw, limit) for i, limit in enumerate(limits)}
    broken = data.draw(st.integers(0, len(limits) - 1))
    values[f"p{broken}"] = outside(data.draw, limits[broken])
    report = standard.validate(declaration(values))
    assert not report.passed
    failed = [f.field for f in report.errors]
    assert failed == [f"measurements.p{broken}"]


@settings(max_examples=100, deadline=None)
@given(base=st.floats(1.0, 100.0), tighter_by=st.floats(0.01, 0.9), value=st.floats(0, 100))
def test_a_grade_is_reached_exactly_when_its_tighter_limit_is_met(base, tighter_by, value):
    grade_max = base * (1 - tighter_by)
    doc = base_doc()
    doc.update(varieties=[], harvest_months=[], parameters=[
        {"key": "moisture", "names": {"zh": "水分", "en": "Moisture"}, "unit": "%",
         "max": base}],
        grades=[{"key": "top", "names": {"zh": "特级", "en": "Top"},
                 "limits": {"moisture": {"max": grade_max}}}])
    report = build_standard(doc).validate(Declaration("330106", grade="top",
                                                      measurements={"moisture": value}))
    assert (report.best_grade == "top") is (value <= grade_max)
    assert report.passed is (value <= grade_max)
    assert all(f.passed for f in report.findings_for("param.limit")) is (value <= base)


@settings(max_examples=200, deadline=None)
@given(limit=numeric_limits(), value=st.floats(allow_nan=True, allow_infinity=True))
def test_limit_contains_agrees_with_its_bounds(limit, value):
    table, low, high, lower_kind, upper_kind = limit
    expected = math.isfinite(value)
    if lower_kind == "min":
        expected &= value >= low
    if lower_kind == "gt":
        expected &= value > low
    if upper_kind == "max":
        expected &= value <= high
    if upper_kind == "lt":
        expected &= value < high
    assert Limit(**table).contains(value) is expected


MEASUREMENT = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
                        st.decimals(allow_nan=True), st.lists(st.integers(), max_size=2))


@settings(max_examples=200, deadline=None)
@given(
    county=st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["330106", "330110"])),
    harvest=st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1)),
                      st.datetimes(min_value=datetime(1900, 1, 1))),
    variety=st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["龙井43", "鸠坑种"])),
    grade=st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["premium", "二级"])),
    measurements=st.dictionaries(
        st.one_of(st.text(max_size=6), st.sampled_from(
            ["moisture", "water_extract", "soluble_solids", "leaf_form", "bud_weight"])),
        MEASUREMENT, max_size=6),
    product_type=st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["浓香型"])),
    with_terms=st.booleans(),
)
def test_validation_never_raises_and_always_round_trips(county, harvest, variety, grade,
                                                        measurements, product_type, with_terms):
    standard = _standard(with_terms)
    report = standard.validate(Declaration(county, harvest, variety, grade, measurements,
                                           product_type))
    assert report.passed is (not report.errors)
    assert all(f.severity in ("error", "warning") and f.message_zh and f.message_en
               for f in report.findings)
    assert type(report).from_dict(report.to_dict()) == report


@lru_cache(maxsize=2)
def _standard(with_terms: bool = False):
    """The base standard, or one with product types, restricted grades and a term rule."""
    if not with_terms:
        return build_standard()
    doc = base_doc()
    doc.pop("harvest_months")
    doc.update(harvest={"from_term": "清明", "before_term": "谷雨"}, types=["浓香型", "清香型"])
    doc["grades"][1]["types"] = ["浓香型"]
    doc["grades"][2]["varieties"] = ["鸠坑种"]
    return build_standard(doc)


# --- physical bounds --------------------------------------------------------------------

#: Values that can be measured at all, by unit (a strategy inside each unit's bounds).
POSSIBLE = {
    "%": st.floats(0, 100), "g": st.floats(1e-3, 1e5), "mm": st.floats(1e-3, 1e4),
    "d": st.floats(0, 1e4), "°C": st.floats(-273.15, 1e3),
}


@st.composite
def possible_limits(draw):
    """(unit, limit table) of a limit that physically possible values can meet."""
    unit = draw(st.sampled_from(sorted(POSSIBLE)))
    low, high = sorted(draw(st.lists(POSSIBLE[unit], min_size=2, max_size=2, unique=True)))
    keys = draw(st.sampled_from([("min",), ("max",), ("min", "max"), ("gt", "lt"), ("gt",)]))
    table = {}
    for key in keys:
        table[key] = low if key in ("min", "gt") else high
    return unit, table


def impossible_value(draw, unit: str) -> float:
    bounds = UNIT_BOUNDS[unit]
    low, high = bounds.lower(), bounds.upper()
    sides = ["below"] + (["above"] if high is not None else [])
    if draw(st.sampled_from(sides)) == "below":
        return draw(st.floats(-1e9, low.value, exclude_max=not low.exclusive))
    return draw(st.floats(high.value, 1e9, exclude_min=not high.exclusive))


@settings(max_examples=150, deadline=None)
@given(st.data(), st.lists(possible_limits(), min_size=1, max_size=3), st.booleans())
def test_no_declaration_passes_with_an_impossible_value(data, limits, with_grade):
    doc = base_doc()
    parameters = [{"key": f"p{i}", "names": {"zh": f"指标{i}", "en": f"Parameter {i}"},
                   "unit": unit, **table} for i, (unit, table) in enumerate(limits)]
    doc.update(varieties=[], harvest_months=[], parameters=parameters, grades=[
        {"key": "top", "names": {"zh": "特级", "en": "Top"},
         "limits": {"p0": dict(limits[0][1])}}] if with_grade else [])
    standard = build_standard(doc)
    broken = data.draw(st.integers(0, len(limits) - 1))
    values = {}
    for i, (unit, table) in enumerate(limits):
        limit = Limit(**table)
        values[f"p{i}"] = data.draw(POSSIBLE[unit].filter(limit.contains))
    values[f"p{broken}"] = impossible_value(data.draw, limits[broken][0])
    report = standard.validate(Declaration("330106", grade="top" if with_grade else None,
                                           measurements=values))
    assert not report.passed
    assert report.best_grade is None
    assert [f.field for f in report.findings_for("param.physical")] == [f"measurements.p{broken}"]


@settings(max_examples=200, deadline=None)
@given(unit=st.sampled_from(sorted(POSSIBLE)), key=st.sampled_from(["min", "max", "gt", "lt"]),
       value=st.floats(-1e6, 1e6), in_grade=st.booleans())
def test_no_file_loads_with_a_limit_beyond_physics(unit, key, value, in_grade):
    """Whether in the base or in a grade, a limit either lies within physics or is refused."""
    bounds = UNIT_BOUNDS[unit]
    base = {k: v for k, v in vars(bounds).items() if v is not None and k != "allowed"}
    parameter = {"key": "p0", "names": {"zh": "指标", "en": "Parameter"}, "unit": unit}
    grades = []
    if in_grade:
        parameter.update(base)
        grades = [{"key": "top", "names": {"zh": "特级", "en": "Top"},
                   "limits": {"p0": {key: value}}}]
    else:
        parameter[key] = value
    doc = base_doc()
    doc.update(varieties=[], harvest_months=[], parameters=[parameter], grades=grades)
    try:
        build_standard(doc)
    except CatalogueError:
        return
    low, high = bounds.lower(), bounds.upper()
    assert low is None or value >= low.value
    assert high is None or value <= high.value
    assert bounds.tighten(Limit(**{key: value})).admits_some_value()
