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
    "origin.retired": (
        "行政区划代码 {code}（{county}）已于{year}年撤销，现为{successor}；请按现行代码申报。",
        "Code {code} ({county}) retired in {year}, now {successor}; declare the current code."),
    "origin.invalid": (
        "“{code}”不是六位县级行政区划代码。",
        "“{code}” is not a six-digit county-level division code."),
    "variety.ok": (
        "品种“{variety}”是{product}标准列出的品种。",
        "The variety “{variety}” is one the {product} standard lists."),
    "variety.bad": (
        "品种“{variety}”不在{product}标准列出的品种（{expected}）之中。",
        "The variety “{variety}” is not among those the {product} standard lists ({expected})."),
    "variety.synonym": (
        "品种“{variety}”即{product}标准列出的品种“{canonical}”（同物异名）。",
        "The variety “{variety}” is “{canonical}”, a variety the {product} standard lists, "
        "under another name."),
    "type.ok": (
        "产品类型“{type}”是{product}标准规定的类型。",
        "The product type “{type}” is one the {product} standard defines."),
    "type.bad": (
        "产品类型“{type}”不在{product}标准规定的类型（{expected}）之中。",
        "The product type “{type}” is not among those the {product} standard defines "
        "({expected})."),
    "type.missing": (
        "未申报产品类型；{product}标准按类型划分等级，须申报以下类型之一：{expected}。",
        "No product type was declared; the {product} standard gives grades by type, so one of "
        "these must be declared: {expected}."),
    "type.none": (
        "{product}标准未划分产品类型，不能申报类型“{type}”。",
        "The {product} standard defines no product types, so the type “{type}” cannot be "
        "declared."),
    "variety.missing": (
        "未申报品种；{product}标准只允许以下品种：{expected}。",
        "No variety was declared; the {product} standard allows only: {expected}."),
    "season.ok": (
        "采收日期 {date} 在{product}的采收期（{window}）之内。",
        "The harvest date {date} falls in the harvest window of {product} ({window})."),
    "season.bad": (
        "采收日期 {date} 不在{product}的采收期（{window}）之内。",
        "The harvest date {date} falls outside the harvest window of {product} ({window})."),
    "season.missing": (
        "未申报采收日期；{product}的采收期为{window}。",
        "No harvest date was declared; {product} is harvested only {window}."),
    "season.unknown": (
        "无法计算 {date} 所在年份的节气日期（{window}），需由审核人员核实采收日期。",
        "The solar terms of the year of {date} cannot be computed ({window}); an official "
        "must check the harvest date."),
    "window.before": ("{term}之前", "before {term}"),
    "window.before.day": ("{term}（{day}）之前", "before {term}, {day}"),
    "window.from": ("{term}起", "from {term}"),
    "window.from.day": ("{term}（{day}）起", "from {term}, {day}"),
    "grade.known": (
        "等级“{grade}”是{product}标准规定的等级。",
        "The grade “{grade}” is defined by the {product} standard."),
    "grade.unknown": (
        "{product}标准没有“{grade}”这一等级（可选：{expected}）。",
        "The {product} standard has no grade “{grade}” (choose from: {expected})."),
    "grade.none": (
        "{product}标准未规定等级，不能申报等级“{grade}”。",
        "The {product} standard defines no grades, so the grade “{grade}” cannot be claimed."),
    "grade.allowed": (
        "等级“{grade}”适用于所申报的品种和类型。",
        "The grade “{grade}” exists for the declared variety and type."),
    "grade.not_for_variety": (
        "{product}标准中等级“{grade}”只适用于{allowed}，不适用于“{variety}”。",
        "In the {product} standard the grade “{grade}” exists only for {allowed}, not for "
        "“{variety}”."),
    "grade.not_for_type": (
        "{product}标准中等级“{grade}”只适用于{allowed}，不适用于“{type}”。",
        "In the {product} standard the grade “{grade}” exists only for {allowed}, not for "
        "“{type}”."),
    "grade.variety_unknown": (
        "等级“{grade}”只适用于{allowed}，而所申报的品种不是{product}标准列出的品种。",
        "The grade “{grade}” exists only for {allowed}, and no variety that the {product} "
        "standard lists was declared."),
    "grade.type_unknown": (
        "等级“{grade}”只适用于{allowed}；未申报产品类型，需由审核人员核实。",
        "The grade “{grade}” exists only for {allowed}; no product type was declared, so an "
        "official must confirm it."),
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
    "param.impossible": (
        "{param}的检测值 {actual} 不可能成立：{kind}只能是 {bounds}，请核对检测报告。",
        "The value {actual} given for {param} is impossible: {kind} can only be {bounds}; "
        "check the lab report."),
    "param.nan": (
        "{param}的检测值“{actual}”不是有效数字。",
        "The value “{actual}” given for {param} is not a valid number."),
    "param.nolimit": (
        "未申报{product}标准列出的品种，无法确定{param}的限值。",
        "{param} has no limit here, because no variety that the {product} standard lists "
        "was declared."),
    "param.unsourced": (
        "目录中没有{product}品种“{variety}”的{param}限值（来源未给出），需由审核人员判定。",
        "The catalogue holds no limit of {param} for the {product} variety “{variety}” (the "
        "sources give none), so an official must judge it."),
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
