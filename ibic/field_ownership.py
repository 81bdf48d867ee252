"""Who writes which fields of a case or a person: the central case-management system, the handläggare, or both.

The case-management system (Lifecare, Treserva, Procapita, Combine) is the record of identity and decisions; the
handläggare's laptop owns the investigation (application, IBIC life areas, goals, proposals, consents,
communication, follow-ups). Either side's write goes through the same versioned path, so a write based on an old
version becomes a conflict the handläggare sees, never a silent overwrite.
"""

from __future__ import annotations

from typing import Final

# Set once by the central system (a laptop may fill them only on a record it created itself, never change them).
CENTRAL_IDENTITY: Final[dict[str, tuple[str, ...]]] = {
    "case": ("person_id", "unit", "case_number"),
    "person": ("personal_number",),
}

# Top-level fields the central system may write through the integration API. Decisions are added through their
# own route (each one validated as a whole decision); the investigation is never written centrally.
CENTRAL_WRITABLE: Final[dict[str, frozenset[str]]] = {
    "case": frozenset({"person_id", "unit", "case_number", "caseworker", "chosen_provider", "decision_statuses"}),
    "person": frozenset({
        "given_name", "family_name", "personal_number", "sex", "address", "phone", "language",
        "interpreter_needed", "interpreter_language", "representatives", "fictitious",
    }),
}


# Top-level fields only the handläggare's laptop writes. With CENTRAL_WRITABLE and the bookkeeping fields this
# names an owner for every field (a test keeps it so): a new field must say who writes it.
LAPTOP_WRITABLE: Final[dict[str, frozenset[str]]] = {
    "case": frozenset({
        "origin", "origin_note", "applicant", "opened_on", "status", "status_history", "consents", "application",
        "investigation", "discharge", "proposals", "communication", "decisions", "follow_ups",
        # issue 13: the handläggare sends the beslutsmeddelande and the uppdrag and records the delgivning
        "decision_notices", "provider_orders",
    }),
    # Sjukresa entitlement is learnt at the visit; the case-management system does not hold it.
    "person": frozenset({"patient_transport_entitled"}),
}
BOOKKEEPING: Final[frozenset[str]] = frozenset({"id", "document_version"})


def central_may_write(record_type: str, path: str) -> bool:
    """True when the central system may write ``path`` (a document path such as ``address/street``)."""
    return path.split("/", 1)[0] in CENTRAL_WRITABLE.get(record_type, frozenset())


def laptop_fields(record_type: str) -> frozenset[str]:
    """The record's top-level fields the central system does not write: its own and the bookkeeping ones."""
    return LAPTOP_WRITABLE.get(record_type, frozenset()) | BOOKKEEPING
