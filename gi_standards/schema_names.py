"""The naming keys of a standard file: English trade names, exclusions and sub-areas.

Kept apart from `schema.py` because they are about finding the product's names in text,
not about judging a batch. Each bad value is a problem naming its key, like every other
key of the format: a wrong exclusion would silently switch a protected name off, and a
sub-area naming a county outside the area would reserve a name for nowhere.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace

from .fields import Reader, join_path, type_name
from .folding import fold_name, is_cjk
from .model import LocalizedName, Standard, SubArea
from .names import DESCRIPTIVE_EN, GENERIC_EN, NameIndex

NAMING_KEYS = frozenset({"english_names", "exclusions", "sub_areas"})
SUB_AREA_KEYS = frozenset({"zone", "counties", "names"})

#: Reads a list of county codes: (reader, table, key, known codes, required, parent path).
AreaReader = Callable[..., tuple[str, ...]]


def read_naming(reader: Reader, doc: dict, names: LocalizedName | None,
                aliases: tuple[str, ...], area: tuple[str, ...],
                known_counties: Collection[str] | None, read_area: AreaReader) -> dict:
    """Read english_names, exclusions and sub_areas; the values for Standard(**…)."""
    english = _english_names(reader, doc, names, aliases)
    exclusions = reader.text_list(doc, "exclusions", "")
    sub_areas = _sub_areas(reader, doc, names, aliases + english, area, known_counties,
                           read_area)
    return {"english_names": english, "exclusions": exclusions, "sub_areas": sub_areas}


def check_exclusions(reader: Reader, standard: Standard) -> None:
    """Each exclusion must hold one of the product's names, and not be one itself.

    An exclusion holding none of the names excludes nothing (a typo, most likely); one
    equal to a name would switch that name off everywhere.
    """
    if not standard.exclusions:
        return
    index = NameIndex([replace(standard, exclusions=())], pinyin=False)
    for number, phrase in enumerate(standard.exclusions):
        where = join_path("exclusions", number)
        found = index.find(phrase)
        if not found:
            reader.problem(where, f"{phrase!r} contains none of the product's names, "
                                  "so it excludes nothing")
        elif any(match.start == 0 and match.end == len(phrase) for match in found):
            reader.problem(where, f"{phrase!r} is itself a protected name of the product")


def _english_names(reader: Reader, doc: dict, names: LocalizedName | None,
                   aliases: tuple[str, ...]) -> tuple[str, ...]:
    listed = reader.text_list(doc, "english_names", "")
    own = (names.zh, names.en) if names else ()
    others = {fold_name(name): name for name in (*own, *aliases)}
    result = []
    for number, name in enumerate(listed):
        where = join_path("english_names", number)
        folded = fold_name(name)
        words = [fold_name(word) for word in name.split()]
        if any(is_cjk(char) for char in name) or not any(c.isascii() and c.isalpha()
                                                         for c in name):
            reader.problem(where, f"{name!r} must be written in Latin letters "
                                  "(Chinese names go in names or aliases)")
        elif len(folded) < 3:
            reader.problem(where, f"{name!r} is too short to be told from other words")
        elif all(word in GENERIC_EN | DESCRIPTIVE_EN for word in words if word):
            reader.problem(where, f"{name!r} is only generic words: it would match every "
                                  "product of its kind")
        elif folded in others:
            reader.problem(where, f"{name!r} is the same name as {others[folded]!r} once "
                                  "case, spaces and accents are ignored")
        else:
            others[folded] = name
            result.append(name)
    return tuple(result)


def _sub_areas(reader: Reader, doc: dict, names: LocalizedName | None,
               own_names: tuple[str, ...], area: tuple[str, ...],
               known_counties: Collection[str] | None,
               read_area: AreaReader) -> tuple[SubArea, ...]:
    tables = reader.get(doc, "sub_areas", "", list) or []
    result: list[SubArea] = []
    taken: dict[str, int] = {}
    for number, table in enumerate(tables):
        path = join_path("sub_areas", number)
        if not isinstance(table, dict):
            reader.problem(path, f"must be a table ({{ zone = …, counties = […], "
                                 f"names = […] }}), not {type_name(table)}")
            continue
        before = len(reader.problems)
        reader.only_keys(table, SUB_AREA_KEYS, path)
        zone = _zone(reader, table, path)
        counties = read_area(reader, table, "counties", known_counties, True, path)
        if "counties" in table and not counties and len(reader.problems) == before:
            reader.problem(f"{path}.counties", "must name at least one county")
        for index, code in enumerate(counties):
            if code not in area:
                reader.problem(join_path(f"{path}.counties", index),
                               f"{code} is outside the product's protected area "
                               "(protected_area and partial_area)")
        if counties and set(counties) >= set(area):
            reader.problem(f"{path}.counties", "covers the whole protected area: list its "
                                               "names as aliases instead")
        sub_names = reader.text_list(table, "names", path)
        if "names" not in table:
            reader.problem(f"{path}.names", "missing required key")
        elif not sub_names and len(reader.problems) == before:
            reader.problem(f"{path}.names", "must list at least one name")
        for index, name in enumerate(sub_names):
            where = join_path(f"{path}.names", index)
            if names and name in (names.zh, names.en):
                reader.problem(where, f"{name!r} is the product's own name, which belongs "
                                      "to the whole protected area")
            elif name not in own_names:
                reader.problem(where, f"{name!r} must also be listed in aliases or "
                                      "english_names")
            elif name in taken:
                reader.problem(where, f"{name!r} is already a name of sub_areas[{taken[name]}]")
            else:
                taken[name] = number
        if len(reader.problems) == before and zone is not None:
            result.append(SubArea(zone, counties, sub_names))
    return tuple(result)


def _zone(reader: Reader, table: dict, path: str) -> LocalizedName | None:
    where = f"{path}.zone"
    zone = reader.get(table, "zone", path, dict, required=True)
    if zone is None:
        return None
    reader.only_keys(zone, {"zh", "en"}, where)
    zh = reader.get(zone, "zh", where, str, required=True)
    en = reader.get(zone, "en", where, str, required=True)
    return LocalizedName(zh, en) if zh and en else None
