"""The product's date range and the sizes of a request and of a journal entry: plain Python.

The limits' annotated types (``ibic.limits``) build on these; the store, the list and the settings use them without
importing pydantic (docs/architecture.md, "Steady memory after unlock"). The figures are in docs/domain.md.
"""

from __future__ import annotations

from datetime import date
from typing import Final

# Events: applications, visits, decisions, follow-ups, hospital notices. Wide enough for any real ärende (old
# decisions still in force, plans years ahead), narrow enough that every deadline computed from them is a date.
EARLIEST_EVENT: Final = date(1900, 1, 1)
LATEST_EVENT: Final = date(2099, 12, 31)
# Birth dates come from the personnummer; no one alive was born before the first event date.
EARLIEST_BIRTH: Final = EARLIEST_EVENT

# The message names the rule, never the value (it may reach a log or an HTTP answer).
DATE_RANGE_MESSAGE: Final = (
    f"date outside the product's range {EARLIEST_EVENT.isoformat()}..{LATEST_EVENT.isoformat()}"
)


def in_event_range(day: date) -> bool:
    return EARLIEST_EVENT <= day <= LATEST_EVENT


def check_event_date(day: date) -> date:
    """``day`` if it lies in the product's range, else ValueError (a pydantic validation error in a model)."""
    if not in_event_range(day):
        raise ValueError(DATE_RANGE_MESSAGE)
    return day


# The most the sync server takes in one request body (``sync.protocol.MAX_BODY_BYTES`` is this figure).
REQUEST_MAX_BYTES: Final = 8 * 1024 * 1024
# The most one journal entry's value may take as UTF-8 JSON. An entry travels whole in one push request, and an
# element first written whole (a new life area, say) carries every text typed into it until a sync has sent it:
# eleven long texts of 4-byte characters made one entry the server refused with 413 at every sync, every later entry
# waiting behind it. The save that would pass this is refused instead, its text kept on screen (docs/sync.md);
# 16 KiB are left for the request's envelope (4 KiB, ``sync.client.push``) and the entry's own fields (~1 KiB).
CHANGE_MAX_BYTES: Final = REQUEST_MAX_BYTES - 16 * 1024


def change_fits(encoded: str, max_bytes: int = CHANGE_MAX_BYTES) -> bool:
    """Whether an entry's value, as its JSON text ``encoded``, is within ``max_bytes`` as UTF-8 (a usual value is far
    below and is not encoded: a character is at most 4 bytes)."""
    return len(encoded) <= max_bytes // 4 or len(encoded.encode("utf-8", "surrogatepass")) <= max_bytes
