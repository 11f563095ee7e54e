"""The naming keys of a standard file: English names, exclusions and sub-areas.

Bad values are refused with the key that holds them, like every other key; good ones
change what the catalogue finds in a text.
"""
from __future__ import annotations

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gi_standards import Catalogue, CatalogueError, load_catalogue, parse_standard
from gi_standards.names import english_plural, protected_names
from tests.gi_standards.documents import base_doc, to_toml

FILE = "naming.toml"
WEST = {"zone": {"zh": "西区", "en": "West zone"}, "counties": ["330106"],
        "names": ["西区测试茶", "West Test tea"]}


def naming_doc(**changes) -> dict:
    """The base test standard with a valid set of naming keys, then `changes`."""
    doc = base_doc()
    doc["aliases"] = ["试验茶", "西区测试茶", "测试"]
    doc["english_names"] = ["Trial tea", "West Test tea"]
    doc["exclusions"] = ["测试仪", "Test tube"]
    doc["sub_areas"] = [dict(WEST)]
    doc.update(changes)
    return doc


def problems_of(doc: dict, **options) -> list:
    with pytest.raises(CatalogueError) as caught:
        parse_standard(to_toml(doc), FILE, **options)
    return caught.value.problems


def sub_area(**changes) -> list[dict]:
    return [dict(WEST) | changes]


def without(key: str) -> list[dict]:
    return [{k: v for k, v in WEST.items() if k != key}]


CASES = [
    # english_names
    ({"english_names": "Trial tea"},              "english_names",               "list"),
    ({"english_names": [7]},                      "english_names[0]",            "text"),
    ({"english_names": ["试验"]},                  "english_names[0]",            "Latin"),
    ({"english_names": ["Green tea"]},            "english_names[0]",            "generic"),
    ({"english_names": ["TEST-TEA"]},             "english_names[0]",            "same name"),
    ({"english_names": ["Tx"]},                   "english_names[0]",            "too short"),
    ({"english_names": ["Trial tea", "Trial tea"]}, "english_names[1]",          "twice"),
    # exclusions
    ({"exclusions": "测试仪"},                     "exclusions",                  "list"),
    ({"exclusions": [3]},                         "exclusions[0]",               "text"),
    ({"exclusions": ["吉林大米"]},                 "exclusions[0]",               "none of the product's names"),
    ({"exclusions": ["测 试 茶"]},                 "exclusions[0]",               "itself a protected name"),
    # sub_areas
    ({"sub_areas": "西区"},                        "sub_areas",                   "list"),
    ({"sub_areas": ["西区"]},                      "sub_areas[0]",                "table"),
    ({"sub_areas": sub_area(counties=["330109"])}, "sub_areas[0].counties[0]",   "outside the product's protected area"),
    ({"sub_areas": sub_area(counties=["33010"])}, "sub_areas[0].counties[0]",    "six digits"),
    ({"sub_areas": sub_area(counties=[330106])},  "sub_areas[0].counties[0]",    "text"),
    ({"sub_areas": sub_area(counties=[])},        "sub_areas[0].counties",       "at least one county"),
    ({"sub_areas": without("counties")},          "sub_areas[0].counties",       "missing"),
    ({"sub_areas": sub_area(counties=["330106", "330108", "330110"])},
                                                  "sub_areas[0].counties",       "whole protected area"),
    ({"sub_areas": sub_area(names=["Cloud tea"])}, "sub_areas[0].names[0]",      "aliases or english_names"),
    ({"sub_areas": sub_area(names=["测试茶"])},    "sub_areas[0].names[0]",       "own name"),
    ({"sub_areas": sub_area(names=[])},           "sub_areas[0].names",          "at least one name"),
    ({"sub_areas": without("names")},             "sub_areas[0].names",          "missing"),
    ({"sub_areas": without("zone")},              "sub_areas[0].zone",           "missing"),
    ({"sub_areas": sub_area(zone={"zh": "西区"})}, "sub_areas[0].zone.en",        "missing"),
    ({"sub_areas": sub_area(countries=["330106"])}, "sub_areas[0].countries",    "unknown key"),
    ({"sub_areas": [WEST, WEST | {"counties": ["330108"]}]},
                                                  "sub_areas[1].names[0]",       "already a name of sub_areas[0]"),
]


@pytest.mark.parametrize("changes, key, reason", CASES, ids=[c[1] + "-" + c[2] for c in CASES])
def test_a_bad_naming_value_is_refused_with_its_key(changes, key, reason):
    problems = problems_of(naming_doc(**changes))
    matching = [p for p in problems if p.key == key]
    assert matching, [str(p) for p in problems]
    assert any(reason in p.reason for p in matching), [str(p) for p in matching]
    assert all(p.file == FILE for p in problems)


def test_sub_area_counties_must_be_in_the_county_table_when_it_is_enforced():
    doc = naming_doc()
    problems = problems_of(doc, known_counties={"330108", "330110"})
    assert ("sub_areas[0].counties[0]", "330106 is not in the county table") in [
        (p.key, p.reason) for p in problems]


def test_good_naming_keys_are_read_into_the_standard():
    standard = parse_standard(to_toml(naming_doc()), FILE)
    assert standard.english_names == ("Trial tea", "West Test tea")
    assert standard.exclusions == ("测试仪", "Test tube")
    [west] = standard.sub_areas
    assert (west.zone.zh, west.counties) == ("西区", ("330106",))
    assert standard.sub_area_names == {"西区测试茶": frozenset({"330106"}),
                                       "West Test tea": frozenset({"330106"})}
    assert standard.name_area("西区测试茶") == frozenset({"330106"})
    assert standard.name_area("测试茶") is None
    assert ("Trial tea", "english") in protected_names(standard)


@pytest.fixture(scope="module")
def test_catalogue():
    return Catalogue([parse_standard(to_toml(naming_doc()), FILE)])


@pytest.mark.parametrize("text, expected", [
    ("西区测试茶 一级",                [("西区测试茶", "alias", frozenset({"330106"}))]),
    ("西區測試茶",                     [("西区测试茶", "alias", frozenset({"330106"}))]),
    ("Xi Qu Ce Shi Cha",              [("西区测试茶", "pinyin", frozenset({"330106"}))]),
    ("West Test teas",                [("West Test tea", "english", frozenset({"330106"}))]),
    ("测试茶 二级",                    [("测试茶", "name", None)]),
    ("Trial teas",                    [("Trial tea", "english", None)]),
    ("Trial-style tea",               [("Trial tea", "english", None)]),
    ("测试仪 电子",                    []),                               # excluded
    ("Test tubes, glass",             []),                               # excluded, plural too
    ("测试仪 测试茶",                  [("测试茶", "name", None)]),        # only where covered
])
def test_sub_area_names_carry_their_counties_and_exclusions_cover_only_their_phrase(
        test_catalogue, text, expected):
    found = [(m.name, m.kind, m.area) for m in test_catalogue.find_protected_names(text)]
    assert found == expected


# --- the packaged catalogue ---------------------------------------------------------------

def test_every_packaged_standard_lists_english_trade_names(catalogue):
    assert all(standard.english_names for standard in catalogue.values())


def test_west_lake_names_belong_to_the_west_lake_zone(catalogue):
    longjing = catalogue["longjing-tea"]
    assert longjing.sub_area_names["西湖龙井"] == frozenset({"330106"})
    assert longjing.sub_area_names["West Lake Dragon Well"] == frozenset({"330106"})
    assert "龙井茶" not in longjing.sub_area_names
    for standard in catalogue.values():
        for counties in standard.sub_area_names.values():
            assert counties <= set(standard.county_codes)


def test_every_packaged_name_finds_its_product_alone_and_in_the_plural(catalogue):
    for standard in catalogue.values():
        for name, _kind in protected_names(standard):
            for text in (name, english_plural(name) or name):
                slugs = {m.slug for m in catalogue.find_protected_names(text)}
                assert slugs == {standard.slug}, (text, slugs)


_TO_TRADITIONAL = opencc.OpenCC("s2t")
CHINESE_NAMES = sorted({(standard.slug, name) for standard in load_catalogue().values()
                        for name, _ in protected_names(standard)
                        if all("\u4e00" <= char <= "\u9fff" for char in name)})
SEPARATORS = ["", " ", "·", "-", "\u3000", "、", "*", "\u200b", "\n"]


@settings(max_examples=200, deadline=None)
@given(pick=st.sampled_from(CHINESE_NAMES),
       separators=st.lists(st.sampled_from(SEPARATORS), min_size=12, max_size=12),
       traditional=st.booleans(), imitation=st.sampled_from(["", "风味", "型", "味"]))
def test_a_chinese_name_is_found_however_it_is_spaced_written_or_imitated(
        catalogue, pick, separators, traditional, imitation):
    slug, name = pick
    text = name[0] + "".join(separator + char for separator, char in zip(separators, name[1:]))
    if imitation and len(name) > 2:
        text = text[:-1] + imitation + text[-1]     # 五常大米 → 五常大风味米: still a use
    if traditional:
        text = _TO_TRADITIONAL.convert(text)
    assert slug in {m.slug for m in catalogue.find_protected_names(f"正宗 {text} 包邮")}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=40),
       st.sampled_from(["", "龙井", "西湖龍井", "Wuchang Da Mi", "龙井市", "Longjing-style"]))
def test_matching_never_raises_on_any_text_lone_surrogates_included(catalogue, noise, name):
    text = noise[:20] + name + noise[20:]
    for match in catalogue.find_protected_names(text):
        assert text[match.start:match.end] == match.text
