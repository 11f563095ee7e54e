"""The floors run one way: who knows whom (docs DESIGN, "Who knows whom"), checked on the
import graph of marketplace/, including imports made inside functions.

- no area imports one above it (an area may import its own floor and those below);
- no cycle between areas, nor between the modules of one area;
- gi_standards imports neither Flask nor marketplace.
"""
from __future__ import annotations

import grimp
import pytest
from grimp import Layer

#: Highest first. Areas on one floor may import each other, but never in a circle.
FLOORS = (
    ("demo", "ops"),
    ("storefront", "seller", "api", "insights"),
    ("supervision",),
    ("search",),
    ("orders", "certification", "pagecache"),
    ("catalog",),
    ("standards", "cooperatives", "accounts"),
    ("core", "payments", "config", "extensions"),
)
#: The app itself: create_app wires every area, and the table list loads every model.
ASSEMBLY = {"marketplace", "marketplace.models"}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("marketplace", "gi_standards", include_external_packages=True, cache_dir=None)


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "marketplace" and len(parts) > 1 else None


def _floors_present(graph):
    present = {_area(m) for m in graph.modules} - {None}
    return [tuple(a for a in floor if a in present) for floor in FLOORS]


def test_every_area_has_a_floor(graph):
    placed = {area for floor in FLOORS for area in floor}
    assert {_area(m) for m in graph.modules if m not in ASSEMBLY} - {None} <= placed


def test_no_area_imports_one_above_it(graph):
    layers = [Layer(*floor, independent=False) for floor in _floors_present(graph) if floor]
    illegal = graph.find_illegal_dependencies_for_layers(layers=layers, containers={"marketplace"})
    found = sorted(f"{d.importer} -> {d.imported}: {route.heads} … {route.tails}"
                   for d in illegal for route in d.routes)
    assert found == []


def _area_edges(graph):
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        source = _area(module)
        if source is None or module in ASSEMBLY:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _area(imported)
            if target is not None and target != source and imported not in ASSEMBLY:
                edges.setdefault(source, set()).add(target)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_no_cycle_between_areas(graph):
    assert _cycles(_area_edges(graph)) == []


def test_no_cycle_between_the_modules_of_an_area(graph):
    edges = {module: {m for m in graph.find_modules_directly_imported_by(module)
                      if m.startswith("marketplace.") and _area(m) == _area(module)}
             for module in graph.modules if _area(module) is not None}
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_cycles():
    """The check above is worth something only if it can fail."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_gi_standards_imports_neither_flask_nor_marketplace(graph):
    for module in graph.find_descendants("gi_standards") | {"gi_standards"}:
        imported = graph.find_modules_directly_imported_by(module)
        assert not {m for m in imported if m.split(".")[0] in ("flask", "marketplace")}, module
