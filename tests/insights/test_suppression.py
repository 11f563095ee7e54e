"""Small cells are withheld from the public, so no one cooperative's sales can be read off."""
from __future__ import annotations

import csv
import io

from marketplace.insights import snapshots


def _rows(client, month, metric, dimension):
    text = client.get(f"/insights/data/{month}.csv").get_data(as_text=True)
    return {row["key"]: row for row in csv.DictReader(io.StringIO(text))
            if row["metric"] == metric and row["dimension"] == dimension and not row["item"]}


def test_a_province_with_one_cooperative_is_withheld_and_cannot_be_subtracted_out(app, client, last_month, sales_in):
    sales_in(last_month, ["330106"] * 5 + ["230184"])
    snapshots.publish_month(last_month)
    provinces = _rows(client, last_month, "gmv", "province")
    assert provinces["黑龙江省"]["suppressed"] == "true" and provinces["黑龙江省"]["value"] == ""
    # Zhejiang has five cooperatives, but with the total published it would give Heilongjiang
    # away by subtraction: it is withheld too.
    assert provinces["浙江省"]["suppressed"] == "true" and provinces["浙江省"]["value"] == ""
    whole = _rows(client, last_month, "gmv", "all")[""]
    assert whole["suppressed"] == "false" and int(whole["value"]) > 0


def test_cells_with_enough_cooperatives_are_shown(app, client, last_month, sales_in):
    sales_in(last_month, ["330106"] * 5 + ["230184"] * 5)
    snapshots.publish_month(last_month)
    provinces = _rows(client, last_month, "gmv", "province")
    assert {key: row["suppressed"] for key, row in provinces.items()} == {"浙江省": "false", "黑龙江省": "false"}


def test_the_minimum_is_a_setting(app, client, last_month, sales_in):
    app.config["INSIGHTS_MIN_COUNT"] = 1
    sales_in(last_month, ["330106", "230184"])
    snapshots.publish_month(last_month)
    assert _rows(client, last_month, "gmv", "county")["230184"]["suppressed"] == "false"


def test_open_data_never_names_a_cooperative(app, client, last_month, sales_in):
    cooperatives = sales_in(last_month, ["330106"] * 2)
    snapshots.publish_month(last_month)
    text = client.get(f"/insights/data/{last_month}.csv").get_data(as_text=True)
    data = client.get(f"/insights/data/{last_month}.json").get_json()
    assert "cooperative" not in {row["dimension"] for row in csv.DictReader(io.StringIO(text))}
    assert all(figure["dimension"] != "cooperative" for figure in data["figures"])
    page = client.get(f"/insights?month={last_month}").get_data(as_text=True)
    assert all(cooperative.name not in page for cooperative in cooperatives)


def test_an_official_sees_own_county_and_its_cooperatives_but_not_others(app, client, login, make_user,
                                                                         last_month, sales_in):
    cooperatives = sales_in(last_month, ["330106", "230184"])
    snapshots.publish_month(last_month)
    official = make_user(official_of=("330106",))
    login(official)
    page = client.get(f"/insights?month={last_month}&dimension=county").get_data(as_text=True)
    assert cooperatives[0].name in page and cooperatives[1].name not in page
    assert 'id="drill-down"' in page


def test_a_supervisor_sees_every_cooperative(app, client, login, make_user, last_month, sales_in):
    cooperatives = sales_in(last_month, ["330106", "230184"])
    snapshots.publish_month(last_month)
    login(make_user(supervisor=True))
    page = client.get(f"/insights?month={last_month}").get_data(as_text=True)
    assert all(cooperative.name in page for cooperative in cooperatives)


def test_a_rare_search_word_is_not_published(app, client, last_month):
    from datetime import timedelta

    from marketplace.extensions import db
    from marketplace.search.query_log import SearchQueryLog

    start, _ = last_month.naive_bounds(snapshots.zone())
    at = start + timedelta(days=2)
    db.session.add_all([SearchQueryLog(query="龙井", result_count=3, gi_product="", searched_at=at)
                        for _ in range(6)] + [SearchQueryLog(query="张三家的茶", result_count=0, searched_at=at)])
    db.session.commit()
    snapshots.publish_month(last_month)
    words = {row["item"]: row for row in csv.DictReader(io.StringIO(
        client.get(f"/insights/data/{last_month}.csv").get_data(as_text=True))) if row["metric"] == "searched_word"}
    assert words["龙井"]["value"] == "6"
    # A withheld word is left out whole: the word itself is what would give a person away.
    assert "张三家的茶" not in words
