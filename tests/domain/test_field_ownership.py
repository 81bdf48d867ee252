"""Who writes which fields: every name is a real field, identity is central, the investigation never is."""

from __future__ import annotations

from ibic.cases import Case
from ibic.field_ownership import CENTRAL_IDENTITY, CENTRAL_WRITABLE, central_may_write
from ibic.people import Person


def test_every_central_field_is_a_field_of_its_model_and_identity_is_central() -> None:
    for record_type, model in (("case", Case), ("person", Person)):
        assert CENTRAL_WRITABLE[record_type] <= set(model.model_fields), record_type
        assert set(CENTRAL_IDENTITY[record_type]) <= CENTRAL_WRITABLE[record_type], record_type


def test_the_investigation_and_decisions_are_never_written_through_field_writes() -> None:
    laptop_owned = ("application", "investigation", "proposals", "consents", "communication", "follow_ups",
                    "status", "decisions")
    for name in laptop_owned:
        assert not central_may_write("case", name) and not central_may_write("case", f"{name}/x/y"), name
    assert central_may_write("person", "address/street") and central_may_write("case", "decision_statuses/s1")
    assert not central_may_write("person", "id") and not central_may_write("unknown", "phone")
