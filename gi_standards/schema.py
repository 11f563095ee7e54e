"""The catalogue file format: which keys a standard file has, and what each must hold.

The format is public (supervisors and other platforms write these files), so it is strict:
unknown keys are rejected, since a misspelt `maxx = 6.5` silently dropping a limit would be
worse than a refused upload. `gi_standards/data/README.md` documents the format.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from .counties import retired_counties
from .fields import Reader, join_path, type_name
from .harvest import SOLAR_TERMS, HarvestRule
from .limits import BOUND_KEYS, LIMIT_KEYS, Limit
from .model import CATEGORIES, Grade, LocalizedName, Parameter, Standard, StandardDocument
from .physical import kind_of, outside_bound_values, unit_bounds
from .schema_names import NAMING_KEYS, check_exclusions, read_naming

TOP_KEYS = frozenset({
    "slug", "names", "aliases", "category", "version", "standard", "protected_area",
    "partial_area", "harvest_months", "harvest", "varieties", "types", "notes", "parameters",
    "grades"})
NAME_KEYS = frozenset({"zh", "en"})
DOCUMENT_KEYS = frozenset({"code", "title", "source", "confidence", "in_force", "replaces"})
PARAMETER_KEYS = frozenset({"key", "names", "unit", "required", "by_variety", "source",
                            "physical", "no_figure_for", *LIMIT_KEYS})
GRADE_KEYS = frozenset({"key", "names", "limits", "note", "varieties", "types"})
VARIETY_KEYS = frozenset({"name", "synonyms"})
HARVEST_KEYS = frozenset({"months", "before_term", "from_term", "note"})
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
KEY = r"[a-z][a-z0-9_]*"
GRADE_KEY = r"[a-z][a-z0-9_-]*"
CONFIDENCE = r"[HML](?:-[HML])?"


def build_standard(doc: dict, reader: Reader, source_text: str,
                   known_counties: Collection[str] | None = None) -> Standard | None:
    """Turn a parsed file into a Standard, or return None with the problems in `reader`."""
    before = len(reader.problems)
    reader.only_keys(doc, TOP_KEYS | NAMING_KEYS, "")
    slug = reader.get(doc, "slug", "", str, required=True)
    if slug and (not re.fullmatch(SLUG, slug) or len(slug) > 80):
        reader.problem("slug", "must be lower-case letters, digits and single hyphens "
                               "(at most 80), like 'longjing-tea'")
    names = _names(reader, doc, "")
    category = reader.get(doc, "category", "", str, required=True)
    if category and category not in CATEGORIES:
        reader.problem("category", f"unknown category {category!r}; one of: {', '.join(CATEGORIES)}")
    version = reader.get(doc, "version", "", int, required=True)
    if version is not None and version < 1:
        reader.problem("version", "must be 1 or more")
    document = _document(reader, doc)
    protected = _area(reader, doc, "protected_area", known_counties, required=True)
    partial = _area(reader, doc, "partial_area", known_counties)
    for code in set(protected) & set(partial):
        reader.problem("partial_area", f"{code} is also in protected_area")
    if "protected_area" in doc and not protected and not partial:
        reader.problem("protected_area", "must name at least one county")
    harvest = _harvest(reader, doc)
    varieties, synonyms = _varieties(reader, doc)
    types = reader.text_list(doc, "types", "")
    parameters = _parameters(reader, doc, varieties)
    grades = _grades(reader, doc, parameters, varieties, types)
    aliases = reader.text_list(doc, "aliases", "")
    naming = read_naming(reader, doc, names, aliases, protected + partial, known_counties,
                         _area)
    notes = reader.get(doc, "notes", "", str) or ""
    if len(reader.problems) != before:
        return None
    standard = Standard(
        slug=slug, names=names, category=category, standard=document, version=version,
        protected_area=protected, partial_area=partial, aliases=aliases,
        harvest=harvest, varieties=varieties, synonyms=synonyms, types=types,
        parameters=tuple(parameters.values()),
        grades=grades, notes=notes, source_text=source_text, filename=reader.filename,
        **naming)
    check_exclusions(reader, standard)
    return standard if len(reader.problems) == before else None


def _names(reader: Reader, table: dict, parent: str) -> LocalizedName | None:
    path = join_path(parent, "names")
    names = reader.get(table, "names", parent, dict, required=True)
    if names is None:
        return None
    reader.only_keys(names, NAME_KEYS, path)
    zh = reader.get(names, "zh", path, str, required=True)
    en = reader.get(names, "en", path, str, required=True)
    return LocalizedName(zh, en) if zh and en else None


def _document(reader: Reader, doc: dict) -> StandardDocument | None:
    table = reader.get(doc, "standard", "", dict, required=True)
    if table is None:
        return None
    reader.only_keys(table, DOCUMENT_KEYS, "standard")
    values = {key: reader.get(table, key, "standard", str, required=True)
              for key in ("code", "title", "source", "confidence")}
    if values["confidence"] and not re.fullmatch(CONFIDENCE, values["confidence"]):
        reader.problem("standard.confidence", "must be H, M or L, or a range such as L-M")
    in_force = reader.get(table, "in_force", "standard", date)
    replaces = reader.get(table, "replaces", "standard", str) or ""
    if not all(values.values()):
        return None
    return StandardDocument(**values, in_force=in_force, replaces=replaces)


def _area(reader: Reader, doc: dict, key: str, known: Collection[str] | None,
          required: bool = False, parent: str = "") -> tuple[str, ...]:
    items = reader.get(doc, key, parent, list, required=required) or []
    codes: list[str] = []
    for index, code in enumerate(items):
        where = join_path(join_path(parent, key), index)
        if not isinstance(code, str):
            reader.problem(where, f"county code must be text in quotes (\"330106\"), "
                                  f"not {type_name(code)}")
        elif not re.fullmatch(r"[0-9]{6}", code):
            reader.problem(where, f"county code {code!r} must be six digits")
        elif code.endswith("00"):
            reader.problem(where, f"{code} is a prefecture or province code; "
                                  "name its county-level divisions")
        elif code in codes:
            reader.problem(where, f"{code} appears twice")
        elif code in retired_counties():
            old = retired_counties()[code]
            reader.problem(where, f"code retired, now {' '.join(old.successors)}: {code} "
                                  f"({old.name_zh}) was retired in {old.retired}")
        elif known is not None and code not in known:
            reader.problem(where, f"{code} is not in the county table")
        else:
            codes.append(code)
    return tuple(codes)


def _varieties(reader: Reader, doc: dict):
    """Read `varieties`: names, or tables `{ name = "…", synonyms = ["…"] }`.

    Every name and synonym must be unique across the list, since a declared name must
    lead to exactly one variety.
    """
    names: list[str] = []
    synonyms: list[tuple[str, tuple[str, ...]]] = []
    seen: dict[str, str] = {}

    def claim(name: str, where: str) -> bool:
        folded = name.casefold()
        if folded in seen:
            owner = seen[folded]
            reader.problem(where, f"{name!r} appears twice" if owner.casefold() == folded
                           else f"{name!r} is already a synonym of the variety {owner!r}")
            return False
        return True

    for index, item in enumerate(reader.get(doc, "varieties", "", list) or []):
        where = join_path("varieties", index)
        if isinstance(item, dict):
            reader.only_keys(item, VARIETY_KEYS, where)
            name = reader.get(item, "name", where, str, required=True)
            aliases = reader.text_list(item, "synonyms", where)
        elif isinstance(item, str) and item.strip():
            name, aliases = item.strip(), ()
        else:
            reader.problem(where, "must be a variety name or a table "
                                  "{ name = \"…\", synonyms = [\"…\"] }")
            continue
        if not name or not claim(name, where):
            continue
        names.append(name)
        seen[name.casefold()] = name
        kept = []
        for position, alias in enumerate(aliases):
            if claim(alias, join_path(join_path(where, "synonyms"), position)):
                seen[alias.casefold()] = name
                kept.append(alias)
        if kept:
            synonyms.append((name, tuple(kept)))
    return tuple(names), tuple(synonyms)


def _harvest(reader: Reader, doc: dict) -> HarvestRule:
    """Read the harvest window: `harvest_months`, or a `[harvest]` table."""
    table = reader.get(doc, "harvest", "", dict)
    if table is None:
        return HarvestRule(months=_months(reader, doc, "harvest_months", ""))
    if "harvest_months" in doc:
        reader.problem("harvest_months", "give the months in [harvest] as 'months', not both")
    reader.only_keys(table, HARVEST_KEYS, "harvest")
    months = _months(reader, table, "months", "harvest")
    terms = {}
    for key in ("before_term", "from_term"):
        term = reader.get(table, key, "harvest", str) or ""
        if term and term not in SOLAR_TERMS:
            reader.problem(f"harvest.{key}", f"unknown solar term {term!r}; one of: "
                                             f"{'、'.join(SOLAR_TERMS)}")
        terms[key] = term
    note = reader.get(table, "note", "harvest", str) or ""
    rule = HarvestRule(months=months, note=note, **terms)
    if rule.is_empty:
        reader.problem("harvest", "gives no rule (months, before_term or from_term)")
    return rule


def _months(reader: Reader, doc: dict, key: str, parent: str) -> tuple[int, ...]:
    months: list[int] = []
    for index, month in enumerate(reader.get(doc, key, parent, list) or []):
        where = join_path(join_path(parent, key), index)
        if isinstance(month, bool) or not isinstance(month, int):
            reader.problem(where, f"must be a month number, not {type_name(month)}")
        elif not 1 <= month <= 12:
            reader.problem(where, f"month {month} is outside 1..12")
        elif month in months:
            reader.problem(where, f"month {month} appears twice")
        else:
            months.append(month)
    return tuple(months)


def _parameters(reader: Reader, doc: dict, varieties: tuple[str, ...]) -> dict[str, Parameter]:
    """Read [[parameters]]; keys of broken parameters are kept (as None) for grade checks."""
    result: dict[str, Parameter | None] = {}
    for index, table in enumerate(reader.get(doc, "parameters", "", list) or []):
        path = join_path("parameters", index)
        if not isinstance(table, dict):
            reader.problem(path, f"must be a table ([[parameters]]), not {type_name(table)}")
            continue
        before = len(reader.problems)
        reader.only_keys(table, PARAMETER_KEYS, path)
        key = reader.get(table, "key", path, str, required=True)
        if key and not re.fullmatch(KEY, key):
            reader.problem(f"{path}.key", f"{key!r} must be lower-case letters, digits and _")
        elif key in result:
            reader.problem(f"{path}.key", f"duplicate parameter key {key!r}")
            key = None
        names = _names(reader, table, path)
        unit = reader.get(table, "unit", path, str) or ""
        required = reader.get(table, "required", path, bool)
        source = reader.get(table, "source", path, str) or ""
        limit = reader.limit(table, path)
        by_variety = _by_variety(reader, table, path, varieties)
        no_figure = _subset(reader, table, "no_figure_for", path, varieties, "varieties")
        for name in no_figure:
            if by_variety and name in dict(by_variety):
                reader.problem(f"{path}.no_figure_for", f"{name!r} also has a by_variety limit")
        if limit is not None and by_variety is not None:
            _check_parameter_limits(reader, path, limit, by_variety, varieties, no_figure)
        physical = None
        if limit is not None and by_variety is not None:
            is_text = limit.is_text or any(item.is_text for _, item in by_variety)
            if not is_text:
                physical = _physical(reader, table, path, unit)
                for where, item in [(path, limit)] + [
                        (join_path(f"{path}.by_variety", name), item) for name, item in by_variety]:
                    _check_physical(reader, where, item, physical, unit)
            elif "physical" in table:
                reader.problem(f"{path}.physical", "a text parameter has no physical bounds")
        if key:
            ok = len(reader.problems) == before
            result[key] = Parameter(key, names, limit, unit, required is not False,
                                    by_variety, source, physical, no_figure) if ok else None
    return result


def _physical(reader: Reader, table: dict, path: str, unit: str) -> Limit | None:
    """The parameter's physical bounds: the unit's, narrowed by a declared `physical`."""
    implied = unit_bounds(unit)
    where = f"{path}.physical"
    declared = reader.get(table, "physical", path, dict)
    if declared is None:
        if implied is None and "physical" not in table:
            reader.problem(where, f"the unit {unit or '(none)'!r} implies no physical bounds; "
                                  "declare them, e.g. physical = { gt = 0 }")
        return implied
    reader.only_keys(declared, BOUND_KEYS, where)
    bounds = reader.limit({k: v for k, v in declared.items() if k in BOUND_KEYS}, where)
    if bounds is None:
        return implied
    if bounds.is_empty:
        reader.problem(where, "gives no bound (min, max, gt or lt)")
        return implied
    if implied is not None:
        for key, value in outside_bound_values(bounds, implied):
            reader.problem(f"{where}.{key}", f"{value} widens what {kind_of(unit)[1]} can be "
                                             f"({implied.describe(unit)})")
        return implied.tighten(bounds)
    return bounds


def _check_physical(reader: Reader, where: str, limit: Limit, physical: Limit | None,
                    unit: str) -> None:
    """Refuse a limit beyond the physical bounds, or one that only impossible values meet."""
    if physical is None or limit.is_empty or limit.is_text:
        return
    beyond = outside_bound_values(limit, physical)
    for key, value in beyond:
        reader.problem(join_path(where, key),
                       f"{key} {value} contradicts the physical bounds "
                       f"{physical.describe(unit)} of {kind_of(unit)[1]}")
    if not beyond and not physical.tighten(limit).admits_some_value():
        reader.problem(where, f"no physically possible value ({physical.describe(unit)}) "
                              f"meets {limit.describe(unit)}")


def _by_variety(reader: Reader, table: dict, parent: str, varieties: tuple[str, ...]):
    path = f"{parent}.by_variety"
    entries = reader.get(table, "by_variety", parent, dict) or {}
    if entries and not varieties:
        reader.problem(path, "needs the standard's 'varieties' list")
    result, ok = [], True
    for name, sub in entries.items():
        where = join_path(path, name)
        if not isinstance(sub, dict):
            reader.problem(where, f"must be a table of limits, not {type_name(sub)}")
            ok = False
            continue
        reader.only_keys(sub, LIMIT_KEYS, where)
        limit = reader.limit(sub, where)
        if varieties and name not in varieties:
            reader.problem(where, f"unknown variety; the standard lists: {'、'.join(varieties)}")
        if limit is not None and limit.is_empty:
            reader.problem(where, "gives no limit (min, max, gt, lt or allowed)")
        if limit is None:
            ok = False
        else:
            result.append((name, limit))
    return tuple(result) if ok else None


def _check_parameter_limits(reader: Reader, path: str, limit: Limit, by_variety,
                            varieties: tuple[str, ...], no_figure: tuple[str, ...] = ()) -> None:
    limits = [limit] + [item for _, item in by_variety]
    if len({item.is_text for item in limits if not item.is_empty}) > 1:
        reader.problem(path, "mixes text ('allowed') and numeric limits")
    if limit.is_empty and not by_variety:
        reader.problem(path, "gives no limit (min, max, gt, lt or allowed)")
    elif limit.is_empty and varieties:
        covered = {name for name, _ in by_variety} | set(no_figure)
        missing = [v for v in varieties if v not in covered]
        if missing:
            reader.problem(f"{path}.by_variety", "has no limit for " + "、".join(missing)
                           + ", and the parameter has no base limit (list varieties whose "
                             "source gives no figure in no_figure_for)")


def _grades(reader: Reader, doc: dict, parameters: dict, varieties,
            types=()) -> tuple[Grade, ...]:
    grades: list[Grade] = []
    seen_keys: set[str] = set()
    seen_names: set[str] = set()
    for index, table in enumerate(reader.get(doc, "grades", "", list) or []):
        path = join_path("grades", index)
        if not isinstance(table, dict):
            reader.problem(path, f"must be a table ([[grades]]), not {type_name(table)}")
            continue
        before = len(reader.problems)
        reader.only_keys(table, GRADE_KEYS, path)
        key = reader.get(table, "key", path, str, required=True)
        if key and not re.fullmatch(GRADE_KEY, key):
            reader.problem(f"{path}.key", f"{key!r} must be lower-case letters, digits, - and _")
        elif key in seen_keys:
            reader.problem(f"{path}.key", f"duplicate grade key {key!r}")
        names = _names(reader, table, path)
        for name in (names.zh, names.en) if names else ():
            if name.casefold() in seen_names:
                reader.problem(f"{path}.names", f"another grade is also named {name!r}")
            seen_names.add(name.casefold())
        note = reader.get(table, "note", path, str) or ""
        only_varieties = _subset(reader, table, "varieties", path, varieties, "varieties")
        only_types = _subset(reader, table, "types", path, types, "types")
        limits = _grade_limits(reader, table, path, parameters, only_varieties)
        seen_keys.add(key)
        if len(reader.problems) == before:
            grades.append(Grade(key, names, limits, note, only_varieties, only_types))
    return tuple(grades)


def _subset(reader: Reader, table: dict, key: str, path: str, known, what: str):
    """Read a grade's `varieties` or `types`: each must be one the standard lists."""
    items = reader.text_list(table, key, path)
    if key in table and not items and table[key] == []:
        reader.problem(join_path(path, key), "must list at least one; leave it out for all")
    for index, item in enumerate(items):
        if item not in known:
            listed = "、".join(known) if known else f"none (add a top-level '{what}' list)"
            reader.problem(join_path(join_path(path, key), index),
                           f"{item!r} is not among the standard's {what}: {listed}")
    return items


def _grade_limits(reader: Reader, table: dict, parent: str, parameters: dict,
                  only_varieties: tuple[str, ...] = ()):
    path = f"{parent}.limits"
    result = []
    for key, sub in (reader.get(table, "limits", parent, dict) or {}).items():
        where = join_path(path, key)
        if key not in parameters:
            reader.problem(where, "unknown parameter: not declared in [[parameters]]")
            continue
        if not isinstance(sub, dict):
            reader.problem(where, f"must be a table of limits, not {type_name(sub)}")
            continue
        reader.only_keys(sub, LIMIT_KEYS, where)
        limit = reader.limit(sub, where)
        parameter = parameters[key]
        if limit is None or parameter is None:
            continue
        if limit.is_empty:
            reader.problem(where, "gives no limit (min, max, gt, lt or allowed)")
        elif limit.is_text != parameter.is_text:
            kind = "text ('allowed')" if parameter.is_text else "numeric"
            reader.problem(where, f"does not match the parameter, whose limits are {kind}")
        else:
            _check_physical(reader, where, limit, parameter.physical, parameter.unit)
            bases = [parameter.limit] if not parameter.limit.is_empty else []
            bases += [item for name, item in parameter.by_variety
                      if not only_varieties or name in only_varieties]
            for base in bases:
                if not base.tighten(limit).admits_some_value():
                    reader.problem(where, "leaves no value that also meets the base limit "
                                          f"{base.describe(parameter.unit)}")
                    break
                looser = limit.looser_than(base)
                if looser:
                    reader.problem(join_path(where, looser),
                                   f"is looser than the base limit {base.describe(parameter.unit)}"
                                   f": a grade may only tighten it ({limit.describe(parameter.unit)})")
                    break
        result.append((key, limit))
    return tuple(result)
