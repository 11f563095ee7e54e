"""The sentences of findings, in Chinese and English.

Findings are stored with the batch and shown on the verify page years later, so each one
carries both finished sentences instead of a message id that a later release might word
differently. Values given as a (zh, en) pair are put into the matching language.
"""
from __future__ import annotations

from collections.abc import Iterable

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")

MESSAGES: dict[str, tuple[str, str]] = {
    "origin.inside": (
        "{county}位于{product}地理标志产品保护范围内。",
        "{county} lies inside the protected area of {product}."),
    "origin.partial": (
        "{county}只有部分乡镇位于{product}保护范围内，需由审核人员核实所在乡镇。",
        "Only some townships of {county} lie inside the protected area of {product}; "
        "an official must confirm the township."),
    "origin.outside": (
        "{county}不在{product}地理标志产品保护范围内。",
        "{county} lies outside the protected area of {product}."),
    "origin.invalid": (
        "“{code}”不是六位县级行政区划代码。",
        "“{code}” is not a six-digit county-level division code."),
    "variety.ok": (
        "品种“{variety}”是{product}标准列出的品种。",
        "The variety “{variety}” is one the {product} standard lists."),
    "variety.bad": (
        "品种“{variety}”不在{product}标准列出的品种（{expected}）之中。",
        "The variety “{variety}” is not among those the {product} standard lists ({expected})."),
    "variety.missing": (
        "未申报品种；{product}标准只允许以下品种：{expected}。",
        "No variety was declared; the {product} standard allows only: {expected}."),
    "season.ok": (
        "采收日期 {date} 在{product}的采收月份（{months}）之内。",
        "The harvest date {date} falls in the harvest months of {product} ({months})."),
    "season.bad": (
        "采收日期 {date} 不在{product}的采收月份（{months}）之内。",
        "The harvest date {date} falls outside the harvest months of {product} ({months})."),
    "season.missing": (
        "未申报采收日期；{product}只在{months}采收。",
        "No harvest date was declared; {product} is harvested only in {months}."),
    "grade.known": (
        "等级“{grade}”是{product}标准规定的等级。",
        "The grade “{grade}” is defined by the {product} standard."),
    "grade.unknown": (
        "{product}标准没有“{grade}”这一等级（可选：{expected}）。",
        "The {product} standard has no grade “{grade}” (choose from: {expected})."),
    "grade.none": (
        "{product}标准未规定等级，不能申报等级“{grade}”。",
        "The {product} standard defines no grades, so the grade “{grade}” cannot be claimed."),
    "grade.met": (
        "样品达到所申报等级“{grade}”的全部指标。",
        "The sample meets every limit of the claimed grade “{grade}”."),
    "grade.unmet": (
        "样品未达到所申报等级“{grade}”：{unmet}。",
        "The sample does not reach the claimed grade “{grade}”: {unmet}."),
    "grade.unconfirmable": (
        "目录中没有等级“{grade}”的可测指标（该等级按感官等要求评定），需由审核人员判定。",
        "The catalogue holds no measurable limit of the grade “{grade}” (it is judged on "
        "appearance and taste), so an official must judge it."),
    "param.missing": (
        "缺少必检项目“{param}”的检测结果（要求 {expected}）。",
        "The required measurement “{param}” is missing (required: {expected})."),
    "param.ok": (
        "{param} {actual} 符合要求（{expected}）。",
        "{param} {actual} meets the limit ({expected})."),
    "param.out": (
        "{param} {actual} 不符合要求（{expected}）。",
        "{param} {actual} does not meet the limit ({expected})."),
    "param.nan": (
        "{param}的检测值“{actual}”不是有效数字。",
        "The value “{actual}” given for {param} is not a valid number."),
    "param.nolimit": (
        "未申报{product}标准列出的品种，无法确定{param}的限值。",
        "{param} has no limit here, because no variety that the {product} standard lists "
        "was declared."),
    "param.unknown": (
        "{product}标准没有“{key}”这一检测项目，该结果未予评判。",
        "The {product} standard has no parameter “{key}”; this result was not judged."),
    "unmet.value": ("{param} {actual}（要求 {expected}）", "{param} {actual} (required: {expected})"),
    "unmet.missing": ("{param}未检测（要求 {expected}）", "{param} not measured (required: {expected})"),
}


def render(message_id: str, /, **values: str | tuple[str, str]) -> tuple[str, str]:
    """Fill one message in both languages: (message_zh, message_en)."""
    zh_template, en_template = MESSAGES[message_id]
    return (
        zh_template.format(**{name: _pick(value, 0) for name, value in values.items()}),
        en_template.format(**{name: _pick(value, 1) for name, value in values.items()}),
    )


def join(parts: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """Join rendered fragments into one (zh, en) pair."""
    parts = list(parts)
    return "；".join(p[0] for p in parts), "; ".join(p[1] for p in parts)


def months(numbers: Iterable[int]) -> tuple[str, str]:
    """Name months in both languages: ("3月、4月", "March, April")."""
    numbers = list(numbers)
    return ("、".join(f"{n}月" for n in numbers), ", ".join(_EN_MONTHS[n - 1] for n in numbers))


def _pick(value: str | tuple[str, str], index: int) -> str:
    return value[index] if isinstance(value, tuple) else value
