"""Rewrite code written for the old layout to the new one: moved modules, renamed endpoints
and error classes, as listed in a renames file (tools/renames_issue13.txt).

    python tools/apply_renames.py tools/renames_issue13.txt marketplace templates tests bench

Each line of the renames file is `module OLD NEW`, `endpoint OLD NEW` or `name OLD NEW`.
Modules are rewritten wherever they are named: dotted (`marketplace.audit.record`), as
`from marketplace import audit`, and as paths (`marketplace/audit.py`). Endpoints are
rewritten in quoted strings ("admin.dashboard"), names (error classes) as whole words in
Python files. Running it twice changes nothing more.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

SUFFIXES = {".py", ".html", ".txt", ".md", ".cfg", ".ini", ".toml"}


def read_renames(path: Path) -> dict[str, dict[str, str]]:
    renames: dict[str, dict[str, str]] = {"module": {}, "endpoint": {}, "name": {}}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, old, new = line.split()
            renames[kind][old] = new
    return renames


def _alternation(keys) -> str:
    return "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))


def rewrite_from_imports(source: str, modules: dict[str, str]) -> str:
    """`from parent import child` where parent.child moved: import it from its new parent."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.split("\n")
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        if not any(f"{node.module}.{alias.name}" in modules for alias in node.names):
            continue
        groups: dict[str, list[str]] = {}
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            parent, name = (modules[full].rpartition(".")[0::2] if full in modules
                            else (node.module, alias.name))
            bound = alias.asname or alias.name
            groups.setdefault(parent, []).append(name if bound == name else f"{name} as {bound}")
        first = lines[node.lineno - 1]
        indent = first[: len(first) - len(first.lstrip())]
        last = lines[node.end_lineno - 1]
        comment = "  #" + last.split("#", 1)[1] if "#" in last and not last.lstrip().startswith("#") else ""
        statements = [f"{indent}from {parent} import {', '.join(sorted(names))}{comment}"
                      for parent, names in groups.items()]
        edits.append((node.lineno, node.end_lineno, statements))
    for start, end, statements in sorted(edits, reverse=True):
        lines[start - 1:end] = statements
    return "\n".join(lines)


def rewrite(text: str, suffix: str, renames: dict[str, dict[str, str]]) -> str:
    modules, endpoints, names = renames["module"], renames["endpoint"], renames["name"]
    if modules:
        dotted = re.compile(rf"(?<![\w.])({_alternation(modules)})(?![\w])")
        text = dotted.sub(lambda m: modules[m.group(1)], text)
        paths = {old.replace(".", "/") + ".py": new.replace(".", "/") + ".py" for old, new in modules.items()}
        text = re.sub(rf"(?<![\w/])({_alternation(paths)})", lambda m: paths[m.group(1)], text)
        if suffix == ".py":
            text = rewrite_from_imports(text, modules)
    if endpoints:
        quoted = re.compile(rf"""(?<=["'])({_alternation(endpoints)})(?=["'])""")
        text = quoted.sub(lambda m: endpoints[m.group(1)], text)
    if names and suffix == ".py":
        text = re.sub(rf"\b({_alternation(names)})\b", lambda m: names[m.group(1)], text)
    return text


def main(renames_file: str, *roots: str) -> None:
    renames = read_renames(Path(renames_file))
    for root in map(Path, roots):
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "translations" not in path.parts:
                text = path.read_text(encoding="utf-8")
                new = rewrite(text, path.suffix, renames)
                if new != text:
                    path.write_text(new, encoding="utf-8")
                    print(f"rewrote {path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
