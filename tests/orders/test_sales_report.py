"""The sales report: net of refunds, by day, month and product, with a chart and CSV; members only."""
import csv
import io

from tests.orders.test_order_life import as_user


def test_sales_are_netted_of_refunds_and_shown_to_members_only(app, login, make_user, two_cooperative_order):
    world = two_cooperative_order
    tea_coop, rice_coop = world["tea"].cooperative_id, world["rice"].cooperative_id
    tea_seller, rice_seller = as_user(app, login, world["tea_seller"]), as_user(app, login, world["rice_seller"])
    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment").status_code == 302
    assert rice_seller.post(f"/seller/orders/{world['rice_part']}/confirm-payment").status_code == 302
    assert rice_seller.post(f"/seller/orders/{world['rice_part']}/cancel", data={"reason": "缺货"}).status_code == 302

    page = tea_seller.get(f"/seller/sales/{tea_coop}?by=product").get_data(as_text=True)
    chart = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<rect" in chart and "script" not in chart and "西湖龙井" in page
    rows = list(csv.reader(io.StringIO(
        tea_seller.get(f"/seller/sales/{tea_coop}/csv?by=product").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1] == ["西湖龙井", "2", "76.00"]
    days = list(csv.reader(io.StringIO(
        tea_seller.get(f"/seller/sales/{tea_coop}/csv?by=day").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(days) == 32 and days[-1][2] != "0.00"  # today, goods and shipping

    # The refunded rice part nets to nothing, by product and by month.
    rice_rows = list(csv.reader(io.StringIO(
        rice_seller.get(f"/seller/sales/{rice_coop}/csv?by=product").get_data(as_text=True).lstrip("\ufeff"))))
    assert rice_rows[1:] == []
    months = list(csv.reader(io.StringIO(
        rice_seller.get(f"/seller/sales/{rice_coop}/csv?by=month").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(months) == 13 and months[-1][2] == "0.00"

    assert tea_seller.get(f"/seller/sales/{tea_coop}?by=week").status_code == 400
    assert rice_seller.get(f"/seller/sales/{tea_coop}").status_code == 404  # another cooperative
    assert as_user(app, login, world["shopper"]).get(f"/seller/sales/{tea_coop}/csv").status_code == 404
    assert as_user(app, login, make_user(supervisor=True)).get(f"/seller/sales/{tea_coop}").status_code == 200
