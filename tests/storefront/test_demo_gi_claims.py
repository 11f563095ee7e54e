"""A sweep over the demo data: every GI claim a shopper can see is one the rules allow.

The rules are restated here from the database rows, independently of the badge function:
a live listing may use a protected name only if it is linked to a batch of that product
(from the name's zone, for a zone name), its title names that product and no other, the
cooperative holds a valid authorization for it, the batch passed validation and its
certificate was not revoked; it may show the badge only if, on top, the certificate is
certified and in force. Then the product pages, the cards (home, cooperative pages), the
search hits and both facets are read as a shopper reads them and held to those rules.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Batch, Listing
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
)
from marketplace.cooperatives.models import Cooperative
from marketplace.extensions import db
from marketplace.core.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class Allowed:
    listing_id: int
    names: frozenset[str]  #: products whose protected names the listing uses
    name_ok: bool  #: may use them (and a batch-linked listing names its product)
    product: str | None  #: the product it is bound to, when name_ok
    badge_ok: bool
    awaiting_ok: bool


def _authorized(cooperative_id: int, slug: str, now) -> bool:
    return any(a.status == AuthorizationStatus.APPROVED and as_utc(a.valid_until) > now
               and (a.valid_from is None or as_utc(a.valid_from) <= now)
               for a in db.session.scalars(select(GIAuthorization).where(
                   GIAuthorization.cooperative_id == cooperative_id, GIAuthorization.standard_slug == slug)))


def allowed_claims() -> dict[int, Allowed]:
    """What each live listing may claim, from the rows and the catalogue's name finder."""
    from marketplace.catalog.standards import current_catalogue

    catalogue, now, result = current_catalogue(), utcnow(), {}
    for listing in db.session.scalars(select(Listing).where(Listing.live_condition())):
        title_matches = catalogue.find_protected_names(listing.title)
        matches = title_matches + catalogue.find_protected_names(listing.description)
        names = frozenset(m.slug for m in matches)
        batch = db.session.get(Batch, listing.batch_id) if listing.batch_id else None
        certificate = db.session.scalar(select(BatchCertificate).where(BatchCertificate.batch_id == batch.id)) \
            if batch else None
        name_ok = not names
        if batch is not None:
            name_ok = (names == {batch.standard_slug}
                       and any(m.slug == batch.standard_slug for m in title_matches)
                       and all(m.area is None or batch.county_code in m.area for m in matches)
                       and _authorized(listing.cooperative_id, batch.standard_slug, now)
                       and bool(batch.validation_passed)
                       and (certificate is None or certificate.status != CertificateStatus.REVOKED))
        badge_ok = (batch is not None and name_ok and certificate is not None
                    and certificate.status == CertificateStatus.CERTIFIED and as_utc(certificate.valid_until) > now)
        awaiting_ok = (batch is not None and name_ok
                       and (certificate is None or certificate.status == CertificateStatus.SUBMITTED))
        result[listing.id] = Allowed(listing.id, names, name_ok, batch.standard_slug if batch and name_ok else None,
                                     badge_ok, awaiting_ok)
    return result


BADGE = re.compile(r'data-badge="(certified|awaiting_certification)" data-gi="([^"]*)">([^<]*)<')


def badges_in(fragment: str) -> list[tuple[str, str, str]]:
    return BADGE.findall(fragment)


def blocks(page: str, prefix: str) -> dict[int, str]:
    """Each card or hit of a page by listing id: from its opening tag to the next one."""
    found = list(re.finditer(rf'id="{prefix}-(\d+)"', page))
    return {int(m.group(1)): page[m.start():(found[i + 1].start() if i + 1 < len(found) else len(page))]
            for i, m in enumerate(found)}


def check_badges(where: str, listing_id: int, fragment: str, allowed: dict[int, Allowed],
                 violations: list[str]) -> None:
    rule = allowed.get(listing_id)
    if rule is None:
        violations.append(f"{where}: listing {listing_id} is shown but not live")
        return
    if not rule.name_ok:
        violations.append(f"{where}: listing {listing_id} is live with names it may not use {sorted(rule.names)}")
    for state, slug, text in badges_in(fragment):
        if state == "certified" and not rule.badge_ok:
            violations.append(f"{where}: listing {listing_id} shows a badge it may not")
        if state == "awaiting_certification" and not rule.awaiting_ok:
            violations.append(f"{where}: listing {listing_id} shows 'awaiting certification' it may not")
        if slug != rule.product or "·" not in text:
            violations.append(f"{where}: listing {listing_id}'s badge does not name its product ({slug!r}, {text!r})")


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return app


def test_every_claim_shown_on_the_demo_is_allowed_by_the_rules(demo, client):
    allowed = allowed_claims()
    assert len(allowed) >= 30
    assert sum(rule.badge_ok for rule in allowed.values()) >= 5  # the sweep has claims to check
    violations: list[str] = []

    for listing_id in allowed:
        page = client.get(f"/listings/{listing_id}").get_data(as_text=True)
        check_badges("product page", listing_id, page, allowed, violations)

    cooperative_ids = db.session.scalars(select(Cooperative.id)).all()
    for url in ["/", *(f"/cooperatives/{i}" for i in cooperative_ids)]:
        for listing_id, card in blocks(client.get(url).get_data(as_text=True), "listing-card").items():
            check_badges(f"card on {url}", listing_id, card, allowed, violations)

    catalogue_slugs = sorted({rule.product for rule in allowed.values() if rule.product}
                             | {slug for rule in allowed.values() for slug in rule.names})
    for slug in catalogue_slugs:
        for args in ({"gi": slug}, {"gi": slug, "certified": "1"}):
            page = client.get("/search", query_string=args).get_data(as_text=True)
            hits = blocks(page, "hit")
            for listing_id, hit in hits.items():
                check_badges(f"search {args}", listing_id, hit, allowed, violations)
                if allowed.get(listing_id) and allowed[listing_id].product != slug:
                    violations.append(f"GI facet {slug}: listing {listing_id} is not bound to {slug}")
                if "certified" in args and allowed.get(listing_id) and not allowed[listing_id].badge_ok:
                    violations.append(f"certified facet: listing {listing_id} may not show the badge")
            expected = sorted(i for i, r in allowed.items() if r.product == slug
                              and ("certified" not in args or r.badge_ok))
            if sorted(hits) != expected:
                violations.append(f"search {args}: hits {sorted(hits)} != allowed {expected}")

    page = client.get("/search", query_string={"certified": "1"}).get_data(as_text=True)
    facet = {label: int(count) for label, count in re.findall(
        r'class="facet-certified-product"><a href="[^"]+">([^<]+)</a> <span class="count">(\d+)', page)}
    from marketplace.catalog.standards import current_catalogue

    catalogue = current_catalogue()
    expected_facet = Counter(f"{catalogue[r.product].name('en')} · GI certified"
                             for r in allowed.values() if r.badge_ok)
    if facet != dict(expected_facet):
        violations.append(f"certified facet {facet} != {dict(expected_facet)}")
    for slug in catalogue_slugs:
        name = catalogue[slug].names.zh
        page = client.get("/search", query_string={"q": name}).get_data(as_text=True)
        for listing_id, hit in blocks(page, "hit").items():
            check_badges(f"search {name}", listing_id, hit, allowed, violations)
    assert violations == []


def test_the_demo_seller_sees_a_worked_example_of_each_refusal(demo, login):
    """Each rule's refusal is visible to the demo seller it concerns, beside the listing."""
    from marketplace.accounts.models import User
    from marketplace.demo.people import DEMO_PASSWORD

    expected = {
        "seller.longjing@terroir.demo": [
            ("云南滇红 功夫红茶 250g", "so the title must name it"),
            ("西湖龙井 × 安溪铁观音 双拼礼盒", "is a protected geographical-indication name of Anxi Tieguanyin"),
            ("龙井茶 五月新茶（待复检）", "did not pass validation"),
            # 西湖龙井 is kept for the 西湖 zone, and this draft's batch is from 萧山区.
            ("西湖龙井 钱塘产区 一级 250g", "is kept for Longjing tea from part of its protected area"),
        ],
        "seller.goji@terroir.demo": [("宁夏枸杞 头茬 特优 500g", "was revoked")],
        "seller.pinggu@terroir.demo": [("平谷大桃 庆丰 12枚礼盒", "holds no valid authorization")],
    }
    for email, rows in expected.items():
        client = demo.test_client()
        login(db.session.scalar(select(User).where(User.email == email)), password=DEMO_PASSWORD,
              test_client=client)
        page = client.get("/seller/listings").get_data(as_text=True)
        for title, reason in rows:
            listing_id = db.session.scalar(select(Listing.id).where(Listing.title == title))
            row = blocks(page, "listing-row").get(listing_id, "")
            assert reason in row, (email, title)
