"""Relevance over the demo data: precision at 5 of the relevance set, on each backend.

The demo catalogue (cooperatives, GI standards, authorizations, batches, listings and
their certificates: what search indexes) is loaded once, without the photos and orders
that take most of `flask demo load`'s time and that search never reads. Each backend
indexes that same database; every query of `relevance_set.RELEVANCE_SET` goes through
the search page as a shopper would send it. The scores are printed in the run's summary
(conftest) and recorded in bench/RESULTS.md.
"""
from __future__ import annotations

import re
import secrets
from collections import defaultdict

import pytest

from tests.search.relevance_set import RELEVANCE_SET, precision_at_5
from tests.support import databases

# Loading the whole demo takes about a minute on an idle machine and several on a loaded
# one: this timeout guards against a hang, it is not a speed limit.
pytestmark = pytest.mark.timeout(1800)


BACKENDS = ["whoosh"] + (["postgres"] if databases.backend() == "postgresql" else [])
MINIMUM = 0.9


def _demo_app(database_url: str, folder, backend: str):
    from marketplace import create_app

    return create_app({
        "TESTING": True, "SECRET_KEY": secrets.token_hex(16), "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(folder / "instance"), "MAIL_OUTBOX": str(folder / "outbox"),
        "UPLOAD_FOLDER": str(folder / "uploads"), "SEARCH_INDEX_DIR": str(folder / "search-index"),
        "SEARCH_BACKEND": backend, "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "BABEL_DEFAULT_LOCALE": "en",
        "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None,
        "PUBLIC_URL": "http://localhost",
    })


@pytest.fixture(scope="module")
def demo_catalogue(database_factory, tmp_path_factory):
    """A database holding the demo catalogue, loaded once for every backend; its titles by id."""
    from marketplace.catalog.models import Listing
    from marketplace.demo import catalog, certification, people, standards
    from marketplace.extensions import db

    url = database_factory.new()
    app = _demo_app(url, tmp_path_factory.mktemp("relevance-load"), "whoosh")
    with app.app_context():
        for step in (people.load_counties_into_db, people.load_people, people.load_cooperatives, standards.load,
                     certification.load_authorizations, lambda: catalog.load(with_photos=False),
                     certification.load):
            step()
        titles = {listing.id: listing.title for listing in db.session.scalars(db.select(Listing))}
        db.session.remove()
        db.engine.dispose()
    return url, titles


@pytest.fixture(scope="module", params=BACKENDS)
def demo_search(request, demo_catalogue, tmp_path_factory):
    """A client of the demo catalogue on one search backend (its index built anew), and the titles by id."""
    from marketplace.extensions import db
    from marketplace.search import services

    url, titles = demo_catalogue
    app = _demo_app(url, tmp_path_factory.mktemp(f"relevance-{request.param}"), request.param)
    with app.app_context():
        services.reindex()
        db.session.remove()
    try:
        yield request.param, app.test_client(), titles
    finally:
        with app.app_context():
            db.engine.dispose()


def found_titles(client, titles, query: str) -> list[str]:
    page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    return [titles[int(i)] for i in re.findall(r'id="hit-(\d+)"', page)]


def test_the_relevance_set_reaches_its_precision_at_5(demo_search, record_property):
    backend, client, titles = demo_search
    scores = defaultdict(list)
    misses = []
    for kind, query, expected in RELEVANCE_SET:
        assert expected <= set(titles.values()), f"{query}: expected titles missing from the demo data"
        found = found_titles(client, titles, query)
        score = precision_at_5(found, expected)
        scores[kind].append(score)
        if score < 1:
            misses.append(f"  {query!r}: {score:.2f}, first five {found[:5]}")
    every = [score for kind_scores in scores.values() for score in kind_scores]
    mean = sum(every) / len(every)
    by_kind = ", ".join(f"{kind} {sum(s) / len(s):.3f} ({len(s)})" for kind, s in scores.items())
    report = f"{backend}: precision at 5 = {mean:.3f} over {len(every)} queries ({by_kind})"
    record_property("precision_at_5", report)
    print(report, *misses, sep="\n")
    assert len(every) >= 60
    assert mean >= MINIMUM, report + "\n" + "\n".join(misses)


def test_longjing_ranks_certified_longjing_above_the_bamboo_tea_scoop(demo_search):
    _backend, client, titles = demo_search
    found = found_titles(client, titles, "龙井")
    certified = {"明前西湖龙井 特级 250g", "West Lake Longjing, premium, 100 g", "雨前龙井 一级 500g",
                 "Longjing tea gift box, two tins"}
    assert set(found[:4]) == certified
    assert found.index("茶农手作 竹制茶则") > max(found.index(title) for title in certified | {"西湖龙井 小批次 250g"})


def test_a_typo_ranks_what_its_suggestion_finds_first(demo_search):
    _backend, client, titles = demo_search
    assert found_titles(client, titles, "longjin")[:6] == found_titles(client, titles, "longjing")[:6]
