"""Typed errors of the local store: English messages without field values; the UI maps each to one Swedish sentence."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.passphrase import PassphraseProblem


class StorageError(Exception):
    """Base of every error the local store raises on purpose."""


class WrongPassphrase(StorageError):
    def __init__(self) -> None:
        super().__init__("the passphrase does not open this profile")


class UnlockThrottled(StorageError):
    """Too many wrong passphrases: the next attempt is allowed after ``wait_seconds``."""

    def __init__(self, wait_seconds: float) -> None:
        super().__init__(f"too many failed unlock attempts; try again in {wait_seconds:.0f} s")
        self.wait_seconds = wait_seconds


class PassphraseRejected(StorageError):
    def __init__(self, problems: list[PassphraseProblem]) -> None:
        super().__init__("the passphrase is too weak: " + ", ".join(p.value for p in problems))
        self.problems = problems


class ProfileNotFound(StorageError):
    def __init__(self, directory: Path) -> None:
        super().__init__(f"no profile in {directory}")
        self.directory = directory


class ProfileExists(StorageError):
    def __init__(self, directory: Path) -> None:
        super().__init__(f"a profile already exists in {directory}")
        self.directory = directory


class ProfileDamaged(StorageError):
    """The database or key file is damaged or has been tampered with; the files were left untouched."""

    def __init__(self, path: Path, reason: str = "damaged or tampered") -> None:
        super().__init__(f"{path.name} is {reason}")
        self.path = path
        self.reason = reason


class DamagedRecord(ProfileDamaged):
    """One stored record no longer validates against the model; the file itself is sound (a restore cannot help)."""


class UnreadableDocument(ValueError):
    """Stored JSON that does not parse. Every document is written by ``to_json_text``, so only damage makes this
    (a page that failed its HMAC reads back as zeros); ``Database`` reports it as ``ProfileDamaged``."""

    def __init__(self) -> None:
        super().__init__("a stored document does not parse")


class ProfileNotWritable(StorageError):
    """The database can be read but not written (file or folder made read-only under the app); nothing was saved."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path.name} cannot be written")
        self.path = path


class ProfileNotDamaged(StorageError):
    """A restore was asked for, but the database passes both integrity checks: nothing was replaced."""

    def __init__(self) -> None:
        super().__init__("the database is intact; nothing was restored")


class NoSoundBackup(StorageError):
    """No backup of the profile passes the integrity checks (or there is none); nothing was changed."""

    def __init__(self) -> None:
        super().__init__("no backup of this profile opens cleanly")


class SchemaTooNew(StorageError):
    def __init__(self, found: int, supported: int) -> None:
        super().__init__(f"the database has schema version {found}; this program supports up to {supported}")
        self.found = found
        self.supported = supported


class KeyFileTooNew(SchemaTooNew):
    """The key file is of a newer format than this program reads (written by a newer Hembesök): refused before any
    key is derived, the file untouched. Shown as a ``SchemaTooNew``: install the latest version."""

    def __init__(self, found: int, supported: int) -> None:
        StorageError.__init__(self, f"the key file has format {found}; this program reads up to {supported}")
        self.found = found
        self.supported = supported


class ProfileLocked(StorageError):
    def __init__(self) -> None:
        super().__init__("the profile is locked")


class DiskFull(StorageError):
    def __init__(self) -> None:
        super().__init__("the disk is full; nothing was saved")


class RecordNotFound(StorageError):
    def __init__(self, record_type: str, record_id: str) -> None:
        super().__init__(f"no {record_type} with id {record_id}")
        self.record_type = record_type
        self.record_id = record_id


class RecordArriving(StorageError):
    """A save refused because the stored record is hidden (arriving again from sync, or incomplete), or because the
    copy being saved was loaded before the record was withdrawn here: its stale fields must not become edits."""

    def __init__(self, record_type: str, record_id: str) -> None:
        super().__init__(f"{record_type} {record_id} is arriving from sync and cannot be saved from this copy")
        self.record_type = record_type
        self.record_id = record_id


class PendingChangesExist(StorageError):
    """Refusing a wipe or overwrite that would lose changes not yet synced."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} unsynced changes would be lost")
        self.count = count


class InvalidRecord(StorageError):
    """A record that cannot be stored as given (e.g. unpaired surrogates, over the size limit)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the record cannot be stored: {reason}")
        self.reason = reason


class ChangeTooLarge(StorageError):
    """A save refused because one journal entry would hold more than one sync request carries
    (``ibic.limits.CHANGE_MAX_BYTES``): an element first written whole and still unsent, with long texts typed into it.
    Nothing was written; once a sync has sent the element, a field typed into it is an entry of its own."""

    def __init__(self) -> None:
        super().__init__("one change would be larger than a sync request may carry")


class RecoveryFailed(StorageError):
    """The recovery key does not match this profile, or the profile has no recovery wrap."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"recovery failed: {reason}")
        self.reason = reason


class PersonalNumberHeld(StorageError):
    """A new person on a personnummer another person on this laptop already has: one person per number."""

    def __init__(self, person_id: str) -> None:
        super().__init__("another person already holds this personal identity number")
        self.person_id = person_id
