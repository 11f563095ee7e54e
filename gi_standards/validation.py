"""Check a batch declaration against a standard, rule by rule.

Every rule that applies yields exactly one finding (each parameter is one rule on its own
field), passed or not, so the verify page can show the whole check and not only its
failures. Nothing a cooperative can type makes this raise: a bad value is a finding.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from . import messages
from .counties import county_index, retired_counties
from .harvest import SOLAR_TERMS
from .limits import Limit, format_number, normalize_text, parse_number
from .physical import kind_of
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
    values, impossible = _read_measurements(standard, measurements)
    declared_type = _text(getattr(declaration, "product_type", None))
    product_type = standard.product_type(declared_type)
    findings = [_origin(standard, _text(declaration.county_code), product)]
    if standard.varieties:
        findings.append(_variety(standard, _text(declaration.variety), variety, product))
    if declared_type or standard.types:
        findings.append(_type(standard, declared_type, product_type, product))
    if not standard.harvest.is_empty:
        findings.append(_season(standard, declaration.harvest_date, product))
    claimed_grade = _text(declaration.grade)
    grade = standard.grade(claimed_grade) if claimed_grade else None
    if claimed_grade:
        findings.append(_grade_known(standard, claimed_grade, grade, product))
    if grade is not None and (grade.varieties or grade.types):
        findings.append(_grade_allowed(grade, variety, product_type if declared_type else None,
                                       declared_type, product))
    if grade is not None:
        findings.append(_grade_meets(standard, grade, variety, values))
    for parameter in standard.parameters:
        if parameter.key in impossible:
            findings.append(_impossible(parameter, values[parameter.key][0],
                                        impossible[parameter.key]))
            continue
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
        best_grade=None if impossible else best_grade(standard, variety, values, product_type),
        claimed_grade=grade.key if grade else claimed_grade or None,
    )


def best_grade(standard: Standard, variety: str | None, values: dict,
               product_type: str | None = None) -> str | None:
    """The best grade whose every limit the sample meets.

    Grades without limits of their own are skipped: they differ by appearance or taste,
    which no measurement here can confirm, so claiming them would overstate the sample.
    So are grades that do not exist for the sample's variety or type (or whose variety or
    type is unknown): a grade the product cannot have is never its best one.
    """
    for grade in standard.grades:
        if not (grade.exists_for_variety(variety) and grade.exists_for_type(product_type)):
            continue
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
    retired = retired_counties().get(code) if county is None else None
    if retired is not None:
        return _retired(retired, expected)
    status = standard.area_status(code)
    if status == "full":
        return _finding("origin.area", "county_code", expected, code, True, "origin.inside",
                        county=label, product=product)
    if status == "partial":
        return _finding("origin.area", "county_code", expected, code, False, "origin.partial",
                        severity="warning", county=label, product=product)
    return _finding("origin.area", "county_code", expected, code, False, "origin.outside",
                    county=label, product=product)


def _retired(county, expected: str) -> Finding:
    """A code retired since the approval: name its successor, never say "outside"."""
    index = county_index()
    now = [index[code] for code in county.successors if code in index]
    successor = ("、".join(f"{c.name_zh}（{c.code}）" for c in now),
                 ", ".join(f"{c.name_en} ({c.code})" for c in now))
    return _finding("origin.area", "county_code", expected, county.code, False,
                    "origin.retired", code=county.code,
                    county=(county.name_zh, county.name_en), year=county.retired,
                    successor=successor)


def _variety(standard: Standard, declared: str, variety: str | None, product) -> Finding:
    expected = "、".join(standard.varieties)
    if not declared:
        return _finding("variety.allowed", "variety", expected, "", False, "variety.missing",
                        expected=expected, product=product)
    if variety is not None and normalize_text(declared) != normalize_text(variety):
        return _finding("variety.allowed", "variety", expected, declared, True,
                        "variety.synonym", variety=declared, canonical=variety, product=product)
    key = "variety.ok" if variety else "variety.bad"
    return _finding("variety.allowed", "variety", expected, declared, variety is not None, key,
                    variety=declared, expected=expected, product=product)


def _type(standard: Standard, declared: str, product_type: str | None, product) -> Finding:
    expected = "、".join(standard.types)
    if not declared:
        # Where the standard gives grades by type, every batch is of one type: say which.
        return _finding("type.allowed", "product_type", expected, "", False, "type.missing",
                        expected=expected, product=product)
    if not standard.types:
        return _finding("type.allowed", "product_type", "", declared, False, "type.none",
                        type=declared, product=product)
    return _finding("type.allowed", "product_type", expected, declared,
                    product_type is not None, "type.ok" if product_type else "type.bad",
                    type=declared, expected=expected, product=product)


def _season(standard: Standard, harvest: date | None, product) -> Finding:
    rule = standard.harvest
    expected = _season_expected(rule)
    if not isinstance(harvest, date):
        return _finding("harvest.season", "harvest_date", expected, "", False,
                        "season.missing", window=_window(rule, None), product=product)
    if isinstance(harvest, datetime):
        harvest = harvest.date()                # a term's day is compared with a day
    verdict = rule.admits(harvest)
    window = _window(rule, harvest.year)
    if verdict is None:
        return _finding("harvest.season", "harvest_date", expected, harvest.isoformat(), False,
                        "season.unknown", date=harvest.isoformat(), window=window,
                        product=product)
    return _finding("harvest.season", "harvest_date", expected, harvest.isoformat(), verdict,
                    "season.ok" if verdict else "season.bad",
                    date=harvest.isoformat(), window=window, product=product)


def _season_expected(rule) -> str:
    parts = []
    if rule.months:
        parts.append("months " + ", ".join(str(month) for month in rule.months))
    if rule.from_term:
        parts.append(f"from {rule.from_term}")
    if rule.before_term:
        parts.append(f"before {rule.before_term}")
    return "; ".join(parts)


def _window(rule, year: int | None) -> tuple[str, str]:
    """The harvest window in words, with the terms' days of the harvest year if known."""
    zh, en = [], []
    if rule.months:
        months_zh, months_en = messages.months(rule.months)
        zh.append(months_zh)
        en.append(months_en)
    start, end, _ = rule.term_window(year) if year is not None else (None, None, False)
    for term, day, key in ((rule.from_term, start, "window.from"),
                           (rule.before_term, end, "window.before")):
        if term:
            day_text = day.isoformat() if day else ""
            part = messages.render(key + (".day" if day else ""), term=_term_names(term),
                                   day=day_text)
            zh.append(part[0])
            en.append(part[1])
    return "，".join(zh), ", ".join(en)


def _term_names(term: str) -> tuple[str, str]:
    return term, f"{term} ({SOLAR_TERMS.get(term, term)})"


def _grade_allowed(grade: Grade, variety: str | None, product_type: str | None,
                   declared_type: str, product) -> Finding:
    """Whether the claimed grade exists for the batch's variety and type at all."""
    names = (grade.names.zh, grade.names.en)
    expected = "、".join(grade.varieties + grade.types)
    by_variety = grade.exists_for_variety(variety)
    if by_variety is False:
        return _finding("grade.allowed", "grade", expected, variety or "", False,
                        "grade.not_for_variety", grade=names, variety=variety or "",
                        allowed="、".join(grade.varieties), product=product)
    by_type = grade.exists_for_type(product_type)
    if by_type is False or (grade.types and declared_type and product_type is None):
        return _finding("grade.allowed", "grade", expected, declared_type, False,
                        "grade.not_for_type", grade=names, type=declared_type,
                        allowed="、".join(grade.types), product=product)
    if by_variety is None:
        return _finding("grade.allowed", "grade", expected, "", False,
                        "grade.variety_unknown", grade=names,
                        allowed="、".join(grade.varieties), product=product)
    if by_type is None:
        return _finding("grade.allowed", "grade", expected, "", False, "grade.type_unknown",
                        severity="warning", grade=names, allowed="、".join(grade.types))
    return _finding("grade.allowed", "grade", expected, variety or declared_type, True,
                    "grade.allowed", grade=names)


def _impossible(parameter: Parameter, raw, number: float) -> Finding:
    """A value no sample can have: a wrong lab report, refused before any limit."""
    names = (parameter.names.zh, parameter.names.en)
    bounds = parameter.physical.describe(parameter.unit)
    return _finding("param.physical", f"measurements.{parameter.key}", bounds, str(raw),
                    False, "param.impossible", param=names, actual=_show((raw, number), parameter),
                    kind=kind_of(parameter.unit), bounds=bounds)


def _grade_known(standard: Standard, claimed: str, grade: Grade | None, product) -> Finding:
    expected = ", ".join(g.key for g in standard.grades)
    if grade is not None:
        return _finding("grade.known", "grade", expected, claimed, True, "grade.known",
                        grade=(grade.names.zh, grade.names.en), product=product)
    key = "grade.unknown" if standard.grades else "grade.none"
    choices = ("、".join(g.names.zh for g in standard.grades),
               ", ".join(g.names.en for g in standard.grades))
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
    unsourced = limit.is_empty and variety is not None and variety in parameter.no_figure_for
    if value is None:
        if not parameter.required:
            return None
        if unsourced:
            return _finding("param.limit", field, expected, "", False, "param.unsourced",
                            severity="warning", param=names, variety=variety, product=product)
        return _finding("param.required", field, expected, "", False, "param.missing",
                        param=names, expected=expected)
    raw, parsed = value
    if parsed is None:
        return _finding("param.limit", field, expected, str(raw), False, "param.nan",
                        param=names, actual=str(raw))
    actual = _show(value, parameter)
    if unsourced:
        return _finding("param.limit", field, expected, actual, False, "param.unsourced",
                        severity="warning", param=names, variety=variety, product=product)
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


def _read_measurements(standard: Standard, measurements) -> tuple[dict, dict]:
    """Map known parameter keys to (raw, parsed); parsed is None for an unusable value.

    The second mapping holds the physically impossible numbers by key: their parsed value
    is None as well, so no limit and no grade can count them as met.
    """
    values, impossible = {}, {}
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
            if parsed is not None and parameter.physical is not None \
                    and not parameter.physical.contains(parsed):
                impossible[parameter.key] = parsed
                parsed = None
        values[parameter.key] = (raw, parsed)
    return values, impossible


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
