"""Malformed catalogue files: every problem is named by file and key, and nothing loads."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gi_standards import CatalogueError, load_catalogue, parse_standard
from tests.gi_standards.documents import base_doc, to_toml

FILE = "broken.toml"


def set_path(doc: dict, path: tuple, value) -> dict:
    """Set (or, with value DELETE, remove) the key at path in doc, and return doc."""
    target = doc
    for step in path[:-1]:
        target = target[step]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


DELETE = object()


def problems_of(text: str | bytes) -> list:
    with pytest.raises(CatalogueError) as caught:
        parse_standard(text, FILE)
    assert all(problem.file == FILE for problem in caught.value.problems)
    assert FILE in str(caught.value)
    return caught.value.problems


# Each case: the path to change in the base document, the new value, the key path the
# problem must name, and a word of its reason.
CASES = [
    # missing required keys
    (("slug",),                               DELETE,          "slug",                       "missing"),
    (("names", "en"),                         DELETE,          "names.en",                   "missing"),
    (("standard", "source"),                  DELETE,          "standard.source",            "missing"),
    (("standard",),                           DELETE,          "standard",                   "missing"),
    (("protected_area",),                     DELETE,          "protected_area",             "missing"),
    (("parameters", 0, "key"),                DELETE,          "parameters[0].key",          "missing"),
    (("grades", 1, "names"),                  DELETE,          "grades[1].names",            "missing"),
    # wrong types and empty values
    (("version",),                            "1",             "version",                    "integer"),
    (("version",),                            0,               "version",                    "1 or more"),
    (("names",),                              "龙井",          "names",                      "table"),
    (("names", "zh"),                         "  ",            "names.zh",                   "empty"),
    (("aliases",),                            "西湖龙井",      "aliases",                    "list"),
    (("aliases", 0),                          7,               "aliases[0]",                 "text"),
    (("parameters", 0, "required"),           "yes",           "parameters[0].required",     "true or false"),
    (("parameters", 0),                       "moisture",      "parameters[0]",              "table"),
    (("standard", "in_force"),                "2024-01-01",    "standard.in_force",          "date"),
    # limits that are not numbers, or leave no value
    (("parameters", 0, "max"),                "6.5",           "parameters[0].max",          "number"),
    (("parameters", 0, "max"),                True,            "parameters[0].max",          "number"),
    (("parameters", 0, "max"),                float("nan"),    "parameters[0].max",          "finite"),
    (("parameters", 0, "max"),                float("inf"),    "parameters[0].max",          "finite"),
    (("parameters", 1, "max"),                30.0,            "parameters[1].min",          "no value"),
    (("parameters", 2, "lt"),                 10.0,            "parameters[2].gt",           "no value"),
    (("parameters", 2, "gt"),                 20.0,            "parameters[2].gt",           "no value"),
    (("parameters", 3, "min"),                1,               "parameters[3]",              "mixes"),
    (("parameters", 3, "allowed"),            [],              "parameters[3].allowed",      "at least one"),
    (("parameters", 3, "allowed"),            ["扁平", "扁平"], "parameters[3].allowed[1]",   "twice"),
    (("parameters", 0, "max"),                DELETE,          "parameters[0]",              "no limit"),
    # county codes
    (("protected_area", 0),                   "33010",         "protected_area[0]",          "six digits"),
    (("protected_area", 0),                   "3301066",       "protected_area[0]",          "six digits"),
    (("protected_area", 0),                   "33O106",        "protected_area[0]",          "six digits"),
    (("protected_area", 0),                   "３３０１０６",  "protected_area[0]",          "six digits"),
    (("protected_area", 0),                   330106,          "protected_area[0]",          "text"),
    (("protected_area", 0),                   "330100",        "protected_area[0]",          "prefecture"),
    (("protected_area", 1),                   "330106",        "protected_area[1]",          "twice"),
    (("partial_area", 0),                     "330106",        "partial_area",               "also in"),
    (("protected_area",),                     "330106",        "protected_area",             "list"),
    # grades
    (("grades", 0, "limits", "caffeine"),     {"max": 1},      "grades[0].limits.caffeine",  "unknown parameter"),
    (("grades", 0, "limits", "moisture"),     {"min": 7.0},    "grades[0].limits.moisture",  "base limit"),
    (("grades", 0, "limits", "moisture"),     {"allowed": ["a"]}, "grades[0].limits.moisture", "numeric"),
    (("grades", 0, "limits", "moisture"),     6.0,             "grades[0].limits.moisture",  "table"),
    (("grades", 0, "limits", "moisture", "maxx"), 6.0,         "grades[0].limits.moisture.maxx", "unknown key"),
    # duplicates
    (("parameters", 1, "key"),                "moisture",      "parameters[1].key",          "duplicate"),
    (("grades", 1, "key"),                    "premium",       "grades[1].key",              "duplicate"),
    (("grades", 1, "names", "zh"),            "特级",          "grades[1].names",            "also named"),
    (("varieties",),                          ["龙井43", "龙井43"], "varieties[1]",            "twice"),
    # by-variety limits
    (("parameters", 4, "by_variety", "福鼎大白"), {"min": 1.0}, 'parameters[4].by_variety."福鼎大白"', "unknown variety"),
    (("parameters", 4, "by_variety", "鸠坑种"), DELETE,        "parameters[4].by_variety",   "no limit for 鸠坑种"),
    (("varieties",),                          DELETE,          "parameters[4].by_variety",   "varieties"),
    # enumerations and ranges
    (("category",),                           "wine",          "category",                   "unknown category"),
    (("harvest_months", 0),                   0,               "harvest_months[0]",          "1..12"),
    (("harvest_months", 0),                   13,              "harvest_months[0]",          "1..12"),
    (("harvest_months", 0),                   3.5,             "harvest_months[0]",          "month"),
    (("slug",),                               "Longjing Tea",  "slug",                       "lower-case"),
    (("standard", "confidence"),              "high",          "standard.confidence",        "H, M or L"),
    (("parameters", 0, "key"),                "Moisture",      "parameters[0].key",          "lower-case"),
    # unknown keys, which are nearly always typos
    (("maxx",),                               6.5,             "maxx",                       "unknown key"),
    (("names", "fr"),                         "thé",           "names.fr",                   "unknown key"),
    (("standard", "url"),                     "x",             "standard.url",               "unknown key"),
    (("parameters", 0, "maxx"),               6.5,             "parameters[0].maxx",         "unknown key"),
    (("grades", 0, "limit"),                  {},              "grades[0].limit",            "unknown key"),
]


@pytest.mark.parametrize("path, value, key, reason", CASES,
                         ids=[f"{case[2]}-{i}" for i, case in enumerate(CASES)])
def test_a_malformed_file_names_file_key_and_reason(path, value, key, reason):
    text = to_toml(set_path(base_doc(), path, value))
    problems = problems_of(text)
    matching = [p for p in problems if p.key == key]
    assert matching, [str(p) for p in problems]
    if reason:
        assert any(reason in p.reason for p in matching), [str(p) for p in matching]


def test_a_standard_must_name_some_county():
    doc = base_doc() | {"protected_area": [], "partial_area": []}
    assert [p.key for p in problems_of(to_toml(doc))] == ["protected_area"]


def test_limits_that_touch_at_an_inclusive_point_are_valid():
    doc = set_path(base_doc(), ("parameters", 1, "max"), 34.0) | {"grades": []}
    assert parse_standard(to_toml(doc), FILE).parameter("water_extract").limit.max == 34.0


@pytest.mark.parametrize("text, reason", [
    ("slug = \n",                              "not valid TOML"),
    ('slug = "a"\nslug = "b"\n',               "not valid TOML"),
    ("[[parameters]\n",                        "not valid TOML"),
    ("x = " + "[" * 5000 + "]" * 5000,         "TOML"),
    (b"\xff\xfeslug",                          "UTF-8"),
    ("a = 1\n" * 50_000,                       "larger than"),
])
def test_an_unreadable_file_is_one_problem_of_the_whole_file(text, reason):
    problems = problems_of(text)
    assert [p.key for p in problems] == ["(file)"]
    assert reason in problems[0].reason


def test_every_problem_is_reported_at_once():
    doc = base_doc()
    set_path(doc, ("category",), "wine")
    set_path(doc, ("harvest_months", 0), 13)
    set_path(doc, ("parameters", 0, "max"), "high")
    set_path(doc, ("grades", 0, "limits", "caffeine"), {"max": 1})
    keys = {p.key for p in problems_of(to_toml(doc))}
    assert keys >= {"category", "harvest_months[0]", "parameters[0].max",
                    "grades[0].limits.caffeine"}


def test_known_counties_can_be_enforced():
    with pytest.raises(CatalogueError) as caught:
        parse_standard(to_toml(base_doc()), FILE, known_counties={"330106", "330110"})
    assert [(p.key, p.reason) for p in caught.value.problems] == [
        ("protected_area[1]", "330108 is not in the county table")]


# --- folders: all or nothing -------------------------------------------------------------

def write(folder, name: str, doc: dict) -> None:
    (folder / name).write_text(to_toml(doc), encoding="utf-8")


def test_a_folder_with_one_bad_file_loads_nothing(tmp_path):
    write(tmp_path, "good.toml", base_doc())
    write(tmp_path, "bad.toml", set_path(base_doc(), ("slug",), "bad-tea") | {"category": "x"})
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    assert [(p.file, p.key) for p in caught.value.problems] == [("bad.toml", "category")]


def test_duplicate_slugs_across_files_are_refused(tmp_path):
    write(tmp_path, "a.toml", base_doc())
    write(tmp_path, "b.toml", base_doc())
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    [problem] = caught.value.problems
    assert (problem.file, problem.key) == ("b.toml", "slug")
    assert "a.toml" in problem.reason


def test_a_folder_loads_every_toml_file_and_a_single_file_loads_alone(tmp_path):
    write(tmp_path, "a.toml", base_doc())
    write(tmp_path, "b.toml", set_path(base_doc(), ("slug",), "other-tea"))
    (tmp_path / "notes.txt").write_text("not a standard")
    assert sorted(load_catalogue(tmp_path)) == ["other-tea", "test-tea"]
    assert list(load_catalogue(tmp_path / "a.toml")) == ["test-tea"]


@pytest.mark.parametrize("make", [lambda p: p / "missing", lambda p: p])
def test_a_missing_or_empty_folder_is_an_error(tmp_path, make):
    with pytest.raises(CatalogueError):
        load_catalogue(make(tmp_path))


# --- nothing a supervisor uploads raises anything but CatalogueError ----------------------

@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_arbitrary_uploads_raise_only_catalogue_errors(data):
    try:
        parse_standard(data, FILE)
    except CatalogueError as error:
        assert error.problems and all(p.file == FILE for p in error.problems)


TOML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(),
              st.text(max_size=10), st.dates(), st.sampled_from(["330106", "龙井43", "moisture"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


ALL_PATHS = [path for path in _paths(base_doc()) if path]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(ALL_PATHS), value=TOML_VALUES)
def test_any_single_edit_gives_a_standard_or_a_catalogue_error(path, value):
    doc = set_path(base_doc(), path, DELETE if value is None else value)
    try:
        text = to_toml(doc)
    except (TypeError, ValueError):
        return
    try:
        parse_standard(text, FILE)
    except CatalogueError as error:
        assert all(p.file == FILE and p.key and p.reason for p in error.problems)


@pytest.mark.parametrize("number", ["1" * 5001, "-" + "9" * 4301, "1e999", "inf", "nan"])
def test_a_number_no_one_can_use_is_a_problem_of_the_file_not_a_crash(number):
    text = to_toml(base_doc())
    text = re.sub(r"(?m)^version = 1$", f"version = {number}", text, count=1)
    assert f"version = {number}" in text
    problems = problems_of(text)
    assert problems and all(problem.file == FILE for problem in problems)


def test_a_huge_number_as_a_limit_is_a_problem_of_the_file():
    text = to_toml(base_doc()).replace("max = 6.5", "max = " + "9" * 4000, 1)
    assert "9" * 4000 in text
    problems_of(text)
