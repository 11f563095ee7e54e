"""URL rules write their builders on demand: every URL must come out as Werkzeug's own rule builds it."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map, PathConverter, Rule

from marketplace.core.routing import BuildOnDemandRule

SAMPLES = {IntegerConverter: 42, PathConverter: "西湖/龙井 tea", object: "五常 rice&co"}


def sample(converter):
    return next(value for kind, value in SAMPLES.items() if isinstance(converter, kind))


def test_every_rule_builds_the_url_werkzeugs_own_rule_builds(app):
    reference = Map(converters=app.url_map.converters)
    pairs = []
    for rule in app.url_map.iter_rules():
        copy = Rule(rule.rule, endpoint=rule.endpoint, defaults=rule.defaults, methods=rule.methods)
        reference.add(copy)
        pairs.append((rule, copy))
    assert sum(isinstance(rule, BuildOnDemandRule) for rule, _ in pairs) > 150  # the app's own rules
    for rule, copy in pairs:
        values = {name: sample(converter) for name, converter in rule._converters.items()}
        for append_unknown, extra in ((False, {}), (True, {"q": "枸杞 goji", "page": 2})):
            built = rule.build({**values, **extra}, append_unknown=append_unknown)
            assert built is not None
            assert built == copy.build({**values, **extra}, append_unknown=append_unknown), rule.rule
