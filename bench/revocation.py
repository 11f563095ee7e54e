"""The page benchmark's revocation check: a badge revoked while the pages are under load is never served again.

Before the run, `prepare_revocable()` records certified GI listings the way the demo does
(a passing batch of 西湖龙井 from the demo's Longjing cooperative, submitted by its owner
and certified by the county official through the certification services), one listing per
batch, so that revoking one certificate withdraws exactly one listing's badge.

While wrk loads the default configuration's pages, `Revoker` revokes one of those badges
every second, as the county official does: signed in over HTTP, it posts the revoke form of
the certificate page with its CSRF token (`/official/certificates/<id>/revoke`). Around
each revocation:

1. it loads the listing's product page and a search page that lists it, as an anonymous
   visitor (no cookie, like wrk's), until every worker has answered from its shared copy
   (`X-Bench-Page-Cache: hit`, bench/cache_probe.py) and each copy shows the badge, so that
   the stale copies are really there to be served;
2. it revokes, and as soon as the revoking request returns,
3. loads both pages once more, anonymously, and checks the listing's own badge marker
   (`data-badge="certified"`, templates/catalog/_badge.html: on the product page anywhere,
   on the search page inside the listing's `<li id="hit-ID">`). A marker still there is a
   violation.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import requests

OWNER = "seller.longjing@terroir.demo"
OFFICIAL = "official.hangzhou@terroir.demo"
PRODUCT = "longjing-tea"
BADGE = 'data-badge="certified"'
#: Tries (each: twice as many visitors at once as workers) before a revocation, for every worker to hold a copy.
ARMING_TRIES = 4
TIMEOUT = 60


@dataclass(frozen=True)
class Revocable:
    listing_id: int
    certificate_id: int
    title: str

    @property
    def product_path(self) -> str:
        return f"/listings/{self.listing_id}"

    @property
    def search_path(self) -> str:
        return f"/search?q={quote(self.title)}"


def prepare_revocable(app, count: int, copy_listing) -> list[Revocable]:
    """Certify `count` new batches of the demo's Longjing cooperative, one live listing on each.

    `copy_listing(source, title, batch_id)` (bench/pages.py) inserts a copy of a listing on that
    batch and returns its id.
    """
    from marketplace.catalog.models import Listing, ListingStatus
    from marketplace.certification.services import badge, certificates
    from marketplace.demo.certification import _cooperative_of, _new_passing_batch, _review_answers, _user
    from marketplace.extensions import db

    owner, official = _user(OWNER), _user(OFFICIAL)
    cooperative = _cooperative_of(owner)
    sources = [listing for listing in db.session.scalars(
        db.select(Listing).where(Listing.cooperative_id == cooperative.id, Listing.status == ListingStatus.ACTIVE,
                                 Listing.batch_id.is_not(None)).order_by(Listing.id))
        if badge.badge_for(listing).shown]
    if not sources:
        raise SystemExit("the demo's Longjing cooperative has no certified live listing to copy")
    now = datetime.now(timezone.utc)
    made = []
    for number in range(1, count + 1):
        batch = _new_passing_batch(cooperative, PRODUCT, 9000 + number)
        if batch is None:
            raise SystemExit("could not record a passing Longjing batch")
        waiting = certificates.submit_batch(owner, batch.id, now=now - timedelta(days=2))
        certificates.certify_batch(official, waiting.id, now=now - timedelta(days=1), lab_report_read=True,
                                   answers=_review_answers(batch))
        source = sources[number % len(sources)]
        title = f"{source.title} 第{number}批"
        listing_id = copy_listing(source, title, batch.id)
        made.append(Revocable(listing_id, waiting.id, title))
    db.session.commit()
    shown = badge.badges_for(db.session.scalars(db.select(Listing).where(
        Listing.id.in_([item.listing_id for item in made]))))
    missing = [item.listing_id for item in made if not shown[item.listing_id].shown]
    if missing:
        raise SystemExit(f"prepared listings show no badge: {missing[:5]}")
    print(f"{len(made)} certified GI listings ready to revoke", flush=True)
    return made


def badge_shown(html: str, path: str, listing_id: int) -> bool | None:
    """Whether the listing's own badge marker is in the page (None: the search page does not list it)."""
    if path.startswith("/listings/"):
        return BADGE in html
    hit = re.search(rf'<li class="search-hit[^"]*" id="hit-{listing_id}">(.*?)(?=<li class="search-hit|</ol>)',
                    html, re.S)
    return None if hit is None else BADGE in hit.group(1)


@dataclass
class Tally:
    revocations: int = 0
    checks: int = 0
    violations: int = 0
    #: Checks answered by a worker shown (X-Bench-Page-Cache: hit) to hold the badged copy just before.
    checks_on_stale_worker: int = 0
    #: Page loads before a revocation in which every worker answered from its copy, with the badge.
    armed: int = 0
    arming_attempts: int = 0
    #: Pages that never showed the listing with its badge before the revocation (not checked).
    not_listed: int = 0
    #: What each check found: listed without the badge, no longer listed, page gone, badge still shown.
    outcomes: Counter = field(default_factory=Counter)
    failed_revocations: list = field(default_factory=list)
    violation_details: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    #: Seconds during which the revoker was running (the default rows' load).
    active_seconds: float = 0.0


class Revoker(threading.Thread):
    """Revoke one prepared badge per second while `resume()`d, checking each as described above."""

    def __init__(self, url: str, revocable: list[Revocable], password: str, workers: int, interval: float = 1.0):
        super().__init__(daemon=True)
        self.url, self.queue, self.workers, self.interval = url, list(revocable), workers, interval
        self.tally = Tally()
        self._active, self._idle, self._finished = threading.Event(), threading.Event(), threading.Event()
        self._idle.set()
        self.official = self._sign_in(password)
        self.csrf_token = self._revoke_form_token(revocable[0])
        #: The product page and the search page are loaded side by side, as two visitors would.
        self.visitors = ThreadPoolExecutor(max_workers=2)
        self.loaders = ThreadPoolExecutor(max_workers=4 * workers)
        self.error: BaseException | None = None

    def _sign_in(self, password: str) -> requests.Session:
        session = requests.Session()
        page = session.get(self.url + "/login", timeout=TIMEOUT).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = session.post(self.url + "/login", data={"email": OFFICIAL, "password": password,
                                                         "csrf_token": token}, allow_redirects=False, timeout=TIMEOUT)
        if answer.status_code != 302:
            raise SystemExit(f"the official could not sign in: HTTP {answer.status_code}")
        return session

    def _revoke_form_token(self, item: Revocable) -> str:
        """The CSRF token of the certificate page's revoke form (one per signed-in session)."""
        page = self.official.get(f"{self.url}/official/certificates/{item.certificate_id}", timeout=TIMEOUT).text
        token = re.search(r'name="revoke-csrf_token"[^>]*value="([^"]+)"', page)
        if token is None:
            raise SystemExit("the certificate page shows the official no revoke form")
        return token.group(1)

    def resume(self) -> None:
        self._resumed_at = time.monotonic()
        self._active.set()

    def pause(self) -> None:
        """Stop revoking and wait for the revocation under way to be checked."""
        self._active.clear()
        self._idle.wait()
        self.tally.active_seconds += time.monotonic() - self._resumed_at

    def finish(self) -> None:
        self._finished.set()
        self._active.set()
        self.join(timeout=120)
        self.visitors.shutdown()
        self.loaders.shutdown()

    def run(self) -> None:
        try:
            while not self._finished.is_set():
                self._active.wait()
                if self._finished.is_set() or not self.queue:
                    return
                self._idle.clear()
                started = time.monotonic()
                try:
                    self._one(self.queue.pop(0))
                finally:
                    self._idle.set()
                self.tally.seconds.append(time.monotonic() - started)
                time.sleep(max(0.0, self.interval - (time.monotonic() - started)))
        except BaseException as error:  # reported by the run, never swallowed
            self.error = error
            self._idle.set()

    def _one(self, item: Revocable) -> None:
        paths = (item.product_path, item.search_path)
        stale_workers = dict(zip(paths, self.visitors.map(lambda path: self._arm(item, path), paths)))
        for workers in stale_workers.values():
            self.tally.not_listed += workers is None
            self.tally.arming_attempts += workers is not None
            self.tally.armed += workers is not None and len(workers) >= self.workers
        if not self._revoke(item):
            return
        answers = dict(zip(paths, self.visitors.map(lambda path: requests.get(self.url + path, timeout=TIMEOUT),
                                                    paths)))
        for path, workers in stale_workers.items():
            if workers is None:  # the search page never listed it with its badge: nothing to check
                continue
            answer = answers[path]
            self.tally.checks += 1
            self.tally.checks_on_stale_worker += answer.headers.get("X-Bench-Worker") in workers
            if answer.status_code == 404:  # revoking paused the listing: its page is gone with the badge
                self.tally.outcomes["page gone (404)"] += 1
                continue
            if answer.status_code != 200:
                self.tally.outcomes[f"HTTP {answer.status_code}"] += 1
                continue
            shown = badge_shown(answer.text, path, item.listing_id)
            if shown:
                self.tally.violations += 1
                self.tally.violation_details.append((path, answer.headers.get("X-Bench-Page-Cache")))
            self.tally.outcomes["badge still shown" if shown else
                                "listing no longer listed" if shown is None else "listed without the badge"] += 1

    def _arm(self, item: Revocable, path: str) -> set[str] | None:
        """Load the page until every worker answered from its copy showing the badge; their ids.

        Each try sends as many visitors at once as there are workers, twice over, so that every
        worker builds its copy in the first try and serves it in the next. None when no load
        showed the listing with its badge (a search page that does not list it).
        """
        holding: set[str] = set()
        badged = False
        for _attempt in range(ARMING_TRIES):
            for answer in self.loaders.map(lambda _n: requests.get(self.url + path, timeout=TIMEOUT),
                                           range(2 * self.workers)):
                shown = badge_shown(answer.text, path, item.listing_id) if answer.status_code == 200 else None
                badged = badged or bool(shown)
                if shown and answer.headers.get("X-Bench-Page-Cache") == "hit":
                    holding.add(answer.headers.get("X-Bench-Worker"))
            if len(holding) >= self.workers:
                break
        return holding if badged else None

    def _revoke(self, item: Revocable) -> bool:
        answer = self.official.post(
            f"{self.url}/official/certificates/{item.certificate_id}/revoke", allow_redirects=False, timeout=TIMEOUT,
            data={"revoke-reason": "Bench: lab re-test failed.", "revoke-csrf_token": self.csrf_token})
        if answer.status_code != 302:
            self.tally.failed_revocations.append((item.certificate_id, answer.status_code))
            return False
        self.tally.revocations += 1
        return True


def summary(tally: Tally, workers: int) -> list[str]:
    """The revocation check's lines for the results."""
    per = sorted(tally.seconds)
    cycle = f"{per[len(per) // 2]:.2f} s median, {per[-1]:.2f} s longest" if per else "none"
    lines = [
        "| revocations | checks after the revoking request returned | badge still served (aim 0) | "
        "checks answered by a worker that held the badged copy | pages armed in every worker |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {tally.revocations} | {tally.checks} | {tally.violations}{' ✓' if tally.violations == 0 else ' ✗'} | "
        f"{tally.checks_on_stale_worker} | {tally.armed} of {tally.arming_attempts} |",
        "",
        f"{tally.revocations} revocations in {tally.active_seconds:.0f} s of load: one every "
        f"{tally.active_seconds / max(tally.revocations, 1):.2f} s (aim: one a second; a cycle that takes longer, "
        f"arming both pages in all {workers} workers, revoking and checking, starts the next at once; "
        f"cycle: {cycle}).",
    ]
    if tally.outcomes:
        lines.append("What the checks found: " + ", ".join(f"{name} {count}" for name, count in
                                                          sorted(tally.outcomes.items())) + ".")
    if tally.not_listed:
        lines.append(f"Pages that never showed the listing with its badge before its revocation (not checked): "
                     f"{tally.not_listed}.")
    if tally.failed_revocations:
        lines.append(f"Revoking requests that failed: {tally.failed_revocations[:5]}.")
    if tally.violation_details:
        lines.append(f"Violations (page, cache): {tally.violation_details[:5]}.")
    return lines
