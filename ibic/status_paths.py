"""Which writes make a case's status change (``ibic.status_conflict``): plain names, no model, so the store and the
server's push read them without importing the domain's models."""

from __future__ import annotations

STATUS = "status"
HISTORY = "status_history"


def is_status(record_type: str, path: str) -> bool:
    """Whether ``path`` is the case's status itself (where a conflict on a status change is shown)."""
    return record_type == "case" and path == STATUS


def goes_with_status(record_type: str, path: str) -> bool:
    """Whether a write at ``path`` belongs to a change of the case's status: its history's entries. Such a write made
    on a version before another writer's change of ``status`` is held back as a conflict with the status."""
    return record_type == "case" and (path == HISTORY or path.startswith(HISTORY + "/"))
