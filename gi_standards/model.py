"""The standards catalogue as frozen values: a GI product standard and its parts.

Everything here is immutable, so a loaded standard can be shared between requests and
threads, cached, and compared; the file it was read from is kept verbatim (`source_text`)
so the web app can store exactly which version validated a batch.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date

from .harvest import HarvestRule
from .limits import Limit, normalize_text
from .report import Declaration, Report, pick_locale
from .validation import validate

#: The fixed list of product categories; a file naming another one is rejected.
CATEGORIES = ("tea", "rice", "fruit", "processed")


@dataclass(frozen=True)
class LocalizedName:
    """A name in Chinese and English, the two languages of the shop."""

    zh: str
    en: str

    def get(self, locale: str | None) -> str:
        return self.zh if pick_locale(locale) == "zh" else self.en


@dataclass(frozen=True)
class StandardDocument:
    """The published document the figures come from, and how far we trust our copy.

    `confidence` uses the letters of the research notes: H = official text, M = a copy
    reproducing it, L = a secondary source or a draft; "L-M" for in between.
    """

    code: str
    title: str
    source: str
    confidence: str
    in_force: date | None = None
    replaces: str = ""


@dataclass(frozen=True)
class Parameter:
    """A measured quality parameter with its base limit.

    `by_variety` replaces the base limit for the varieties it names, because standards
    word such figures that way ("庆丰 ≥ 150 g, other varieties ≥ 275 g"); a grade's limits
    then tighten whatever applies.
    """

    key: str
    names: LocalizedName
    limit: Limit
    unit: str = ""
    required: bool = True
    by_variety: tuple[tuple[str, Limit], ...] = ()
    source: str = ""
    #: What a measurement can physically be (from the unit, or declared): values outside
    #: are impossible and refused before any limit is looked at. None for text.
    physical: Limit | None = None
    #: Varieties for which the sources give no figure: the official judges them by hand.
    no_figure_for: tuple[str, ...] = ()

    @property
    def is_text(self) -> bool:
        if self.limit.is_text:
            return True
        return any(limit.is_text for _, limit in self.by_variety)

    def limit_for(self, variety: str | None) -> Limit:
        """The limit for a sample of this variety (the base limit if none is given)."""
        for name, limit in self.by_variety:
            if variety is not None and normalize_text(name) == normalize_text(variety):
                return limit
        return self.limit


@dataclass(frozen=True)
class Grade:
    """A grade of the product; its limits are added on top of the base limits.

    A grade with no limits of its own differs from the others only by criteria the
    catalogue does not hold (appearance, taste): no measurement can confirm it.
    """

    key: str
    names: LocalizedName
    limits: tuple[tuple[str, Limit], ...] = ()
    note: str = ""
    #: The varieties this grade exists for (empty: all), as the standard spells them.
    varieties: tuple[str, ...] = ()
    #: The product types this grade exists for (empty: all), from the standard's `types`.
    types: tuple[str, ...] = ()

    def limit_for(self, parameter_key: str) -> Limit | None:
        return dict(self.limits).get(parameter_key)

    def exists_for_variety(self, variety: str | None) -> bool | None:
        """Whether the grade exists for a variety; None if restricted and none is known."""
        if not self.varieties:
            return True
        if variety is None:
            return None
        return any(normalize_text(v) == normalize_text(variety) for v in self.varieties)

    def exists_for_type(self, product_type: str | None) -> bool | None:
        """Whether the grade exists for a product type; None if restricted and none is known."""
        if not self.types:
            return True
        if product_type is None:
            return None
        return any(normalize_text(t) == normalize_text(product_type) for t in self.types)

    @property
    def is_measurable(self) -> bool:
        return bool(self.limits)


@dataclass(frozen=True)
class SubArea:
    """A part of the protected area that has names of its own.

    The standard reserves these names for products of that part: 西湖龙井 is 龙井茶 from
    the 西湖 production zone only. Each name is also one of the standard's aliases or
    English names, so it is shown and searched like them.
    """

    zone: LocalizedName
    counties: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Standard:
    """One GI product standard: where it may come from, what it must measure, its grades.

    `protected_area` holds counties wholly inside the area; `partial_area` those of which
    only some townships are, which the county-level check cannot settle alone.
    `varieties` are the names the standard uses; `synonyms` maps each of them to other
    names under which the announcement admits the same variety (稻花香2号 = 五优稻4号).
    `types` are product types (清香型, 浓香型 …) that some grades are limited to.
    """

    slug: str
    names: LocalizedName
    category: str
    standard: StandardDocument
    version: int
    protected_area: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    #: English names used in trade and in the standard's English title ("Dragon Well tea").
    english_names: tuple[str, ...] = ()
    #: Phrases that contain a protected name but mean something else (龙井市, 龙井虾仁).
    exclusions: tuple[str, ...] = ()
    sub_areas: tuple[SubArea, ...] = ()
    partial_area: tuple[str, ...] = ()
    harvest: HarvestRule = field(default_factory=HarvestRule)
    varieties: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    types: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    grades: tuple[Grade, ...] = ()
    notes: str = ""
    #: The file as published, kept verbatim so every version can be stored and shown.
    source_text: str = field(default="", repr=False, compare=False)
    #: The name of the file it was read from, for messages.
    filename: str = field(default="", compare=False)

    @property
    def code(self) -> str:
        return self.standard.code

    @property
    def harvest_months(self) -> tuple[int, ...]:
        return self.harvest.months

    def synonyms_of(self, variety: str) -> tuple[str, ...]:
        return dict(self.synonyms).get(variety, ())

    @property
    def title(self) -> str:
        return self.standard.title

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the file (line endings normalised): the same file, the same print."""
        text = self.source_text.replace("\r\n", "\n")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def name(self, locale: str | None) -> str:
        return self.names.get(locale)

    def parameter(self, key: str) -> Parameter | None:
        return next((p for p in self.parameters if p.key == key), None)

    def grade(self, key_or_name: str | None) -> Grade | None:
        """Find a grade by key or by its Chinese or English name ("premium", "特级")."""
        if not key_or_name:
            return None
        wanted = normalize_text(key_or_name)
        for grade in self.grades:
            if wanted in (normalize_text(grade.key), normalize_text(grade.names.zh),
                          normalize_text(grade.names.en)):
                return grade
        return None

    def variety(self, name: str | None) -> str | None:
        """The variety as the standard spells it (a synonym gives its variety), or None."""
        if not name:
            return None
        wanted = normalize_text(name)
        for variety in self.varieties:
            names = (variety, *self.synonyms_of(variety))
            if any(normalize_text(candidate) == wanted for candidate in names):
                return variety
        return None

    def product_type(self, name: str | None) -> str | None:
        """The product type as the standard spells it, or None if it lists no such type."""
        if not name:
            return None
        wanted = normalize_text(name)
        return next((t for t in self.types if normalize_text(t) == wanted), None)

    def area_status(self, county_code: str) -> str | None:
        """"full" or "partial" if the county lies in the protected area, else None."""
        if county_code in self.protected_area:
            return "full"
        if county_code in self.partial_area:
            return "partial"
        return None

    @property
    def county_codes(self) -> tuple[str, ...]:
        return self.protected_area + self.partial_area

    @property
    def sub_area_names(self) -> dict[str, frozenset[str]]:
        """Each name reserved for part of the area, with the county codes of that part.

        {"西湖龙井": frozenset({"330106"}), …}; a name not listed here belongs to the
        whole protected area.
        """
        return {name: frozenset(sub_area.counties)
                for sub_area in self.sub_areas for name in sub_area.names}

    def name_area(self, name: str) -> frozenset[str] | None:
        """The counties a name of this standard is reserved for; None for the whole area."""
        return self.sub_area_names.get(name)

    def effective_limit(self, parameter_key: str, variety: str | None = None,
                        grade: str | None = None) -> Limit:
        """The limit a sample must meet: base or variety limit, tightened by the grade."""
        parameter = self.parameter(parameter_key)
        if parameter is None:
            raise KeyError(parameter_key)
        limit = parameter.limit_for(variety)
        chosen = self.grade(grade) if grade else None
        return limit.tighten(chosen.limit_for(parameter_key) if chosen else None)

    def validate(self, declaration: Declaration) -> Report:
        """Check a batch's declaration against this standard; never raises on bad values."""
        return validate(self, declaration)

    def to_toml_dict(self) -> dict:
        """The file's content as tomllib reads it (for JSON APIs and re-publication)."""
        return tomllib.loads(self.source_text)
