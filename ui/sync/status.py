"""What the status bar says about sync, as plain data (no Qt), so the rules are testable on their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

# "busy": the server was reached and answered that it is busy (sync.errors.ServerBusy), not "offline": the network
# and the address are fine and nothing is for the user to check. Told apart likewise (docs/sync.md, "How long a sync
# waits"): "offline" no network or the server's name not found (check the Wi-Fi), "no_server" the connection refused
# (a stopped server or a wrong port), "no_answer" connected but no answer in time (wait), "wrong_server" an answer
# that is no sync server's (a web page: IT corrects the address).
# "server_error": it answered with errors (5xx or 429) at every attempt; the network is fine, it is the server's.
SyncState = Literal["not_enrolled", "offline", "no_server", "no_answer", "wrong_server", "busy", "server_error", "idle",
                    "syncing", "failed"]
# The states of a sync that did not reach the sync server, each with its sentence (``ui.errors.unreached_text``).
UNREACHED = ("offline", "no_server", "no_answer", "wrong_server")


@dataclass(frozen=True)
class SyncStatus:
    """The sync state shown in the status bar; built by the window from the worker's progress and the profile."""

    state: SyncState = "idle"
    last_synced_at: datetime | None = None
    pending: int = 0
    conflicts: int = 0
    progress_done: int = 0
    progress_total: int = 0
    phase: str = ""
    # Records the last sync could not apply and keeps aside (storage.quarantine), and the first one's reason code.
    not_received: int = 0
    not_received_reason: str = ""

    @property
    def progress_known(self) -> bool:
        """True when the progress bar can show a fraction (otherwise it is a busy indicator)."""
        return self.progress_total > 0
