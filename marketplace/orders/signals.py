"""Signals of the orders area.

`listings_availability_changed` is sent inside the transaction that reserved or released
stock, with the ids of listings that went off sale (sold out) or may be back on sale. The
stock itself changes by conditional UPDATE statements that the ORM's flush events do not
see, so an area that mirrors listings (the search index) connects here.
"""
from __future__ import annotations

from blinker import Namespace

listings_availability_changed = Namespace().signal("listings-availability-changed")
