"""Progress reports and the summary of one sync run (plain data: the UI turns them into a status bar)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Phase = Literal["audit", "push", "pull", "done"]


@dataclass(frozen=True)
class SyncProgress:
    """Where a sync run is: ``done`` of ``total`` items in ``phase`` (total 0 when unknown)."""

    phase: Phase
    done: int
    total: int


ProgressCallback = Callable[[SyncProgress], None]


def no_progress(_progress: SyncProgress) -> None:
    """The default callback: ignore progress."""


@dataclass
class SyncReport:
    """Counts of one run."""

    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    pulled_applied: int = 0
    audit_uploaded: int = 0
    withdrawn_removed: int = 0  # cases reassigned away and deleted from this laptop
    withdrawn_kept: int = 0  # ... still here because they hold unsynced work (retried every sync)
    finished_at: datetime | None = None
    rejected_reasons: list[str] = field(default_factory=list)
    # Records this laptop could not apply and keeps aside, as (record type, reason code): retried every sync.
    not_received: list[tuple[str, str]] = field(default_factory=list)
