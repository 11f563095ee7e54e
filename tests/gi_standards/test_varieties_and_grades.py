"""Varieties with synonyms, and grades that exist only for some varieties or product types."""
from __future__ import annotations

from datetime import date

import pytest

from gi_standards import CatalogueError, Declaration
from tests.gi_standards.documents import GOOD_MEASUREMENTS, base_doc, build_standard


def _problems(doc) -> list[tuple[str, str]]:
    with pytest.raises(CatalogueError) as caught:
        build_standard(doc)
    return [(p.key, p.reason) for p in caught.value.problems]


def _declare(variety, grade=None, product_type=None, **measurements):
    return Declaration("330106", date(2024, 4, 2), variety, grade,
                       dict(GOOD_MEASUREMENTS, **measurements), product_type)


# --- synonyms ---------------------------------------------------------------------------

def _with_synonyms():
    doc = base_doc()
    doc["varieties"] = [{"name": "龙井43", "synonyms": ["中茶108前身", "L43"]}, "鸠坑种"]
    return doc


def test_a_batch_declaring_a_synonym_is_that_variety():
    standard = build_standard(_with_synonyms())
    assert standard.varieties == ("龙井43", "鸠坑种")
    assert standard.variety("l43") == "龙井43"
    report = standard.validate(_declare("L43", bud_weight=8.0))
    finding = report.findings_for("variety.allowed")[0]
    assert finding.passed and "“龙井43”" in finding.message_zh
    assert "under another name" in finding.message_en
    # the variety's own limit applies to its synonym too
    assert not standard.validate(_declare("L43", bud_weight=7.9)).passed


@pytest.mark.parametrize("varieties,                                       key,                          words", [
    ([{"name": "龙井43", "synonyms": ["鸠坑种"]}, "鸠坑种"],            "varieties[1]",               "already a synonym"),
    ([{"name": "龙井43", "synonyms": ["A", "a"]}, "鸠坑种"],            "varieties[0].synonyms[1]",   "already a synonym"),
    ([{"name": "龙井43", "synonym": ["A"]}, "鸠坑种"],                  "varieties[0].synonym",       "unknown key"),
    ([{"synonyms": ["A"]}, "鸠坑种"],                                   "varieties[0].name",          "missing"),
    ([3, "鸠坑种"],                                                     "varieties[0]",               "variety name"),
])
def test_bad_variety_entries_are_named(varieties, key, words):
    doc = base_doc()
    doc["varieties"] = varieties
    problems = _problems(doc)
    assert any(k == key and words in reason for k, reason in problems), problems


def test_packaged_synonyms_come_from_the_announcements(catalogue):
    assert catalogue["wuchang-rice"].variety("五优稻4号") == "稻花香2号"
    assert catalogue["wuchang-rice"].varieties == ("稻花香2号",)
    assert catalogue["yuyao-waxberry"].variety("早荠蜜梅") == "荸荠种"
    assert catalogue["pinggu-peach"].variety("北京33号") == "八月脆"
    report = catalogue["yuyao-waxberry"].validate(Declaration("330281", None, "晚荠蜜梅", None, {
        "fruit_weight": 8.0, "soluble_solids": 10.51, "total_acid": 1.5}))
    assert report.passed
    low = catalogue["pinggu-peach"].validate(Declaration("110117", None, "北京33号", None,
                                                         {"fruit_weight": 299}))
    assert not low.passed                                    # 八月脆 needs ≥ 300 g


def test_a_variety_without_a_sourced_figure_is_left_to_the_official(catalogue):
    pinggu = catalogue["pinggu-peach"]
    report = pinggu.validate(Declaration("110117", None, "大红桃", None, {}))
    finding = next(f for f in report.findings if f.field == "measurements.fruit_weight")
    assert (finding.passed, finding.severity) == (False, "warning")
    assert "大红桃" in finding.message_zh
    assert report.passed


# --- grades by variety and type ---------------------------------------------------------

def _restricted(**grade_changes):
    doc = base_doc()
    doc["types"] = ["清香型", "浓香型"]
    doc["grades"][2].update(grade_changes)                   # 二级, no limits
    return build_standard(doc)


@pytest.mark.parametrize("variety,  grade,   passed", [
    ("鸠坑种",                      "二级",  True),
    ("龙井43",                      "二级",  False),          # 二级 exists for 鸠坑种 only
    ("龙井43",                      "一级",  True),
])
def test_a_grade_exists_only_for_its_varieties(variety, grade, passed):
    standard = _restricted(varieties=["鸠坑种"])
    measurements = {"bud_weight": 10.0}
    report = standard.validate(_declare(variety, grade, **measurements))
    allowed = report.findings_for("grade.allowed")
    if grade == "一级":
        assert allowed == ()
    else:
        assert allowed[0].passed is passed
    assert (not any(f.rule == "grade.allowed" for f in report.errors)) is passed
    if not passed:
        assert "只适用于鸠坑种" in allowed[0].message_zh
        assert "exists only for 鸠坑种" in allowed[0].message_en


@pytest.mark.parametrize("product_type, passed, severity", [
    ("浓香型",                          True,   "error"),
    ("清香型",                          False,  "error"),
    (None,                              False,  "warning"),  # the official confirms the type
    ("陈香型",                          False,  "error"),    # not a type of this standard
])
def test_a_grade_exists_only_for_its_types(product_type, passed, severity):
    standard = _restricted(types=["浓香型"])
    report = standard.validate(_declare("龙井43", "二级", product_type))
    finding = report.findings_for("grade.allowed")[0]
    assert (finding.passed, finding.severity) == (passed, severity)


def test_a_declared_type_is_checked_against_the_standard():
    standard = _restricted()
    assert standard.validate(_declare("龙井43", product_type="浓香型")).findings_for(
        "type.allowed")[0].passed
    bad = standard.validate(_declare("龙井43", product_type="红茶"))
    assert not bad.passed and "清香型、浓香型" in bad.findings_for("type.allowed")[0].message_zh


def test_the_best_grade_skips_grades_the_variety_cannot_have():
    doc = base_doc()
    doc["grades"][0]["varieties"] = ["鸠坑种"]
    standard = build_standard(doc)
    assert standard.validate(_declare("龙井43", bud_weight=8.0)).best_grade == "grade-1"
    assert standard.validate(_declare("鸠坑种", bud_weight=10.0)).best_grade == "premium"


@pytest.mark.parametrize("changes,                             key,                   words", [
    ({"varieties": ["福鼎大白"]},                        "grades[2].varieties[0]", "not among the standard's varieties"),
    ({"types": ["浓香型"]},                              "grades[2].types[0]",     "add a top-level 'types' list"),
    ({"varieties": []},                                  "grades[2].varieties",    "at least one"),
])
def test_bad_grade_restrictions_are_named(changes, key, words):
    doc = base_doc()
    doc["grades"][2].update(changes)
    problems = _problems(doc)
    assert any(k == key and words in reason for k, reason in problems), problems


def test_packaged_grades_by_type(catalogue):
    anxi = catalogue["anxi-tieguanyin"]
    assert anxi.grade("四级").types == ("浓香型",)
    refused = anxi.validate(Declaration("350524", None, "铁观音", "四级", {}, "清香型"))
    assert not refused.passed
    assert anxi.validate(Declaration("350524", None, "铁观音", "四级", {}, "浓香型")).passed
    wuyi = catalogue["wuyi-rock-tea"]
    assert not wuyi.validate(Declaration("350782", None, "肉桂", "三级")).passed
    assert wuyi.validate(Declaration("350782", None, "水仙", "三级")).passed
    assert not wuyi.validate(Declaration("350782", None, "名丛", "特级")).passed


def test_a_product_whose_announcement_lists_no_variety_refuses_none(catalogue):
    yantai = catalogue["yantai-apple"]
    assert yantai.varieties == ()
    report = yantai.validate(Declaration("370686", None, "嘎啦"))
    assert report.passed and report.findings_for("variety.allowed") == ()
