"""Demand (Art. 13): what shoppers searched for, per GI product, and what found nothing.

Read from the search area's query log (normalised words, result count, GI facet; no
person). The support of a word is how many times it was searched, so a word searched
fewer than INSIGHTS_MIN_COUNT times is never published.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.insights.figures.common import Figure, MonthWindow, share
from marketplace.search.query_log import SearchQueryLog


def compute(window: MonthWindow) -> list[Figure]:
    rows = db.session.execute(
        select(SearchQueryLog.gi_product, SearchQueryLog.query, SearchQueryLog.result_count,
               func.count(SearchQueryLog.id))
        .where(SearchQueryLog.searched_at >= window.naive_start, SearchQueryLog.searched_at < window.naive_end)
        .group_by(SearchQueryLog.gi_product, SearchQueryLog.query, SearchQueryLog.result_count))
    words: dict[str, Counter] = {}
    empty: Counter = Counter()
    total = nothing = 0
    for product, query, result_count, count in rows:
        found_nothing = result_count == 0
        total += count
        words.setdefault("", Counter())[query] += count
        if product:
            words.setdefault(product, Counter())[query] += count
        if found_nothing:
            nothing += count
            empty[query] += count
    if not total:
        return []
    figures = [Figure("searches", "all", "", total, total),
               Figure("zero_result_searches", "all", "", nothing, total),
               Figure("zero_result_share", "all", "", share(nothing, total), total)]
    for product, counter in words.items():
        dimension = "gi_product" if product else "all"
        figures += [Figure("searched_word", dimension, product, count, count, item=query)
                    for query, count in counter.most_common(window.top_words)]
    figures += [Figure("zero_result_query", "all", "", count, count, item=query)
                for query, count in empty.most_common(window.top_words)]
    return figures
