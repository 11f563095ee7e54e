"""What the index holds for a listing: its search document, built from the database.

A listing is found only while it is live (active, of a cooperative that is not
suspended). Its document gathers the words a shopper may type (title, description, the
GI product's names and aliases, the cooperative, county, city and province in Chinese,
English and pinyin, the category, the names of the sizes on sale) and the values that facets, filters and sorting need.
The certified flag and the GI product come from the badge rule (`badges_for`) and nowhere
else.

Each document carries a fingerprint of the facts it was built from, so `flask search
check` can tell a stale document from a current one without comparing every field.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.catalog.models import Listing
from marketplace.certification.services import badge
from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.search import analysis
from marketplace.search.size_words import size_text
from marketplace.standards.services import current_catalogue

log = logging.getLogger(__name__)

#: Words that name each listing category, in both shop languages (indexed, not shown).
CATEGORY_WORDS = {
    "tea": "茶 茶叶 tea",
    "rice": "大米 稻米 rice",
    "fruit": "水果 fruit",
    "processed": "加工食品 processed food",
    "vegetables": "蔬菜 vegetables",
    "grain_oil": "粮油 grain oil",
    "other": "其他 other",
}


@dataclass(frozen=True)
class ListingFacts:
    """The plain values of a live listing that its search document is made from."""

    listing_id: int
    title: str
    description: str
    category: str
    price_minor: int
    certified: bool
    created_at: datetime
    cooperative_name: str = ""
    county_code: str = ""
    #: County, city and province names in Chinese and English.
    place_names: tuple[str, ...] = ()
    #: The province facet's key: its Chinese name (unique, and what the county table holds).
    province: str = ""
    gi_slug: str = ""
    #: The GI product's names and aliases, from the catalogue in force.
    gi_names: tuple[str, ...] = ()
    harvest_date: date | None = None
    #: The cooperative's county is on the list of counties lifted out of poverty (脱贫县).
    poverty_lifted: bool = False
    #: The seller's optional English title and description (searched like the Chinese ones).
    title_en: str = ""
    description_en: str = ""
    #: The names of the sizes on sale ("500 g 礼盒", "5 kg 袋"): a gift box is searched for.
    size_names: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        """Hash every fact, so that a document built from other facts is seen as stale.

        The layout's version is hashed too: after a change of what a document holds,
        `flask search check` reports every document stale until the index is rebuilt.
        """
        values = [DOCUMENT_LAYOUT, *(getattr(self, name) for name in _FACT_NAMES)]
        values[1 + _FACT_NAMES.index("created_at")] = _epoch(self.created_at)
        values[1 + _FACT_NAMES.index("harvest_date")] = self.harvest_date.isoformat() if self.harvest_date else ""
        encoded = json.dumps(values, ensure_ascii=False, default=str)
        return hashlib.sha1(encoded.encode()).hexdigest()


_FACT_NAMES = [f.name for f in fields(ListingFacts)]
#: Bumped whenever `build_document` indexes other words for the same facts.
DOCUMENT_LAYOUT = 3


@dataclass(frozen=True)
class Document:
    """A listing as both backends index it: analysed words by zone, facet and sort values.

    Ranking asks where a query word was found, so the words are kept in four zones: the
    listing's `title` (Chinese and English), its GI product's names (`gi`), the `other`
    names (cooperative, place, category, sizes) and the `description`. Each zone holds its words
    in `analysis.encode_positions` form (phrases match there), then, after a bare "|",
    its keys: the pinyin of its Chinese words and its characters and character pairs
    (`analysis.character_keys`). `pinyin` and `spelling` are space-separated words for
    "did you mean".
    """

    listing_id: int
    fingerprint: str
    title: str
    gi: str
    other: str
    description: str
    pinyin: str
    spelling: str
    gi_slug: str
    province: str
    county_code: str
    category: str
    certified: bool
    price_minor: int
    created: int
    harvest: int
    poverty_lifted: bool = False


def _zone(parts, keys) -> str:
    """Words of several texts (a bare "|" between them, so no phrase runs across), then the keys."""
    encoded = [analysis.encode_positions(list(found)) for found in parts]
    keys = list(dict.fromkeys(key for key in keys if key))
    return " | ".join([part for part in encoded if part] + ([" ".join(keys)] if keys else []))


def build_document(facts: ListingFacts) -> Document:
    """Analyse a listing's facts into its search document."""
    title = analysis.words(facts.title)
    title_en = analysis.words(facts.title_en)
    gi = analysis.name_words("\n".join(facts.gi_names))
    place = analysis.name_words("\n".join(facts.place_names))
    cooperative = analysis.name_words(facts.cooperative_name)
    category_text = CATEGORY_WORDS.get(facts.category, facts.category)
    category = analysis.name_words(category_text)
    sizes_text = size_text(facts.size_names)
    sizes = analysis.name_words(sizes_text)
    description = analysis.words(facts.description)
    description_en = analysis.words(facts.description_en)
    # Syllables ("long jing") for the GI product's names only; joined pinyin for the rest.
    title_pinyin = analysis.pinyin_from(title, syllables=False)
    gi_pinyin = analysis.pinyin_from(gi) + [p for name in facts.gi_names for p in analysis.name_pinyin(name)]
    place_pinyin = (analysis.pinyin_from(place, syllables=False)
                    + [p for name in facts.place_names for p in analysis.name_pinyin(name)])
    spelling = set()
    for found in (title, title_en, gi, place, cooperative, category):  # names only: what shoppers misspell
        spelling.update(analysis.spelling_from(found))
    other_text = " ".join((facts.cooperative_name, *facts.place_names, category_text, sizes_text))
    return Document(
        listing_id=facts.listing_id,
        fingerprint=facts.fingerprint(),
        title=_zone((title, title_en), [*title_pinyin, *analysis.character_keys(facts.title)]),
        gi=_zone((gi,), [*gi_pinyin, *analysis.character_keys("\n".join(facts.gi_names))]),
        other=_zone((cooperative, place, category, sizes), [*place_pinyin, *analysis.character_keys(other_text)]),
        description=_zone((description, description_en), analysis.character_keys(facts.description)),
        pinyin=" ".join(dict.fromkeys(title_pinyin + gi_pinyin + place_pinyin)),
        spelling=" ".join(sorted(spelling)),
        gi_slug=facts.gi_slug or "",
        province=facts.province or "",
        county_code=facts.county_code or "",
        category=facts.category or "",
        certified=bool(facts.certified),
        price_minor=int(facts.price_minor),
        created=_epoch(facts.created_at),
        harvest=int(facts.harvest_date.strftime("%Y%m%d")) if facts.harvest_date else 0,
        poverty_lifted=bool(facts.poverty_lifted),
    )


def _epoch(moment: datetime | None) -> int:
    if moment is None:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


# --- reading the database -------------------------------------------------------------


def gi_catalogue() -> Mapping:
    """The GI catalogue in force (the standards area's)."""
    return current_catalogue()


def gi_names(catalogue: Mapping, slug: str | None) -> tuple[str, ...]:
    """The names, aliases and English trade names of a GI product ("Dragon Well" finds
    Longjing), or nothing for an unknown slug."""
    standard = catalogue.get(slug) if slug else None
    if standard is None:
        return ()
    names = [standard.names.zh, standard.names.en, *standard.aliases, *standard.english_names]
    return tuple(dict.fromkeys(name for name in names if name))


def is_searchable(listing) -> bool:
    """Found by search: live, and of a cooperative that is not suspended."""
    cooperative = listing.cooperative
    return listing.is_live and cooperative is not None and cooperative.status != CooperativeStatus.SUSPENDED


def load_facts(session, listing_ids: Iterable[int]) -> tuple[list[ListingFacts], set[int]]:
    """Read the listings' facts; also return the ids that must not be found (gone or not live)."""
    wanted = sorted({int(i) for i in listing_ids})
    if not wanted:
        return [], set()
    listings = session.scalars(
        select(Listing)
        .where(Listing.id.in_(wanted))
        .options(joinedload(Listing.cooperative).joinedload(Cooperative.county), joinedload(Listing.batch),
                 selectinload(Listing.variants))
    ).unique().all()
    live = [listing for listing in listings if is_searchable(listing)]
    badges = badge.badges_for(live) if live else {}
    catalogue = gi_catalogue()
    facts = [_facts_of(listing, badges.get(listing.id), catalogue) for listing in live]
    return facts, set(wanted) - {listing.id for listing in live}


def _facts_of(listing, gi_badge, catalogue) -> ListingFacts:
    cooperative = listing.cooperative
    county = cooperative.county
    batch = listing.batch
    # The GI product the listing's own words are bound to, as the badge rule judged it: a
    # title that borrows another product's batch is not filed under that product.
    slug = gi_badge.standard_slug if gi_badge is not None and gi_badge.standard_slug else ""
    places = ()
    if county is not None:
        places = (county.name_zh, county.name_en, county.city_zh, county.city_en,
                  county.province_zh, county.province_en)
    return ListingFacts(
        listing_id=listing.id,
        title=listing.title or "",
        description=listing.description or "",
        category=listing.category or "",
        price_minor=listing.price_minor,
        certified=bool(gi_badge is not None and gi_badge.shown),
        created_at=listing.created_at,
        cooperative_name=cooperative.name or "",
        county_code=cooperative.county_code or "",
        place_names=tuple(name for name in places if name),
        province=county.province_zh if county is not None else "",
        gi_slug=slug or "",
        gi_names=gi_names(catalogue, slug),
        harvest_date=batch.harvest_date if batch is not None else None,
        poverty_lifted=bool(county is not None and county.poverty_lifted),
        title_en=listing.title_en or "",
        description_en=listing.description_en or "",
        size_names=tuple(variant.label for variant in listing.variants if variant.retired_at is None),
    )


def searchable_ids(session, chunk: int = 1000) -> Iterator[list[int]]:
    """Every listing id, in chunks, in id order (live or not: the loader sorts them)."""
    last = 0
    while True:
        ids = session.scalars(
            select(Listing.id).where(Listing.id > last).order_by(Listing.id).limit(chunk)
        ).all()
        if not ids:
            return
        yield list(ids)
        last = ids[-1]
