"""The product's limits, decided once for the domain: the range of dates and the length of each kind of text.

Every model field uses one of the annotated types below, so the same limit holds wherever a value comes from (a
widget, the central system's HTTP door, a pulled change) and every computation on a stored value (deadlines, ages)
stays inside the range Python's ``date`` can reach. A far date such as 9999-12-31 ("open-ended" in some exports)
is refused where it enters instead of overflowing a deadline later. The figures are written down in docs/domain.md.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

# The text lengths are figures of their own module (no pydantic: the settings read before the unlock page use them).
from ibic.lengths import CODE_MAX as CODE_MAX
from ibic.lengths import IDENTIFIER_MAX as IDENTIFIER_MAX
from ibic.lengths import LONG_TEXT_MAX as LONG_TEXT_MAX
from ibic.lengths import NAME_MAX as NAME_MAX
from ibic.lengths import PHONE_MAX as PHONE_MAX
from ibic.lengths import SHORT_TEXT_MAX as SHORT_TEXT_MAX

# The date range and the sizes are plain too (the store and the list use them without pydantic): named here, as before.
from ibic.ranges import CHANGE_MAX_BYTES as CHANGE_MAX_BYTES
from ibic.ranges import DATE_RANGE_MESSAGE as DATE_RANGE_MESSAGE
from ibic.ranges import EARLIEST_BIRTH as EARLIEST_BIRTH
from ibic.ranges import EARLIEST_EVENT as EARLIEST_EVENT
from ibic.ranges import LATEST_EVENT as LATEST_EVENT
from ibic.ranges import REQUEST_MAX_BYTES as REQUEST_MAX_BYTES
from ibic.ranges import change_fits as change_fits
from ibic.ranges import check_event_date as check_event_date
from ibic.ranges import in_event_range as in_event_range

EventDate = Annotated[date, AfterValidator(check_event_date)]
Name = Annotated[str, StringConstraints(max_length=NAME_MAX)]
Phone = Annotated[str, StringConstraints(max_length=PHONE_MAX)]
ShortText = Annotated[str, StringConstraints(max_length=SHORT_TEXT_MAX)]
LongText = Annotated[str, StringConstraints(max_length=LONG_TEXT_MAX)]
Identifier = Annotated[str, StringConstraints(max_length=IDENTIFIER_MAX)]
Code = Annotated[str, StringConstraints(max_length=CODE_MAX)]
# A stored counter (document_version): far below 2**63 so PostgreSQL and SQLite integers always hold it.
Counter = Annotated[int, Field(ge=1, le=2**31 - 1)]
