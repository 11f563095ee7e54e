"""Every file's standard, varieties and figures agree with gi_standards/data/SOURCES.md.

SOURCES.md is what an auditor signs: for each `[standard]`, variety and enforced figure it
says what the figure rests on and how far we trust it. This test reads its tables and holds
the packaged files to them both ways, so neither can change without the other.
"""
from __future__ import annotations

import re

import pytest

from gi_standards import DATA_DIR

SOURCES = DATA_DIR / "SOURCES.md"
CONFIDENCE = re.compile(r"[HML](?:-[HML])?")


def _tables() -> dict[str, list[dict[str, str]]]:
    """The Markdown tables of SOURCES.md by section title, each row as a dict by column."""
    tables: dict[str, list[dict[str, str]]] = {}
    section, header = "", None
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section, header = line[3:].strip(), None
            continue
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not set("".join(cells)) <= set("-: "):
            assert len(cells) == len(header), f"{section}: {line}"
            tables.setdefault(section, []).append(dict(zip(header, cells)))
    return tables


@pytest.fixture(scope="module")
def tables():
    return _tables()


def figures(standard) -> list[tuple[str, str]]:
    """Every enforced area, harvest rule, limit and grade restriction, as the page shows it."""
    rows = [("area", f"{len(standard.protected_area)} full, {len(standard.partial_area)} partial")]
    harvest = standard.harvest
    if not harvest.is_empty:
        parts = []
        if harvest.months:
            parts.append("months " + ", ".join(map(str, harvest.months)))
        if harvest.from_term:
            parts.append("from " + harvest.from_term)
        if harvest.before_term:
            parts.append("before " + harvest.before_term)
        rows.append(("harvest", "; ".join(parts)))
    for parameter in standard.parameters:
        if not parameter.limit.is_empty:
            rows.append((parameter.key, parameter.limit.describe(parameter.unit)))
        for variety, limit in parameter.by_variety:
            rows.append((f"{parameter.key} ({variety})", limit.describe(parameter.unit)))
        for variety in parameter.no_figure_for:
            rows.append((f"{parameter.key} ({variety})", "—"))
    for grade in standard.grades:
        for key, limit in grade.limits:
            rows.append((f"{key} (grade {grade.key})",
                         limit.describe(standard.parameter(key).unit)))
        if grade.varieties or grade.types:
            rows.append((f"grade {grade.key} only for", "、".join(grade.varieties + grade.types)))
    return rows


def test_every_row_says_what_it_rests_on_and_how_far_we_trust_it(tables):
    assert set(tables) >= {"Standards", "Varieties and product types", "Figures"}
    for section, rows in tables.items():
        for row in rows:
            assert len(row["rests on"]) > 10, (section, row)
            no_figure = row.get("value") == "—"
            assert CONFIDENCE.fullmatch(row["confidence"]) or (
                no_figure and row["confidence"] == "—"), (section, row)


def test_every_file_names_the_standard_of_its_row(catalogue, tables):
    rows = {row["file"]: row for row in tables["Standards"]}
    assert set(rows) == set(catalogue), "one row per packaged file"
    for slug, standard in catalogue.items():
        row = rows[slug]
        document = standard.standard
        assert (document.code, document.title) == (row["code"], row["title"]), slug
        assert str(document.in_force or "—") == row["in force"], slug
        assert document.confidence == row["confidence"], slug


def test_every_code_names_a_standard_with_its_year(catalogue):
    for slug, standard in catalogue.items():
        assert re.fullmatch(r"(GB/T|DB[0-9]{2}/T) [0-9.]+-(19|20)[0-9]{2}", standard.code), slug
        assert standard.title.startswith("地理标志产品"), slug


def test_varieties_and_their_synonyms_are_those_of_the_sources(catalogue, tables):
    listed = {(row["file"], row["kind"], row["name"],
               tuple(s for s in row["synonyms"].split(" / ") if s != "—"))
              for row in tables["Varieties and product types"]}
    packaged = {(slug, "variety", variety, standard.synonyms_of(variety))
                for slug, standard in catalogue.items() for variety in standard.varieties}
    packaged |= {(slug, "type", name, ()) for slug, standard in catalogue.items()
                 for name in standard.types}
    assert packaged - listed == set(), "in a file but not in SOURCES.md"
    assert listed - packaged == set(), "in SOURCES.md but in no file"


def test_every_enforced_figure_has_its_source(catalogue, tables):
    listed = {(row["file"], row["figure"], row["value"]) for row in tables["Figures"]}
    packaged = {(slug, figure, value) for slug, standard in catalogue.items()
                for figure, value in figures(standard)}
    assert packaged - listed == set(), "enforced but not in SOURCES.md"
    assert listed - packaged == set(), "in SOURCES.md but enforced by no file"


def test_no_figure_rests_on_a_draft(tables):
    for row in tables["Figures"]:
        assert "draft" not in row["rests on"].lower(), row
