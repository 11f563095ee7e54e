"""Finding protected GI names in listing texts, without flagging ordinary words."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gi_standards import Catalogue, distinctive_head
from tests.gi_standards.documents import base_doc, build_standard


@pytest.mark.parametrize("text,                                   slug,                  name", [
    ("Longjing green tea",                                      "longjing-tea",         "Longjing"),
    ("LONG JING",                                               "longjing-tea",         "Longjing"),
    ("long-jing, spring 2024",                                  "longjing-tea",         "Longjing"),
    ("longjing",                                                "longjing-tea",         "Longjing"),
    ("Lóngjǐng",                                                "longjing-tea",         "Longjing"),
    ("Ｌｏｎｇｊｉｎｇ",                                          "longjing-tea",         "Longjing"),
    ("Longjing tea, premium",                                   "longjing-tea",         "Longjing tea"),
    ("西 湖 龙 井",                                              "longjing-tea",         "西湖龙井"),
    ("明前龙井茶 250g",                                          "longjing-tea",         "龙井茶"),
    ("West-Lake Longjing",                                      "longjing-tea",         "West Lake Longjing"),
    ("正宗五常大米 5kg",                                         "wuchang-rice",         "五常大米"),
    ("WUCHANG RICE",                                            "wuchang-rice",         "Wuchang rice"),
    ("Jinhua Ham, aged 2 years",                                "jinhua-ham",           "Jinhua ham"),
    ("黄山毛峰 特级",                                            "huangshan-maofeng-tea", "黄山毛峰"),
    ("Huangshan Maofeng green tea",                             "huangshan-maofeng-tea", "Huangshan Maofeng"),
    ("安溪铁观音 清香型",                                        "anxi-tieguanyin",      "安溪铁观音"),
    ("anxi tie guan yin oolong",                                "anxi-tieguanyin",      "Anxi Tieguanyin"),
    ("洞庭山碧螺春",                                             "dongting-biluochun-tea", "洞庭山碧螺春"),
    ("Gannan navel oranges, 5 kg",                              "gannan-navel-orange",  "Gannan navel orange"),  # plural of the name
    ("Korla fragrant pears",                                    "korla-fragrant-pear",  "Korla fragrant pear"),  # plural of the name
    ("Duyun Maojian",                                           "duyun-maojian-tea",    "Duyun Maojian"),
    ("Mengshan tea leaves",                                     "mengshan-tea",         "Mengshan tea"),
    ("Wuyi rock oolong",                                        "wuyi-rock-tea",        "Wuyi rock"),
    ("Ningxia Wolfberry",                                       "ningxia-goji",         "Ningxia wolfberry"),
])
def test_protected_names_are_found(catalogue, text, slug, name):
    matches = catalogue.find_protected_names(text)
    assert [(m.slug, m.name) for m in matches] == [(slug, name)]
    match = matches[0]
    assert text[match.start:match.end] == match.text


@pytest.mark.parametrize("text", [
    "green tea from Yunnan",
    "大米",
    "东北大米 10kg",
    "tea", "rice", "ham", "Black tea", "Fresh apples",
    "铁观音",                 # a cultivar grown in many places; the GI is 安溪铁观音
    "碧螺春",
    "belongjing",            # Latin names match whole words only
    "Long jingle bells",
    "Jinhua",                # a head that is only a place name is not matched
    "Yantai seafood", "Ningxia wine", "Wuchang District, Wuhan", "peaches from Pinggu",
    "",
])
def test_ordinary_text_matches_nothing(catalogue, text):
    assert catalogue.find_protected_names(text) == []


def test_every_use_is_reported_in_order(catalogue):
    text = "Not Longjing tea but 五常大米 and WUCHANG rice."
    matches = catalogue.find_protected_names(text)
    assert [(m.slug, m.text) for m in matches] == [
        ("longjing-tea", "Longjing tea"), ("wuchang-rice", "五常大米"),
        ("wuchang-rice", "WUCHANG rice")]
    assert [m.kind for m in matches] == ["name", "name", "name"]


def test_the_longest_name_wins_where_two_overlap(catalogue):
    [match] = catalogue.find_protected_names("西湖龙井茶")
    assert match.name == "西湖龙井" and match.kind == "alias"


@pytest.mark.parametrize("name,                  head", [
    ("Longjing tea",                             "Longjing"),
    ("Huangshan Maofeng tea",                    "Huangshan Maofeng"),
    ("Gannan navel orange",                      "Gannan navel"),
    ("Jinhua ham",                               None),   # only a place name
    ("Ningxia goji",                             None),   # a province
    ("Anxi Tieguanyin",                          None),   # no generic tail
    ("Green tea",                                None),   # generic through and through
    ("Tea",                                      None),
    ("龙井茶",                                    None),   # no automatic Chinese heads
])
def test_distinctive_heads(name, head):
    assert distinctive_head(name) == head


def test_a_new_standards_names_are_found():
    doc = base_doc() | {"names": {"zh": "云岭茶", "en": "Yunling tea"}, "aliases": ["Cloud Ridge"]}
    catalogue = Catalogue([build_standard(doc)])
    assert [m.name for m in catalogue.find_protected_names("yunling green tea")] == ["Yunling"]
    assert [m.kind for m in catalogue.find_protected_names("CLOUD-RIDGE")] == ["alias"]
    assert catalogue.find_protected_names("green tea") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_matching_never_raises_and_points_into_the_text(catalogue, text):
    for match in catalogue.find_protected_names(text):
        assert text[match.start:match.end] == match.text
        assert match.slug in catalogue
