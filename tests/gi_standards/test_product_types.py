"""Where a standard gives grades by product type, every declaration names its type.

The packaged 安溪铁观音 lists 清香型, 浓香型 and 陈香型, and its 四级 exists for 浓香型 only
(AQSIQ 2004 No. 91: 清香型 must reach 三级 to carry the name).
"""
from __future__ import annotations

from datetime import date

import pytest

from gi_standards import Declaration


def _anxi(catalogue, grade=None, product_type=None):
    return catalogue.get("anxi-tieguanyin").validate(
        Declaration("350524", date(2025, 5, 12), "铁观音", grade, {}, product_type))


def test_a_typed_standard_refuses_a_declaration_without_a_type(catalogue):
    report = _anxi(catalogue, "grade-1")
    [finding] = report.findings_for("type.allowed")
    assert (finding.field, finding.passed, finding.severity) == ("product_type", False, "error")
    assert not report.passed
    assert "清香型、浓香型、陈香型" in finding.message_zh and "gives grades by type" in finding.message_en


@pytest.mark.parametrize("product_type", ["清香型", "浓香型", "陈香型"])
def test_each_listed_type_is_accepted(catalogue, product_type):
    report = _anxi(catalogue, "grade-1", product_type)
    assert report.findings_for("type.allowed")[0].passed and report.passed


@pytest.mark.parametrize("product_type, passed", [("浓香型", True), ("清香型", False), ("陈香型", False)])
def test_grade_4_exists_for_the_strong_aroma_type_only(catalogue, product_type, passed):
    report = _anxi(catalogue, "grade-4", product_type)
    [finding] = report.findings_for("grade.allowed")
    assert (finding.field, finding.passed) == ("grade", passed) and report.passed is passed
    if not passed:
        assert "浓香型" in finding.message_zh and product_type in finding.message_en


def test_a_standard_without_types_asks_for_none(catalogue):
    report = catalogue.get("longjing-tea").validate(Declaration("330106", date(2025, 4, 2), "龙井43"))
    assert report.findings_for("type.allowed") == ()
