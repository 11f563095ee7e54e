"""Demo pickup points: village service stations of the demo cooperatives.

Idempotent: a point is known by its cooperative and name.
"""
from __future__ import annotations

import click
from sqlalchemy import select

from marketplace.cooperatives.models import Cooperative
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import PickupPoint

#: By the county code of the cooperative: (name, province, city, county, street, hours).
POINTS = {
    "110117": [("峪口镇村级电商服务站", "北京市", "北京市", "平谷区", "峪口镇西营村村委会旁", "每天 8:00–18:00"),
               ("大华山镇供销社服务点", "北京市", "北京市", "平谷区", "大华山镇大华山村 12 号", "周一至周六 9:00–17:00")],
    "330106": [("龙井村茶农服务站", "浙江省", "杭州市", "西湖区", "龙井路 88 号", "每天 8:30–17:30")],
    "230184": [("五常镇益农信息社", "黑龙江省", "哈尔滨市", "五常市", "五常镇民乐村 3 组", "每天 8:00–17:00")],
}


def load() -> None:
    """Add the demo pickup points that are missing."""
    created = 0
    with write_transaction():
        for county_code, points in POINTS.items():
            cooperatives = db.session.scalars(select(Cooperative).where(
                Cooperative.county_code == county_code)).all()
            for cooperative in cooperatives:
                for name, province, city, county, street, hours in points:
                    if db.session.scalar(select(PickupPoint.id).where(PickupPoint.cooperative_id == cooperative.id,
                                                                      PickupPoint.name == name)):
                        continue
                    db.session.add(PickupPoint(cooperative_id=cooperative.id, name=name, province=province,
                                               city=city, county=county, street=street, hours=hours, active=True))
                    created += 1
    click.echo(f"  {created} new pickup points")
