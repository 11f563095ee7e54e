"""The words pages use for supervision's states, as template filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

COMPLAINT_STATUS = {"received": _l("received"), "investigating": _l("under investigation"),
                    "upheld": _l("upheld"), "dismissed": _l("dismissed")}
COMPLAINT_KIND = {"order": _l("an order"), "listing": _l("a listing"), "cooperative": _l("a cooperative"),
                  "counterfeit": _l("a suspected counterfeit")}
SANCTION_KIND = {"listing_taken_down": _l("listing taken down"), "batch_frozen": _l("batch frozen and recalled"),
                 "cooperative_suspended": _l("cooperative suspended"),
                 "cooperative_reinstated": _l("cooperative reinstated")}


def register(app) -> None:
    for name, table in (("complaint_status", COMPLAINT_STATUS), ("complaint_kind", COMPLAINT_KIND),
                        ("sanction_kind", SANCTION_KIND)):
        app.add_template_filter(lambda value, table=table: table.get(getattr(value, "value", value), value), name)
