"""Where the device credential lives between runs: inside the profile's encrypted database.

The credential lets the laptop sync until IT revokes the device, so it is kept like personal data: in the
SQLCipher store (``Profile.secrets``), readable only while the profile is unlocked and gone with a wipe. Earlier
versions kept it in ``sync-device.json`` beside the database; such a file is moved into the store (when the store
holds nothing yet) and overwritten and removed whenever it is seen, so an interrupted first removal is finished later.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass, fields

from storage.profile import Profile

SECRET_NAME = "sync_device"
LEGACY_FILE_NAME = "sync-device.json"

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceCredentials:
    """The server address and what enrollment handed out."""

    server_url: str
    device_id: str
    user_id: str
    unit_id: str
    device_credential: str


class CredentialStore:
    """Reads and writes the credentials of one unlocked profile."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @property
    def profile(self) -> Profile:
        """The unlocked profile the credentials belong to."""
        return self._profile

    def load(self) -> DeviceCredentials | None:
        """The stored credentials, or None before enrollment."""
        text = self._profile.secrets.get(SECRET_NAME)
        if text is None:
            return self._adopt_legacy_file()
        # A plaintext file left by an interrupted adoption (the process died, or the file could not be opened)
        # must not outlive it: the store's value wins, the file only goes.
        self._remove_legacy_file()
        return _decode(text)

    def save(self, credentials: DeviceCredentials) -> None:
        """Store durably in the encrypted database."""
        self._profile.secrets.put(SECRET_NAME, json.dumps(asdict(credentials)))

    def delete(self) -> None:
        """Forget the credentials (a wiped profile has lost them with its database already)."""
        if not self._profile.is_locked:
            self._profile.secrets.delete(SECRET_NAME)
        _destroy(self._profile.directory / LEGACY_FILE_NAME)

    def _adopt_legacy_file(self) -> DeviceCredentials | None:
        path = self._profile.directory / LEGACY_FILE_NAME
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        credentials = _decode(text)
        self.save(credentials)
        self._remove_legacy_file()
        return credentials

    def _remove_legacy_file(self) -> None:
        """Destroy the legacy file if present; a failure is retried at the next load instead of stopping sync."""
        path = self._profile.directory / LEGACY_FILE_NAME
        if not path.exists():
            return
        try:
            _destroy(path)
        except OSError as exc:
            # The credential is safe in the store; a file held by an indexer or antivirus goes next time.
            _log.warning("could not remove the legacy credential file yet (%s); retried at the next load",
                         type(exc).__name__)


def _decode(text: str) -> DeviceCredentials:
    data = json.loads(text)
    names = {f.name for f in fields(DeviceCredentials)}
    return DeviceCredentials(**{key: str(value) for key, value in data.items() if key in names})


def _destroy(path: os.PathLike[str]) -> None:
    """Overwrite, then remove: the credential must not survive in the file's old blocks more than we can help."""
    with contextlib.suppress(FileNotFoundError):
        size = os.path.getsize(path)
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
        os.unlink(path)
