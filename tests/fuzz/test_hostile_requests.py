"""Hostile input never reaches a 500: every parameter of every route, as every role.

For each role (anonymous, consumer, seller, official, supervisor) the test signs in through
the real form, then finds what each route reads: it opens every route once, parses the
forms of every page (fields, default values, the CSRF token, file inputs), and records
which query-string and form keys each view actually reads (the request's parameter
dictionaries are swapped for ones that remember what was asked of them). Then every one
of those fields is sent each value of a fixed list of hostile values, with the page's own
values (and CSRF token) in the other fields so that POSTs reach the services, and every
text path part (trace codes, tokens, slugs) gets the same list. Last, hypothesis draws
more values for random fields with a fixed, derandomized budget.

Any 5xx, or any exception escaping the app, fails the test and is listed.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

from tests.certification.conftest import as_user, certified_world  # noqa: F401 (fixtures)
from tests.fuzz.html_forms import forms_of
from tests.support.factories import valid_credit_code

PASSWORD = "correct-horse-battery"
ROLES = ["anonymous", "consumer", "seller", "official", "supervisor"]

#: The fixed list: control characters, numbers no column holds or no int() reads, huge
#: text, direction overrides, SQL and HTML, impossible dates, digits of other scripts.
HOSTILE = [
    "tea\x00", "\x01\x07\x1b\x7f\x85", "²", "١٢٣", "9" * 30, "-1", "--5", "1e309", "1.5", "x" * 5000,
    "\u202egpj.exe\u2066", "<script>alert(1)</script>' OR '1'='1' --", "9999-12-31", "0000-00-00",
    "0001-01-01", "", "../../etc/passwd",
]
#: What every other field a role can reach is sent: the values that once caused a 500.
CORE = ["tea\x00", "²", "9" * 30, "0001-01-01"]
#: Each role fuzzes its own pages with every value; it reaches others' pages with CORE.
OWN_PAGES = {
    "official": re.compile(r"^/official"),
    "supervisor": re.compile(r"^/admin"),
    "seller": re.compile(r"^/seller|^/cooperatives/\d+/members"),
    "consumer": re.compile(r"^/(cart|checkout|orders|account|cooperatives/new)"),
    "anonymous": re.compile(r"^/(?!official|admin|seller|cart|checkout|orders|account|cooperatives/(new|\d+/members))"),
}

#: Values for fields a page leaves empty (new-item forms), so that hostile values in the
#: other fields get past validation and reach the services and the database.
PLAUSIBLE = {
    "name": "West Lake tea", "display_name": "Li Wei", "title": "Spring green tea", "address": "1 Village Road",
    "phone": "13800138000", "mobile": "13812345678", "recipient": "Li Wei", "street": "1 Tea Road",
    "email": "someone@example.com", "price": "12.50", "unit": "box", "stock": "5", "quantity": "1",
    "weight_grams": "300", "harvest_date": "2025-04-02", "lab_name": "Lab", "lab_report_number": "L-1",
    "county_code": "330106", "statement": "Village tea.", "reason": "A reason.", "request": "More, please.",
    "answer": "Here it is.", "tracking_number": "SF1234567890", "description": "Picked by hand.",
    "measurement_moisture": "6.2", "code": "ABCD-EFGH-JKLM", "years": "3", "count": "2",
}

#: Routes left out: ending the session would turn the rest of the run anonymous.
SKIPPED_ENDPOINTS = re.compile(r"logout|sign_?out|static$")
SESSION_ENDING_PATHS = re.compile(r"logout|sign-?out")

_read_keys: set[str] = set()


class _RecordingDict(ImmutableMultiDict):
    """A request's args/form that remembers every key a view asks for."""

    def __contains__(self, key):
        _read_keys.add(key)
        return super().__contains__(key)

    def get(self, key, *args, **kwargs):
        _read_keys.add(key)
        return super().get(key, *args, **kwargs)

    def getlist(self, key, *args, **kwargs):
        _read_keys.add(key)
        return super().getlist(key, *args, **kwargs)

    def __getitem__(self, key):
        _read_keys.add(key)
        return super().__getitem__(key)


@dataclass
class Target:
    """One way to call a route: its method and path, and the fields it reads."""

    method: str
    path: str
    baseline: dict[str, str] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    #: Fields a page's form sends; a POST's view may read more (sibling forms it re-renders).
    form_fields: set[str] = field(default_factory=set)
    reachable: bool = False

    @property
    def sent_fields(self) -> list[str]:
        names = self.form_fields if self.method == "POST" and self.form_fields else self.fields | self.form_fields
        return sorted(name for name in names | self.files if not name.endswith("csrf_token"))


@pytest.fixture
def app_config(app_config):
    return dict(app_config, WTF_CSRF_ENABLED=True)


@pytest.fixture
def fuzz_world(certified_world, make_user, make_cooperative, make_gi_authorization,  # noqa: F811
               make_gi_batch, make_batch_certificate, make_listing_for_sale, place_order, put_in_cart):
    """Something behind every route: listings, an order, pending files for the officials."""
    world = certified_world
    world.supervisor = make_user(name="Supervisor", supervisor=True)
    world.consumer = make_user(name="Consumer")
    world.listing = make_listing_for_sale(world.cooperative, stock=50)
    world.order = place_order(world.consumer, (world.listing, 1))
    world.sub_order = world.order.sub_orders[0]
    put_in_cart(world.consumer, world.listing, 1)  # so that the checkout page opens
    world.pending_authorization = make_gi_authorization(make_cooperative(county="330106"), status="submitted")
    world.pending_certificate = make_batch_certificate(make_gi_batch(world.cooperative), status="submitted")
    return world


def _path_values(world, rule) -> dict:
    official = rule.rule.startswith("/official")
    values = {
        "cooperative_id": world.cooperative.id, "listing_id": world.listing.id, "order_id": world.order.id,
        "sub_order_id": world.sub_order.id, "batch_id": world.batch.id, "document_id": world.document.id,
        "photo_id": 1, "token": "not-a-token", "code": world.code, "slug": "longjing-tea",
        "name": "0" * 32 + ".jpg",
        "authorization_id": (world.pending_authorization if official else world.authorization).id,
        "certificate_id": (world.pending_certificate if official else world.certificate).id,
    }
    return {argument: values.get(argument, 1) for argument in rule.arguments}


def _user_of(world, role):
    return {"anonymous": None, "consumer": world.consumer, "seller": world.seller,
            "official": world.official, "supervisor": world.supervisor}[role]


def _client(app, world, role):
    client = app.test_client()
    user = _user_of(world, role)
    if user is not None:
        token = _csrf_token(client, "/login")
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, f"{role} could not sign in"
    return client


def _csrf_token(client, path) -> str:
    response = client.get(path)
    for form in forms_of("http://localhost" + path, response.get_data(as_text=True)):
        if form.values.get("csrf_token"):
            return form.values["csrf_token"]
    raise AssertionError(f"no CSRF token on {path}")


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Fuzzer:
    def __init__(self, app, client, role):
        self.app, self.client, self.role = app, client, role
        self.failures: list[str] = []
        self.requests = 0
        self.last_html = self.last_location = ""
        self.credit_code = valid_credit_code("330106")

    def send(self, method: str, path: str, data: dict | None = None, files: dict | None = None,
             note: str = "") -> int | None:
        """Send one request; note any 5xx or escaping exception as a failure."""
        self.requests += 1
        _read_keys.clear()
        self.last_html = self.last_location = ""
        try:
            if method == "GET":
                response = self.client.get(path, query_string=data or {})
            else:
                payload = dict(data or {})
                for name, (content, filename) in (files or {}).items():
                    payload[name] = (io.BytesIO(content), filename)
                response = self.client.post(path, data=payload,
                                            content_type="multipart/form-data" if files else None)
        except Exception as error:  # noqa: BLE001 - every escaping error is a finding
            self.failures.append(f"{self.role} {method} {path} {note}: {type(error).__name__}: {error}"[:400])
            return None
        status = response.status_code
        self.last_html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        self.last_location = response.headers.get("Location", "")
        response.close()
        if status >= 500:
            self.failures.append(f"{self.role} {method} {path} {note}: {status}"[:400])
        return status


def _discover(fuzzer: Fuzzer, world) -> tuple[list[Target], list[tuple[str, object]]]:
    """Every route with the fields it reads; and the routes with text path parts."""
    app = fuzzer.app
    targets: dict[tuple[str, str], Target] = {}
    text_paths = []
    token = _csrf_token(fuzzer.client, "/login" if fuzzer.role == "anonymous" else "/account")

    def merge(method, path, baseline=(), fields=(), files=(), from_form=False, reachable=False):
        target = targets.setdefault((method, path), Target(method, path))
        for name, value in dict(baseline).items():
            target.baseline.setdefault(name, value)
        if from_form:
            target.form_fields |= set(dict(baseline)) | set(fields) | set(files)
        target.fields |= set(fields)
        target.files |= set(files)
        target.reachable |= reachable

    rules = sorted((rule for rule in app.url_map.iter_rules() if not SKIPPED_ENDPOINTS.search(rule.endpoint)),
                   key=lambda rule: rule.rule)
    with app.test_request_context():
        paths = [(rule, url_for(rule.endpoint, **_path_values(world, rule))) for rule in rules]
    for rule, path in paths:
        if set(rule.arguments) - {a for a, c in rule._converters.items() if type(c).__name__.endswith("IntConverter")}:
            text_paths.append((path, rule))
        if "GET" not in rule.methods:
            continue
        status = fuzzer.send("GET", path, note="(discovery)")
        merge("GET", path, fields=set(_read_keys), reachable=status is not None and status < 300)
        for form in forms_of("http://localhost" + path, fuzzer.last_html):
            action = _local(form.action)
            if SESSION_ENDING_PATHS.search(action):
                continue
            method = "POST" if form.method == "post" else "GET"
            merge(method, action.split("?")[0], baseline=form.values, fields=form.field_names, files=form.files,
                  from_form=True, reachable=True)
    for rule, path in paths:
        if "POST" in rule.methods:
            status = fuzzer.send("POST", path, {"csrf_token": token}, note="(discovery)")
            merge("POST", path, baseline={"csrf_token": token}, fields=set(_read_keys),
                  reachable=status is not None and status < 400 and "/login" not in fuzzer.last_location)
    return list(targets.values()), text_paths


def _baseline(target: Target, credit_code: str) -> dict[str, str]:
    data = dict(target.baseline)
    for name in target.sent_fields:
        bare = name.rsplit("-", 1)[-1]
        if not data.get(name) and bare in PLAUSIBLE:
            data[name] = PLAUSIBLE[bare]
        elif not data.get(name) and bare == "credit_code":
            data[name] = credit_code
    return data


def _send_with(fuzzer: Fuzzer, target: Target, name: str, value: str) -> None:
    data = _baseline(target, fuzzer.credit_code)
    files = {file_field: (b"junk\x00\xff", "photo.png") for file_field in target.files}
    if name in target.files:
        files[name] = (value.encode("utf-8"), value or "x")
    else:
        data[name] = value
    fuzzer.send(target.method, target.path, data, files, note=f"{name}={value[:40]!r}")


def _hostile_path(path: str, rule, value: str, world) -> str:
    from werkzeug.urls import quote

    values = _path_values(world, rule)
    for argument in rule.arguments:
        if isinstance(values[argument], str):
            path = path.replace("/" + quote(str(values[argument]), safe=""), "/" + quote(value or "x", safe=""), 1)
    return path


# A fixed example budget takes under a minute on an idle machine; the generous timeout
# only guards against a hang, so a loaded machine makes this slower, never red.
@pytest.mark.timeout(1500)
@pytest.mark.parametrize("role", ROLES)
def test_no_hostile_value_in_any_field_of_any_route_gives_a_server_error(app, fuzz_world, role):
    world = fuzz_world
    app.request_class = type("RecordingRequest", (app.request_class,),
                             {"parameter_storage_class": _RecordingDict})
    fuzzer = Fuzzer(app, _client(app, world, role), role)
    targets, text_paths = _discover(fuzzer, world)
    assert len(targets) > 10

    own = OWN_PAGES[role]
    for target in targets:
        if own.search(target.path):
            for name in target.sent_fields:
                for value in HOSTILE:
                    _send_with(fuzzer, target, name, value)
        elif target.reachable:
            for name in target.sent_fields:
                for value in CORE:
                    _send_with(fuzzer, target, name, value)
        elif target.sent_fields:
            for value in CORE:
                fuzzer.send(target.method, target.path, dict(_baseline(target, fuzzer.credit_code), **{
                    name: value for name in target.sent_fields}), note=f"all fields={value!r}")
    for path, rule in text_paths:
        for value in HOSTILE:
            if "GET" in rule.methods:
                fuzzer.send("GET", _hostile_path(path, rule, value, world), note=f"path {value[:40]!r}")

    fields = [(target, name) for target in targets if target.reachable for name in target.sent_fields]

    @settings(max_examples=30, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def drawn_values(data):
        target, name = data.draw(st.sampled_from(fields))
        value = data.draw(st.one_of(
            st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
            st.integers(min_value=-(2**80), max_value=2**80).map(str),
            st.dates().map(lambda day: day.isoformat()),
            st.floats().map(str),
        ))
        _send_with(fuzzer, target, name, value)

    drawn_values()
    assert fuzzer.failures == [], f"{len(fuzzer.failures)} of {fuzzer.requests} requests failed:\n" + \
        "\n".join(fuzzer.failures[:60])
