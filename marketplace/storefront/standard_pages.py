"""What the public standards pages show: whole areas, readable grades, what is checked how.

The catalogue's files are written for auditors (keys, codes, English research notes); a
shopper reading /standards/<slug> in Chinese needs names, both languages where a name is
the thing itself, and plain sentences. Everything a page prints is put together here, from
the catalogue in force, so the templates only lay it out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from gi_standards import CATEGORIES, County, Standard, county_index
from gi_standards import messages as finding_messages
from gi_standards.harvest import SOLAR_TERMS
from marketplace.standards import services


@dataclass(frozen=True)
class AreaCounty:
    """A county of a protected area, wholly inside or only by some townships."""

    county: County
    partial: bool

    def label(self, language: str) -> str:
        c = self.county
        if language == "zh":
            return f"{c.province_zh}{c.city_zh if c.city_zh != c.province_zh else ''}{c.name_zh}"
        return f"{c.name_en}, {c.province_en}"


@dataclass
class StandardPage:
    standard: Standard
    language: str
    area: list[AreaCounty]
    source_line: str
    harvest: str
    varieties: list[str]
    grades: list[dict]
    parameters: list[dict]
    automatic: list[str]
    by_hand: list[str]
    show_research_notes: bool
    versions: list = field(default_factory=list)


@dataclass
class CatalogueCard:
    standard: Standard
    provinces: list[str]
    full: int
    partial: int


def area_of(standard: Standard) -> list[AreaCounty]:
    """Every county of the area, the wholly-inside ones first, each group by code."""
    table = county_index()
    full = [AreaCounty(table[code], False) for code in sorted(standard.protected_area)
            if code in table]
    partial = [AreaCounty(table[code], True) for code in sorted(standard.partial_area)
               if code in table]
    return full + partial


def provinces_of(standard: Standard) -> set[str]:
    """The provinces (Chinese names) any part of the area lies in."""
    table = county_index()
    return {table[code].province_zh for code in standard.county_codes if code in table}


def catalogue_page(category: str, province: str, language: str) -> dict:
    """The /standards list, filtered by category and by province (partial areas count)."""
    catalogue = services.current_catalogue()
    table = county_index()
    english = {county.province_zh: county.province_en for county in table.values()}
    provinces = sorted({p for standard in catalogue.values() for p in provinces_of(standard)})
    cards = []
    for standard in sorted(catalogue.values(), key=lambda s: (s.category, s.slug)):
        if category and standard.category != category:
            continue
        theirs = provinces_of(standard)
        if province and province not in theirs:
            continue
        names = sorted(theirs) if language == "zh" else sorted(english.get(p, p) for p in theirs)
        cards.append(CatalogueCard(standard, names, len(standard.protected_area),
                                   len(standard.partial_area)))
    return {"cards": cards, "categories": CATEGORIES, "category": category,
            "provinces": [(p, p if language == "zh" else english.get(p, p)) for p in provinces],
            "province": province}


def standard_page(slug: str, language: str) -> StandardPage | None:
    """The page of one GI product standard, or None if the catalogue has no such slug."""
    catalogue = services.current_catalogue()
    if slug not in catalogue:
        return None
    standard = catalogue[slug]
    automatic, by_hand = _checks(standard, language)
    return StandardPage(
        standard=standard, language=language, area=area_of(standard),
        source_line=_source_line(standard), harvest=_harvest_text(standard, language),
        varieties=[_variety_text(standard, v, language) for v in standard.varieties],
        grades=[_grade_row(g, language) for g in standard.grades],
        parameters=[_parameter_row(standard, p, language) for p in standard.parameters],
        automatic=automatic, by_hand=by_hand, show_research_notes=language != "zh",
        versions=services.versions(slug),
    )


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language == "zh" else pair[1]


def _source_line(standard: Standard) -> str:
    """Say in plain words which document the page follows and how we read it."""
    document = standard.standard
    basis = {
        "H": _("the official text"),
        "M": _("a copy that reproduces the official text"),
        "L": _("secondary sources, not the official text"),
    }
    letters = document.confidence.split("-")
    how = basis[letters[0]] if len(set(letters)) == 1 else _(
        "copies of the official text and secondary sources")
    return _("Source: %(code)s “%(title)s”, read from %(how)s.",
             code=document.code, title=document.title, how=how)


def _harvest_text(standard: Standard, language: str) -> str:
    rule = standard.harvest
    if rule.is_empty:
        return ""
    parts = []
    if rule.months:
        parts.append(_pick(finding_messages.months(rule.months), language))
    for key, term in (("window.from", rule.from_term), ("window.before", rule.before_term)):
        if term:
            names = (term, f"{term} ({SOLAR_TERMS.get(term, term)})")
            parts.append(_pick(finding_messages.render(key, term=names, day=""), language))
    return ("，" if language == "zh" else ", ").join(parts)


def _variety_text(standard: Standard, variety: str, language: str) -> str:
    synonyms = standard.synonyms_of(variety)
    if not synonyms:
        return variety
    return _("%(variety)s (also sold as %(synonyms)s)", variety=variety,
             synonyms=("、" if language == "zh" else ", ").join(synonyms))


def _other(language: str) -> str:
    return "en" if language == "zh" else "zh"


def _grade_row(grade, language: str) -> dict:
    limited_to = grade.varieties + grade.types
    return {
        "name": grade.names.get(language), "other_name": grade.names.get(_other(language)),
        "only_for": ("、" if language == "zh" else ", ").join(limited_to),
        "measurable": grade.is_measurable,
        "note": grade.note if language != "zh" else "",
    }


def _parameter_row(standard: Standard, parameter, language: str) -> dict:
    by_variety = [f"{name} {limit.describe(parameter.unit)}"
                  for name, limit in parameter.by_variety]
    by_variety += [_("%(variety)s: no figure", variety=name) for name in parameter.no_figure_for]
    grade_limits = []
    for grade in standard.grades:
        if grade.limits:
            limit = grade.limit_for(parameter.key)
            grade_limits.append(limit.describe(parameter.unit) if limit else "—")
    base = parameter.limit.describe(parameter.unit) if not parameter.limit.is_empty else ""
    return {
        "name": parameter.names.get(language),
        "other_name": parameter.names.get(_other(language)),
        "required": parameter.required,
        "limit": "; ".join(([base] if base else []) + by_variety),
        "grade_limits": grade_limits,
    }


def _checks(standard: Standard, language: str) -> tuple[list[str], list[str]]:
    """What the platform checks on every batch, and what is left to the county official."""
    sep = "、" if language == "zh" else ", "
    automatic = [_("Origin: the cooperative's county lies in the protected area "
                   "(counties wholly inside: %(full)d; partly inside: %(partial)d).",
                   full=len(standard.protected_area), partial=len(standard.partial_area)),
                 _("Division codes: a code retired since the approval is refused with its "
                   "current successor.")]
    by_hand = []
    if standard.varieties:
        automatic.append(_("Variety: one of %(list)s; names under which the announcement "
                           "admits a variety are accepted as that variety.",
                           list=sep.join(standard.varieties)))
    if standard.types:
        automatic.append(_("Product type: every batch declares one of %(list)s; a grade that "
                           "exists only for some types is refused for the others.",
                           list=sep.join(standard.types)))
    if not standard.harvest.is_empty:
        automatic.append(_("Harvest date: %(window)s.",
                           window=_harvest_text(standard, language)))
    if any(g.varieties or g.types for g in standard.grades):
        automatic.append(_("Grades: a grade is accepted only for the varieties or types it "
                           "exists for."))
    measured = [p.names.get(language) for p in standard.parameters]
    if measured:
        automatic.append(_("Lab results: %(list)s, each against its limit and against what "
                           "is physically possible.", list=sep.join(measured)))
    measurable = [g.names.get(language) for g in standard.grades if g.is_measurable]
    if measurable:
        automatic.append(_("Claimed grade: %(list)s, against the grade's own limits.",
                           list=sep.join(measurable)))
    table = county_index()
    partial = [table[c].name(language) for c in standard.partial_area if c in table]
    if partial:
        by_hand.append(_("Township: only some townships of %(list)s lie inside, so the "
                         "official confirms the batch's township.", list=sep.join(partial)))
    if all(parameter.is_text for parameter in standard.parameters):
        by_hand.append(_("Quality: the physical and chemical limits of this standard are not "
                         "yet in the catalogue, so the official judges the lab report."))
    optional = [p.names.get(language) for p in standard.parameters if not p.required]
    if optional:
        by_hand.append(_("Optional lab results (%(list)s): checked when a batch declares them; "
                         "otherwise the official judges them from the lab report and records.",
                         list=sep.join(optional)))
    unconfirmable = [g.names.get(language) for g in standard.grades if not g.is_measurable]
    if unconfirmable:
        by_hand.append(_("Grades told apart by appearance and taste (%(list)s): the official "
                         "judges the claimed grade.", list=sep.join(unconfirmable)))
    for parameter in standard.parameters:
        if parameter.no_figure_for:
            by_hand.append(_("%(param)s of %(list)s: the sources give no figure, so the "
                             "official judges it.", param=parameter.names.get(language),
                             list=sep.join(parameter.no_figure_for)))
    if standard.types:
        by_hand.append(_("Product type: the official confirms from the sample that the batch "
                         "is of the type declared (%(list)s).", list=sep.join(standard.types)))
    if standard.harvest.is_empty:
        by_hand.append(_("Harvest season: the catalogue holds no harvest window for this "
                         "product, so the official checks the harvest date."))
    return automatic, by_hand
