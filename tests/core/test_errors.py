"""One DomainError family, answered by the app's handlers: the site's page, or problem details."""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import marketplace
from marketplace.core.errors import Conflict, DomainError, NotAllowed, NotFound

#: Exceptions that are no refusal to show a user: a provider's failure, an index that is
#: down, a mail server's answer, an address the account service turns into a DomainError.
NOT_DOMAIN_ERRORS = {
    "marketplace.accounts.identity.InvalidEmail",
    "marketplace.core.mailer.transports.PermanentFailure",
    "marketplace.payments.base.PaymentProviderError",
    "marketplace.payments.base.WebhookRejected",
    "marketplace.search.backends.base.SearchUnavailable",
    # A bug in the code (changing a ledger entry), never a refusal a user could be shown.
    "marketplace.orders.models.ledger.LedgerIsAppendOnly",
}


def _modules():
    for info in pkgutil.walk_packages(marketplace.__path__, "marketplace."):
        yield importlib.import_module(info.name)


def test_every_error_an_area_raises_is_a_domain_error_and_bases_live_in_core(app):
    for module in _modules():
        for name, value in vars(module).items():
            if not (inspect.isclass(value) and issubclass(value, Exception) and value.__module__ == module.__name__):
                continue
            qualified = f"{module.__name__}.{name}"
            if module.__name__.startswith("marketplace.core.") or qualified in NOT_DOMAIN_ERRORS:
                continue
            assert issubclass(value, DomainError), f"{qualified} is not a DomainError"
            # An area may name a particular refusal, never its own family of them.
            assert value.__bases__[0] in (DomainError, NotAllowed, NotFound, Conflict), qualified


def _handlers_that_abort(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) == "abort":
                    yield node.lineno


def test_no_view_catches_an_error_to_abort():
    root = Path(marketplace.__file__).parent
    found = [f"{path.relative_to(root)}:{line}" for path in root.rglob("*.py")
             for line in _handlers_that_abort(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


@pytest.fixture
def refusing_app(app):
    """The app with pages that raise each kind of refusal, as a service would."""
    errors = {
        "bad": DomainError("The name is too long.", field="name"),
        "forbidden": NotAllowed("Only officials of county 330106 may see the secret."),
        "missing": NotFound("Listing 7 belongs to cooperative 3."),
        "conflict": Conflict("Sorry, it is sold out."),
    }

    def refuse(kind):
        raise errors[kind]

    app.add_url_rule("/refuse/<kind>", "refuse", refuse)
    app.add_url_rule("/api/refuse/<kind>", "api_refuse", refuse)
    return app


@pytest.mark.parametrize("kind, status", [("bad", 400), ("forbidden", 403), ("missing", 404), ("conflict", 409)])
def test_a_refusal_answers_its_status_on_the_sites_error_page(refusing_app, client, kind, status):
    response = client.get(f"/refuse/{kind}", headers={"Accept": "text/html,*/*;q=0.8"})
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert 'class="error-page"' in page and "site.css" in page


def test_a_page_says_why_it_refused_input_but_not_what_exists(refusing_app, client):
    assert "The name is too long." in client.get("/refuse/bad").get_data(as_text=True)
    assert "sold out" in client.get("/refuse/conflict").get_data(as_text=True)
    assert "330106" not in client.get("/refuse/forbidden").get_data(as_text=True)
    missing = client.get("/refuse/missing").get_data(as_text=True)
    assert "cooperative 3" not in missing
    assert client.get("/no-such-page").status_code == 404


#: The API's problems carry the stable type its clients branch on (see core/problems.py).
API_PROBLEM = {"type": "/api/v1/problems/bad-request", "title": "Bad request", "status": 400,
               "detail": "The name is too long.", "field": "name", "instance": "/api/refuse/bad"}


@pytest.mark.parametrize("path, headers, expected", [
    ("/api/refuse/bad", {}, API_PROBLEM),
    ("/api/refuse/bad", {"Accept": "text/html"}, API_PROBLEM),
    ("/refuse/bad", {"Accept": "application/json"},
     {"type": "about:blank", "title": "Bad request", "status": 400, "detail": "The name is too long.",
      "field": "name"}),
])
def test_the_api_and_json_clients_get_problem_details(refusing_app, client, path, headers, expected):
    response = client.get(path, headers=headers)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == expected


def test_problem_details_of_a_refusal_keep_its_reason_to_themselves(refusing_app, client):
    response = client.get("/api/refuse/forbidden")
    assert response.status_code == 403
    assert "330106" not in response.get_data(as_text=True)
    assert client.get("/api/refuse/missing").get_json()["status"] == 404


def test_a_seller_editing_another_cooperatives_listing_sees_not_found(
        client, login, make_user, make_cooperative, make_listing):
    owner, stranger = make_user(), make_user()
    listing = make_listing(make_cooperative(owner=owner))
    make_cooperative(owner=stranger)
    login(stranger)
    response = client.post(f"/seller/listings/{listing.id}/status", data={"status": "paused"})
    assert response.status_code == 404
