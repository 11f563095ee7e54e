"""Reports and findings as stored with a batch and shown in either language."""
from __future__ import annotations

import json

import pytest

from gi_standards import Finding, Report


@pytest.fixture
def report(make_standard, make_declaration):
    return make_standard().validate(make_declaration(
        county_code="330110", grade="premium", measurements={"moisture": 6.3, "x": 1}))


def test_a_report_survives_a_trip_through_json(report):
    stored = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert Report.from_dict(stored) == report
    assert stored["passed"] is report.passed is False
    assert stored["standard_slug"] == "test-tea" and stored["standard_version"] == 1
    assert len(stored["standard_fingerprint"]) == 64


def test_passed_is_recomputed_not_trusted(report):
    stored = report.to_dict() | {"passed": True}
    assert Report.from_dict(stored).passed is False


def test_an_unknown_stored_format_is_refused(report):
    with pytest.raises(ValueError):
        Report.from_dict(report.to_dict() | {"format": 99})


def test_errors_and_warnings_are_told_apart(report):
    assert {f.rule for f in report.errors} == {"grade.meets", "param.required"}
    assert {f.rule for f in report.warnings} == {"origin.area", "param.unknown"}


@pytest.mark.parametrize("locale, language", [
    ("zh", "zh"), ("zh_CN", "zh"), ("zh-Hans-CN", "zh"), ("en", "en"), ("en_GB", "en"),
    ("fr", "en"), (None, "en"),
])
def test_a_finding_speaks_the_asked_language(locale, language):
    finding = Finding("param.limit", "measurements.moisture", "≤ 6.5 %", "7.0 %", False,
                      "error", "水分不符合要求。", "Moisture is out of limits.")
    expected = finding.message_zh if language == "zh" else finding.message_en
    assert finding.message(locale) == expected


def test_every_finding_has_full_sentences_in_both_languages(report):
    for finding in report.findings:
        assert finding.message_zh.endswith("。") and finding.message_en.endswith(".")
