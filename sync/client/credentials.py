"""Where the device credential lives between runs.

The storage contract has no slot for secrets, so the credential is kept in ``sync-device.json`` inside the profile
folder (owner-only permissions) and deleted together with the profile on a wipe. It is not personal data; it lets
the laptop sync until IT revokes the device. Moving it into the encrypted database is listed in the notes.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

FILE_NAME = "sync-device.json"


@dataclass(frozen=True)
class DeviceCredentials:
    """The server address and what enrollment handed out."""

    server_url: str
    device_id: str
    user_id: str
    unit_id: str
    device_credential: str


class CredentialStore:
    """Reads and writes one JSON file atomically with mode 0600."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / FILE_NAME

    def load(self) -> DeviceCredentials | None:
        """The stored credentials, or None before enrollment."""
        try:
            return DeviceCredentials(**json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None

    def save(self, credentials: DeviceCredentials) -> None:
        """Write atomically (temp file + rename), readable by the owner only."""
        temp = self.path.with_suffix(".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(credentials), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, self.path)

    def delete(self) -> None:
        """Forget the credentials (after a wipe)."""
        self.path.unlink(missing_ok=True)
