"""A worker process of the concurrency test: updates listings and searches for a while.

It stands for one gunicorn worker: its own app, its own connections, the same database
and index as the others. Every error it meets is counted and reported to the test.
"""
from __future__ import annotations

import random
import time
import traceback

WORDS = ["龙井", "明前", "特级", "西湖", "新茶", "green", "spring", "harvest", "gift", "大米", "五常", "香"]


def update_listings(config: dict, listing_ids: list[int], seed: int, seconds: float, ready, go, results) -> None:
    from marketplace import create_app
    from marketplace.catalog.models import Listing, ListingStatus
    from marketplace.core.database import begin_write
    from marketplace.extensions import db
    from marketplace.search import analysis

    rng = random.Random(seed)
    updates = searches = 0
    errors: list[str] = []
    app = create_app(config)
    client = app.test_client()
    analysis.prepare_jieba()
    ready.put(seed)
    go.wait()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with app.app_context():
                begin_write()
                listing = db.session.get(Listing, rng.choice(listing_ids))
                action = rng.random()
                if action < 0.5:
                    listing.title = " ".join(rng.sample(WORDS, 3))
                elif action < 0.8:
                    listing.price_minor = rng.randint(100, 90000)
                else:
                    listing.status = rng.choice([ListingStatus.ACTIVE, ListingStatus.PAUSED])
                db.session.commit()
                updates += 1
            if rng.random() < 0.3:
                response = client.get("/search", query_string={"q": rng.choice(WORDS)})
                searches += 1
                if response.status_code != 200:
                    errors.append(f"search answered {response.status_code}")
        except Exception:
            errors.append(traceback.format_exc())
    results.put((seed, updates, searches, errors))
