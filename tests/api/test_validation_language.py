"""Field messages of bad input follow the caller's language, as the site picks it (zh or en)."""
from __future__ import annotations

import re

import pytest

from tests.api.conftest import bearer

CJK = re.compile(r"[\u4e00-\u9fff]")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN = {"Accept-Language": "en"}


def _messages(errors) -> list[str]:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _messages(value)]
    if isinstance(errors, list):
        return [message for value in errors for message in _messages(value)]
    return [errors]


def test_a_missing_field_is_named_in_the_callers_language(client, coop_world):
    url = "/api/v1/cooperative/orders/999999/shipment"
    chinese = client.post(url, json={}, headers={**bearer(coop_world["write"]), **ZH})
    assert chinese.status_code == 422 and chinese.get_json()["type"].endswith("/invalid-input")
    assert chinese.get_json()["errors"]["json"] == {"carrier": ["缺少必填字段。"], "tracking_number": ["缺少必填字段。"]}
    assert re.match(r"^(carrier|tracking_number): 缺少必填字段。$", chinese.get_json()["detail"])
    english = client.post(url, json={}, headers={**bearer(coop_world["write"]), **EN})
    assert english.get_json()["errors"]["json"]["carrier"] == ["Missing data for required field."]
    assert english.headers["Content-Language"] == "en" and chinese.headers["Content-Language"] == "zh-CN"


def test_values_in_a_message_are_kept_in_either_language(client):
    chinese = client.get("/api/v1/listings?page=0", headers=ZH).get_json()
    assert chinese["errors"]["query"]["page"] == ["必须大于或等于 1 且小于或等于 100000。"]
    english = client.get("/api/v1/listings?page=0", headers=EN).get_json()
    assert english["errors"]["query"]["page"] == ["Must be greater than or equal to 1 and less than or equal to 100000."]
    sort = client.get("/api/v1/listings?sort=cheapest", headers=ZH).get_json()["errors"]["query"]["sort"][0]
    assert sort.startswith("必须是以下之一：") and "price_asc" in sort


def test_the_language_cookie_decides_before_the_header_as_on_the_site(client):
    client.set_cookie("lang", "zh")
    answer = client.get("/api/v1/listings?page=x", headers=EN).get_json()
    assert answer["errors"]["query"]["page"] == ["不是有效的整数。"]


@pytest.mark.parametrize("body, field, chinese, english", [
    ({"stock": "x"}, "stock", "不是有效的整数。", "Not a valid integer."),
    ({"stock": 3, "price_minor": None}, "price_minor", "此字段不能为 null。", "Field may not be null."),
    ({"stock": 3, "colour": "red"}, "colour", "未知字段。", "Unknown field."),
    ({"stock": -1}, "stock", "必须大于或等于 0 且小于或等于 2147483647。",
     "Must be greater than or equal to 0 and less than or equal to 2147483647."),
    ({}, "_schema", "请发送 price_minor、stock 或两者。", "Send price_minor, stock or both."),
    ({"price_minor": 900, "stock_seen": 4}, "stock_seen", "stock_seen 须与 stock 一起发送。",
     "stock_seen goes with stock."),
    ([1, 2], "_schema", "输入类型无效。", "Invalid input type."),
])
def test_body_messages_follow_the_language_and_change_nothing(client, coop_world, body, field, chinese, english):
    listing = coop_world["listing"]
    url = f"/api/v1/cooperative/listings/{listing.id}"
    headers = bearer(coop_world["write"])
    for language, expected in ((ZH, chinese), (EN, english)):
        answer = client.patch(url, json=body, headers={**headers, **language})
        assert answer.status_code == 422, answer.get_data(as_text=True)
        assert answer.get_json()["errors"]["json"][field] == [expected]
    shown = client.get(url, headers=headers).get_json()
    assert (shown["stock"], shown["price_minor"]) == (20, 5800)


def test_a_body_that_is_not_json_is_refused_in_the_callers_language(client, coop_world):
    url = f"/api/v1/cooperative/listings/{coop_world['listing'].id}"
    headers = {**bearer(coop_world["write"]), "Content-Type": "application/json"}
    chinese = client.patch(url, data="{stock: 3", headers={**headers, **ZH})
    assert chinese.status_code == 400 and chinese.get_json()["type"].endswith("/bad-request")
    assert chinese.get_json()["errors"] == {"json": ["请求体不是有效的 JSON。"]}
    english = client.patch(url, data="{stock: 3", headers={**headers, **EN})
    assert english.get_json()["errors"] == {"json": ["Invalid JSON body."]}


def _bad_value(schema: dict) -> str:
    """A value the parameter's schema refuses."""
    if "enum" in schema:
        return "not-a-choice"
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds:
        return "x"
    if "boolean" in kinds:
        return "maybe"
    if "pattern" in schema:
        return "!"
    return "a" * (schema.get("maxLength", 0) + 1)


def test_every_bad_query_value_is_answered_in_either_language(client, coop_world, make_user, make_token):
    """Each query parameter of every operation, given a value its schema refuses: no English left for zh."""
    document = client.get("/api/v1/openapi.json").get_json()
    export = make_token(make_user(supervisor=True), scope="export")
    tried = 0
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        token = export if path.startswith("/api/v1/export") else coop_world["write"]
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or not any(k in parameter["schema"] for k in ("enum", "maxLength",
                                                                                       "maximum", "pattern")) \
                    and parameter["schema"].get("type") not in ("integer", "boolean"):
                continue
            query = {parameter["name"]: _bad_value(parameter["schema"])}
            for language, expect_cjk in ((ZH, True), (EN, False)):
                answer = client.get(path, query_string=query, headers={**bearer(token), **language})
                assert answer.status_code in (400, 422), (path, query, answer.get_data(as_text=True))
                messages = _messages(answer.get_json()["errors"])
                assert messages and all(bool(CJK.search(m)) is expect_cjk for m in messages), (path, query, messages)
            tried += 1
    assert tried >= 15


def test_every_template_has_a_chinese_translation_with_the_same_placeholders(app):
    from flask_babel import force_locale, gettext

    from marketplace.api.messages import TEMPLATES

    with app.test_request_context(), force_locale("zh"):
        for template in TEMPLATES:
            translated = gettext(template)
            assert CJK.search(translated), template
            assert sorted(re.findall(r"\{\w+\}", translated)) == sorted(re.findall(r"\{\w+\}", template))
