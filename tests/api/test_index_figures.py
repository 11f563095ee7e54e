"""The public index under /api/v1/insights: the page's figures, its suppression, its visibility."""
from __future__ import annotations

import re

from marketplace.insights import snapshots

PROBLEM = "application/problem+json"


def _figures(client, month, headers=None, **query) -> dict:
    response = client.get(f"/api/v1/insights/months/{month}", query_string=query, headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _cells(body: dict) -> dict:
    return {(f["metric"], f["cut"], f["key"], f["item"]): (f["value"], f["suppressed"]) for f in body["figures"]}


def _max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1))


def test_months_are_listed_with_their_status_and_links(client, last_month, sales_in):
    sales_in(last_month, ["330106"] * 5)
    snapshots.publish_month(last_month)
    response = client.get("/api/v1/insights/months")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    current = str(snapshots.current_month())
    assert body["current_month"] == current
    by_month = {item["month"]: item for item in body["items"]}
    assert [item["month"] for item in body["items"]] == [current, str(last_month)]
    assert by_month[str(last_month)]["status"] == "published" and by_month[str(last_month)]["published_at"]
    assert by_month[current]["status"] == "provisional" and by_month[current]["published_at"] is None
    assert by_month[str(last_month)]["csv_url"].endswith(f"/insights/data/{last_month}.csv")
    assert by_month[str(last_month)]["url"].endswith(f"/api/v1/insights/months/{last_month}")


def test_figures_withhold_small_cells_exactly_as_the_open_data_files_do(client, last_month, sales_in):
    sales_in(last_month, ["330106"] * 5 + ["230184"])
    snapshots.publish_month(last_month)
    body = _figures(client, last_month, metric="gmv", cut="province")
    provinces = {f["key"]: f for f in body["figures"]}
    assert set(provinces) == {"浙江省", "黑龙江省"} and {f["metric"] for f in body["figures"]} == {"gmv"}
    # One cooperative in Heilongjiang: withheld; Zhejiang too, or it could be subtracted from the total.
    assert provinces["黑龙江省"]["value"] is None and provinces["黑龙江省"]["suppressed"] is True
    assert provinces["浙江省"]["value"] is None and provinces["浙江省"]["suppressed"] is True
    whole = _figures(client, last_month, metric="gmv", cut="all")["figures"]
    assert len(whole) == 1 and whole[0]["value"] > 0 and whole[0]["suppressed"] is False
    assert body["status"] == "published" and body["minimum_support"] == 5

    everything = _cells(_figures(client, last_month))
    opendata = client.get(f"/insights/data/{last_month}.json").get_json()["figures"]
    assert everything == {(f["metric"], f["dimension"], f["key"], f["item"]): (f["value"], f["suppressed"])
                          for f in opendata}


def test_a_signed_in_supervisor_or_official_sees_no_more_than_the_public(client, login, make_user, last_month,
                                                                        sales_in):
    sales_in(last_month, ["330106", "230184"])
    snapshots.publish_month(last_month)
    public = _figures(client, last_month)
    for user in (make_user(supervisor=True), make_user(official_of=("330106",))):
        login(user)
        seen = _figures(client, last_month)
        assert _cells(seen) == _cells(public)
        assert all(f["cut"] != "cooperative" for f in seen["figures"])
        county = {f["key"]: f for f in _figures(client, last_month, metric="gmv", cut="county")["figures"]}
        assert county["330106"]["value"] is None and county["330106"]["suppressed"] is True
        refused = client.get(f"/api/v1/insights/months/{last_month}?cut=cooperative")
        assert refused.status_code == 400 and "cut" in refused.get_json()["errors"]["query"]


def test_a_month_after_the_current_one_is_never_shown_even_when_stored(client, runner):
    from marketplace.extensions import db
    from marketplace.insights.models import InsightsMonth

    ahead = snapshots.current_month().next()
    assert runner.invoke(args=["insights", "refresh", str(ahead)]).exit_code != 0  # never computed now
    db.session.add(InsightsMonth(month=str(ahead)))  # stored all the same (an older release, a clock ahead)
    db.session.commit()
    assert snapshots.snapshot(ahead) is not None
    listed = client.get("/api/v1/insights/months").get_json()
    assert str(ahead) not in {item["month"] for item in listed["items"]}
    refused = client.get(f"/api/v1/insights/months/{ahead}")
    assert refused.status_code == 404 and refused.mimetype == PROBLEM
    assert refused.get_json()["type"].endswith("/not-found") and "month" in refused.get_json()["errors"]["path"]
    assert client.get(f"/insights?month={ahead}").status_code == 400  # the page hides it too


def test_an_earlier_month_is_given_once_computed_never_computed_for_the_api(client, last_month):
    earlier = last_month.previous()
    refused = client.get(f"/api/v1/insights/months/{earlier}")
    assert refused.status_code == 404 and refused.get_json()["errors"]["path"]["month"]
    assert snapshots.snapshot(earlier) is None
    current = snapshots.current_month()
    assert _figures(client, current)["status"] == "provisional"  # the current month is freshened, as on the page


def test_bad_month_metric_or_cut_is_a_problem_naming_the_parameter(client, last_month, sales_in):
    sales_in(last_month, ["330106"])
    snapshots.publish_month(last_month)
    for month, status in (("2026-1x", 400), ("2026-13", 400), ("1999-01", 400), ("2020-01", 404)):
        response = client.get(f"/api/v1/insights/months/{month}")
        assert response.status_code == status and response.mimetype == PROBLEM, month
        assert list(response.get_json()["errors"]["path"]) == ["month"]
    for query, name in (({"metric": "profit"}, "metric"), ({"cut": "cooperative"}, "cut"),
                        ({"metric": "gmv", "cut": ""}, "cut")):
        response = client.get(f"/api/v1/insights/months/{last_month}", query_string=query)
        body = response.get_json()
        assert response.status_code == 400 and body["type"].endswith("/bad-request"), query
        assert list(body["errors"]["query"]) == [name] and body["detail"].startswith(f"{name}: ")
    chinese = client.get(f"/api/v1/insights/months/{last_month}?metric=profit", headers={"Accept-Language": "zh"})
    assert chinese.get_json()["errors"]["query"]["metric"][0].startswith("必须是以下之一")
    chinese_month = client.get("/api/v1/insights/months/2026-1x", headers={"Accept-Language": "zh"})
    assert re.search(r"[\u4e00-\u9fff]", chinese_month.get_json()["detail"])


def test_answers_are_cacheable_open_data_a_published_month_for_longer(app, client, last_month, sales_in):
    sales_in(last_month, ["330106"])
    snapshots.publish_month(last_month)
    published = client.get(f"/api/v1/insights/months/{last_month}")
    assert published.headers["Cache-Control"].startswith("public")
    assert _max_age(published) == app.config["API_INSIGHTS_PUBLISHED_MAX_AGE"]
    assert {"Accept-Language", "Cookie"} <= set(published.vary) and published.headers["Last-Modified"]
    again = client.get(f"/api/v1/insights/months/{last_month}", headers={"If-None-Match": published.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == published.headers["Cache-Control"]
    provisional = client.get(f"/api/v1/insights/months/{snapshots.current_month()}")
    assert 0 <= _max_age(provisional) <= app.config["INSIGHTS_PROVISIONAL_MAX_AGE"]
    listing = client.get("/api/v1/insights/months")
    assert _max_age(listing) <= app.config["INSIGHTS_PROVISIONAL_MAX_AGE"]


def test_labels_follow_the_callers_language(client, last_month, sales_in):
    sales_in(last_month, ["330106"] * 5)
    snapshots.publish_month(last_month)
    english = _figures(client, last_month, headers={"Accept-Language": "en"}, metric="gmv", cut="province")
    chinese = _figures(client, last_month, headers={"Accept-Language": "zh-CN"}, metric="gmv", cut="province")
    assert english["figures"][0]["key"] == chinese["figures"][0]["key"] == "浙江省"
    assert english["figures"][0]["key_label"] == "Zhejiang" and chinese["figures"][0]["key_label"] == "浙江省"
    assert english["figures"][0]["label"] != chinese["figures"][0]["label"]
    catalogue = client.get("/api/v1/insights/metrics", headers={"Accept-Language": "zh"}).get_json()
    assert "cooperative" not in {cut["name"] for cut in catalogue["cuts"]}
    assert {m["name"] for m in catalogue["metrics"]} >= {"gmv", "refund_rate", "verify_checks"}


def test_the_index_endpoints_are_in_the_document_and_the_docs_page(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/insights/months", "/api/v1/insights/months/{month}", "/api/v1/insights/metrics"):
        assert path in document["paths"]
    item = document["paths"]["/api/v1/insights/months/{month}"]
    parameters = {p["name"]: p for p in item.get("parameters", []) + item["get"]["parameters"]}
    assert parameters["month"]["in"] == "path" and parameters["month"]["schema"]["pattern"]
    assert {"month", "metric", "cut"} <= set(parameters)
    assert "cooperative" not in parameters["cut"]["schema"]["enum"]
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/insights/months/{month}" in docs and "The month, written YYYY-MM." in docs


def test_a_rarely_searched_word_is_left_out_whole(client, last_month):
    from datetime import timedelta

    from marketplace.extensions import db
    from marketplace.search.query_log import SearchQueryLog

    at = last_month.naive_bounds(snapshots.zone())[0] + timedelta(days=2)
    db.session.add_all([SearchQueryLog(query="龙井", result_count=3, gi_product="", searched_at=at)
                        for _ in range(6)] + [SearchQueryLog(query="张三家的茶", result_count=0, searched_at=at)])
    db.session.commit()
    snapshots.publish_month(last_month)
    response = client.get(f"/api/v1/insights/months/{last_month}")
    words = {f["item"]: f["value"] for f in response.get_json()["figures"] if f["item"]}
    assert words.get("龙井") == 6
    assert "张三家的茶" not in response.get_data(as_text=True)


def test_index_reads_are_rate_limited_per_address_and_open_to_other_sites(app, client):
    app.config["API_PUBLIC_RATE_LIMIT"] = "2 per minute"
    assert client.get("/api/v1/insights/metrics").status_code == 200
    assert client.get("/api/v1/insights/metrics").status_code == 200
    limited = client.get("/api/v1/insights/metrics")
    assert limited.status_code == 429 and limited.mimetype == PROBLEM
    preflight = client.options("/api/v1/insights/months", headers={"Origin": "https://county.example",
                                                                   "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
