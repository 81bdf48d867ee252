"""Every top-level field of a case and a person has an owner: the central system, the laptop, or bookkeeping."""

from __future__ import annotations

from ibic.cases import Case
from ibic.field_ownership import BOOKKEEPING, CENTRAL_WRITABLE, LAPTOP_WRITABLE, central_may_write
from ibic.people import Person


def test_every_top_level_field_has_exactly_one_owner() -> None:
    for record_type, model in (("case", Case), ("person", Person)):
        central, laptop = CENTRAL_WRITABLE[record_type], LAPTOP_WRITABLE[record_type]
        assert central | laptop | BOOKKEEPING >= set(model.model_fields), record_type
        assert not central & laptop, record_type
        assert (central | laptop) <= set(model.model_fields), record_type


def test_the_new_issue_13_fields_are_written_by_the_laptop_only() -> None:
    for path in ("decision_notices/n1/notified_on", "provider_orders/o1/sent_on"):
        assert not central_may_write("case", path)
    assert not central_may_write("person", "patient_transport_entitled")
