"""The order of relevance, the same on both backends.

A listing comes before another by, in turn:
1. matching all the words of what a typo query probably meant (the suggestion), when
   there is one: "longjin" lists what "longjing" finds first;
2. its GI product matching a word of the query, certified (the badge rule's verdict, as
   indexed) before uncertified: "龙井" puts certified Longjing before a bamboo tea scoop
   of the same cooperative, whose name holds 龙井;
3. how many of the words its title holds (Chinese or English title, or their pinyin);
4. how many of the words any of its names holds (title, GI product, cooperative, place,
   category) rather than only its description;
5. newest first.

Each backend finds, per query word, the listings holding it in each zone of the
document: `title`, `gi`, `other` (cooperative, place, category) and `description`.
The Whoosh backend splits bitmaps into tiers here; PostgreSQL orders by the same keys.
"""
from __future__ import annotations

ZONES = ("title", "gi", "other", "description")
NAME_ZONES = ("title", "gi", "other")


def _levels(matched: int, per_clause: list[int]) -> list[tuple[int, int]]:
    """(count, documents holding exactly `count` of the clauses), most first."""
    levels = [matched]
    for bits in per_clause:
        levels = [(levels[k] & ~bits if k < len(levels) else 0) | (levels[k - 1] & bits if k else 0)
                  for k in range(len(levels) + 1)]
    return [(count, level) for count, level in reversed(list(enumerate(levels))) if level]


def tiers(matched: int, per_clause: list[dict[str, int]], certified: int,
          preferred: int | None = None) -> list[tuple[tuple, int]]:
    """Split the matches (a bitmap) into tiers, best first: [(rank, bitmap)].

    `per_clause` holds, for each query clause, the documents where it is found by zone;
    a rank is a tuple that orders the same way in every segment of an index.
    """
    gi = 0
    for zones in per_clause:
        gi |= zones["gi"]
    groups = [(0, matched & preferred), (1, matched & ~preferred)] if preferred is not None else [(0, matched)]
    by_product = [(0, gi & certified), (1, gi & ~certified), (2, ~gi)]
    in_title = _levels(matched, [zones["title"] for zones in per_clause])
    in_names = _levels(matched, [zones["title"] | zones["gi"] | zones["other"] for zones in per_clause])
    found = []
    for group, group_bits in groups:
        for product, product_bits in by_product:
            first = group_bits & product_bits
            if not first:
                continue
            for title_count, title_bits in in_title:
                second = first & title_bits
                if not second:
                    continue
                for name_count, name_bits in in_names:
                    bits = second & name_bits
                    if bits:
                        found.append(((group, product, -title_count, -name_count), bits))
    return found
