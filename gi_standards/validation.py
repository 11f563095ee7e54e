"""Check a batch declaration against a standard, rule by rule.

Every rule that applies yields exactly one finding (each parameter is one rule on its own
field), passed or not, so the verify page can show the whole check and not only its
failures. Nothing a cooperative can type makes this raise: a bad value is a finding.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from . import messages
from .counties import county_index
from .limits import Limit, format_number, parse_number
from .report import Declaration, Finding, Report

if TYPE_CHECKING:
    from .model import Grade, Parameter, Standard

_COUNTY_CODE = re.compile(r"[0-9]{6}")


def validate(standard: Standard, declaration: Declaration) -> Report:
    """Judge a declaration; see `Report` for what passing means."""
    product = (standard.names.zh, standard.names.en)
    variety = standard.variety(_text(declaration.variety))
    measurements = declaration.measurements
    if not isinstance(measurements, Mapping):
        measurements = {}
    values = _read_measurements(standard, measurements)
    findings = [_origin(standard, _text(declaration.county_code), product)]
    if standard.varieties:
        findings.append(_variety(standard, _text(declaration.variety), variety, product))
    if standard.harvest_months:
        findings.append(_season(standard, declaration.harvest_date, product))
    claimed_grade = _text(declaration.grade)
    grade = standard.grade(claimed_grade) if claimed_grade else None
    if claimed_grade:
        findings.append(_grade_known(standard, claimed_grade, grade, product))
    if grade is not None:
        findings.append(_grade_meets(standard, grade, variety, values))
    for parameter in standard.parameters:
        finding = _parameter(standard, parameter, variety, values, product)
        if finding is not None:
            findings.append(finding)
    known = {p.key for p in standard.parameters}
    for key, raw in measurements.items():
        if str(key) not in known and not _is_blank(raw):
            findings.append(_unknown(str(key), raw, product))
    return Report(
        standard_slug=standard.slug, standard_version=standard.version,
        standard_fingerprint=standard.fingerprint, findings=tuple(findings),
        best_grade=best_grade(standard, variety, values),
        claimed_grade=grade.key if grade else claimed_grade or None,
    )


def best_grade(standard: Standard, variety: str | None, values: dict) -> str | None:
    """The best grade whose every limit the sample meets.

    Grades without limits of their own are skipped: they differ by appearance or taste,
    which no measurement here can confirm, so claiming them would overstate the sample.
    """
    for grade in standard.grades:
        if grade.is_measurable and not _grade_shortfalls(standard, grade, variety, values):
            return grade.key
    return None


def _finding(rule, field, expected, actual, passed, key, /, severity="error", **values):
    zh, en = messages.render(key, **values)
    return Finding(rule, field, expected, actual, passed, severity, zh, en)


def _origin(standard: Standard, code: str, product) -> Finding:
    expected = ", ".join(standard.county_codes)
    if not _COUNTY_CODE.fullmatch(code):
        return _finding("origin.area", "county_code", expected, code, False,
                        "origin.invalid", code=code)
    county = county_index().get(code)
    label = (f"{county.name_zh}（{code}）", f"{county.name_en} ({code})") if county else code
    status = standard.area_status(code)
    if status == "full":
        return _finding("origin.area", "county_code", expected, code, True, "origin.inside",
                        county=label, product=product)
    if status == "partial":
        return _finding("origin.area", "county_code", expected, code, False, "origin.partial",
                        severity="warning", county=label, product=product)
    return _finding("origin.area", "county_code", expected, code, False, "origin.outside",
                    county=label, product=product)


def _variety(standard: Standard, declared: str, variety: str | None, product) -> Finding:
    expected = "、".join(standard.varieties)
    if not declared:
        return _finding("variety.allowed", "variety", expected, "", False, "variety.missing",
                        expected=expected, product=product)
    key = "variety.ok" if variety else "variety.bad"
    return _finding("variety.allowed", "variety", expected, declared, variety is not None, key,
                    variety=declared, expected=expected, product=product)


def _season(standard: Standard, harvest: date | None, product) -> Finding:
    expected = ", ".join(str(month) for month in standard.harvest_months)
    months = messages.months(standard.harvest_months)
    if not isinstance(harvest, date):
        return _finding("harvest.season", "harvest_date", expected, "", False,
                        "season.missing", months=months, product=product)
    inside = harvest.month in standard.harvest_months
    return _finding("harvest.season", "harvest_date", expected, harvest.isoformat(), inside,
                    "season.ok" if inside else "season.bad",
                    date=harvest.isoformat(), months=months, product=product)


def _grade_known(standard: Standard, claimed: str, grade: Grade | None, product) -> Finding:
    expected = ", ".join(g.key for g in standard.grades)
    if grade is not None:
        return _finding("grade.known", "grade", expected, claimed, True, "grade.known",
                        grade=(grade.names.zh, grade.names.en), product=product)
    key = "grade.unknown" if standard.grades else "grade.none"
    choices = ("、".join(g.names.zh for g in standard.grades),
               ", ".join(f"{g.key} ({g.names.en})" for g in standard.grades))
    return _finding("grade.known", "grade", expected, claimed, False, key,
                    grade=claimed, expected=choices, product=product)


def _grade_meets(standard: Standard, grade: Grade, variety, values) -> Finding:
    names = (grade.names.zh, grade.names.en)
    expected = "; ".join(
        f"{p.key} {standard.effective_limit(p.key, variety, grade.key).describe(p.unit)}"
        for p in standard.parameters if grade.limit_for(p.key) is not None)
    if not grade.is_measurable:
        return _finding("grade.meets", "grade", expected, "", False, "grade.unconfirmable",
                        severity="warning", grade=names)
    shortfalls = _grade_shortfalls(standard, grade, variety, values)
    if not shortfalls:
        return _finding("grade.meets", "grade", expected, grade.key, True, "grade.met",
                        grade=names)
    actual = "; ".join(f"{p.key} {_show(values.get(p.key), p)}" for p, _ in shortfalls)
    unmet = messages.join(_shortfall_text(p, limit, values.get(p.key)) for p, limit in shortfalls)
    return _finding("grade.meets", "grade", expected, actual, False, "grade.unmet",
                    grade=names, unmet=unmet)


def _grade_shortfalls(standard: Standard, grade: Grade, variety, values):
    """The (parameter, limit) pairs of a grade that the sample does not meet."""
    misses = []
    for parameter in standard.parameters:
        own = grade.limit_for(parameter.key)
        limit = parameter.limit_for(variety).tighten(own)
        if limit.is_empty:
            continue
        value = values.get(parameter.key)
        if value is None:
            if parameter.required or own is not None:
                misses.append((parameter, limit))
        elif value[1] is None or not limit.contains(value[1]):
            misses.append((parameter, limit))
    return misses


def _shortfall_text(parameter: Parameter, limit: Limit, value) -> tuple[str, str]:
    names = (parameter.names.zh, parameter.names.en)
    expected = limit.describe(parameter.unit)
    if value is None:
        return messages.render("unmet.missing", param=names, expected=expected)
    return messages.render("unmet.value", param=names, expected=expected,
                           actual=_show(value, parameter))


def _parameter(standard: Standard, parameter: Parameter, variety, values, product):
    field = f"measurements.{parameter.key}"
    names = (parameter.names.zh, parameter.names.en)
    limit = parameter.limit_for(variety)
    expected = limit.describe(parameter.unit)
    value = values.get(parameter.key)
    if value is None:
        if not parameter.required:
            return None
        return _finding("param.required", field, expected, "", False, "param.missing",
                        param=names, expected=expected)
    raw, parsed = value
    if parsed is None:
        return _finding("param.limit", field, expected, str(raw), False, "param.nan",
                        param=names, actual=str(raw))
    actual = _show(value, parameter)
    if limit.is_empty:
        return _finding("param.limit", field, expected, actual, False, "param.nolimit",
                        severity="warning", param=names, product=product)
    passed = limit.contains(parsed)
    return _finding("param.limit", field, expected, actual, passed,
                    "param.ok" if passed else "param.out",
                    param=names, actual=actual, expected=expected)


def _unknown(key: str, raw, product) -> Finding:
    return _finding("param.unknown", f"measurements.{key}", "", str(raw), False,
                    "param.unknown", severity="warning", key=key, product=product)


def _read_measurements(standard: Standard, measurements) -> dict:
    """Map known parameter keys to (raw, parsed); parsed is None for an unusable value."""
    values = {}
    for parameter in standard.parameters:
        raw = measurements.get(parameter.key)
        if _is_blank(raw):
            continue
        if parameter.is_text:
            parsed = raw.strip() if isinstance(raw, str) else None
            if parsed is None and isinstance(raw, (int, float)) and not isinstance(raw, bool):
                parsed = format_number(raw)
        else:
            parsed = parse_number(raw, parameter.unit)
        values[parameter.key] = (raw, parsed)
    return values


def _show(value, parameter: Parameter) -> str:
    if value is None:
        return ""
    raw, parsed = value
    if parsed is None:
        return str(raw)
    if isinstance(parsed, str):
        return parsed
    shown = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else parsed
    return f"{format_number(shown)} {parameter.unit}".strip()


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))
