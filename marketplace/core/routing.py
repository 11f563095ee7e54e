"""How the app's URL rules are made: ids bounded to what the database holds, builders on demand."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter, Rule


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that matches only ids a database integer can hold.

    A larger number in a URL would otherwise reach the database and fail there (a 500 on
    PostgreSQL); bounded, it is simply a URL that matches nothing: a 404.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


class BuildOnDemandRule(Rule):
    """A URL rule that writes its `url_for` functions the first time a URL is built with it.

    Werkzeug writes and compiles two Python functions per rule as the rule is added (to build
    its URL with and without extra query arguments). For the app's ~200 rules that was more
    than half of building the app (bench/startup.py, "App start-up" in bench/RESULTS.md), paid
    by every worker started without preload, every command and every test, for builders most
    of which one process never uses. Matching is untouched: it does not use these functions.
    """

    def _compile_builder(self, append_unknown: bool = True):
        write_builder = super()._compile_builder
        written = []

        def build(rule, **values):
            if not written:
                written.append(write_builder(append_unknown).__get__(rule, None))
            return written[0](**values)

        return build
