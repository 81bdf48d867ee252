"""A profile folder: create, unlock, lock, change passphrase, back up, wipe.

Layout: ``profile.db`` (SQLCipher 4, raw 256-bit data key), ``profile.key`` (the data key wrapped under the
passphrase and optionally the recovery key), ``unlock-attempts.json`` (the throttle), ``backups/``. Secrets such as
the sync device credential live inside ``profile.db`` (``Profile.secrets``), never in a file of their own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ibic.lengths import USER_ID_MAX
from storage import restored_mark
from storage.audit import AuditLog
from storage.backups import backup_directory, backup_due, connection_is_sound, make_backup
from storage.database import Database, open_database, run_migrations
from storage.drafts import CaseDrafts, NewCaseDraft
from storage.errors import (
    PassphraseRejected,
    ProfileDamaged,
    ProfileExists,
    ProfileLocked,
    ProfileNotFound,
    WrongPassphrase,
)
from storage.files import owner_only, wipe_bytes
from storage.journal import Author, ChangeJournal, last_hlc
from storage.kdf import KEY_BYTES, KdfParameters, calibrate, return_freed_memory
from storage.kept_list import KeptList

# Re-exported: callers have always found the profile's paths here.
from storage.layout import DATABASE_NAME as DATABASE_NAME
from storage.layout import KEY_FILE_NAME as KEY_FILE_NAME
from storage.layout import database_path as database_path
from storage.layout import default_profile_dir as default_profile_dir
from storage.layout import key_file_path as key_file_path
from storage.layout import profile_exists as profile_exists
from storage.migrate import Migration, supported_version
from storage.passphrase import passphrase_problems
from storage.repositories.cases import CaseRepository
from storage.repositories.documents import DocumentCache
from storage.repositories.people import PersonRepository
from storage.save_counter import SUFFIX, counter_path
from storage.secret_slots import SecretSlots
from storage.sync_state import SyncState
from storage.throttle import FILE_NAME as THROTTLE_FILE_NAME
from storage.throttle import Clock, UnlockThrottle
from storage.withdrawal import CaseWithdrawals

_log = logging.getLogger(__name__)


class Profile:
    """An unlocked profile: the repositories, the journal, the audit log and sync state over one connection."""

    def __init__(self, directory: Path, database: Database, author: Author) -> None:
        self.directory = directory
        self._author = author
        self.device_id = author.device_id
        self._db = database
        self._cache = DocumentCache()
        self.cases = CaseRepository(database, author, self._cache)
        self.people = PersonRepository(database, author, self._cache)
        self.audit = AuditLog(database, author)
        self.journal = ChangeJournal(database, author)
        self.sync = SyncState(database, author, self._cache, self._wipe_files)
        self.secrets = SecretSlots(database)
        # Told of each record a withdrawal deleted here (``sync.child`` passes them on to the window's process).
        self._forgotten: list[Callable[[str, str], None]] = []
        self.withdrawals = CaseWithdrawals(database, author, self._forget)
        self.kept_list = KeptList(database)
        self.drafts = CaseDrafts(database)  # local only: never synced (storage.drafts)
        self.new_case_draft = NewCaseDraft(database)  # the New case dialog's text, before there is a case

    @property
    def user_id(self) -> str:
        """The profile's user (``take_user_spelling``: as the server spells it once enrolled)."""
        return self._author.user_id

    def take_user_spelling(self, user_id: str) -> None:
        """Name this profile's user as the server spells it ("anna.berg" for a profile made as "Anna.Berg"): user ids
        are AD accounts, which ignore case, and the server's spelling is the one its logs, cases and reports carry.
        Entries written before keep the name as typed (the audit chain's hashes cover it); the server takes either."""
        if user_id == self.user_id:
            return
        if user_id.casefold() != self.user_id.casefold():
            raise ValueError("the server's user id is not this profile's user in another case")
        with self._db.transaction() as connection:
            connection.execute("UPDATE meta SET value = ? WHERE key = 'user_id'", (user_id,))
            # Under the database's lock, as the author's other fields: the next journal entry names the new spelling.
            self._author.user_id = user_id

    def _forget(self, record_type: str, record_id: str) -> None:
        self._cache.forget(record_type, record_id)
        for listener in self._forgotten:
            listener(record_type, record_id)

    def on_forget(self, listener: Callable[[str, str], None]) -> None:
        """Call ``listener(record_type, record_id)`` for each record a withdrawal deletes through this profile."""
        self._forgotten.append(listener)

    def forget(self, record_type: str, record_id: str) -> None:
        """Drop what memory holds of a record another process deleted from this file (the sync's child withdrew
        its case): as a withdrawal here does, so a copy loaded before it is refused when saved (``DocumentCache``)."""
        self._cache.forget(record_type, record_id)

    def use_day(self, today: Callable[[], date]) -> None:
        """Compute what is saved (a case's deadlines, its decisions in force) for the day ``today()`` gives, not the
        computer's date: the window's clock (``ui.session.calendar_day``), so its lists and the store agree."""
        self._author.today = today

    @property
    def is_locked(self) -> bool:
        return self._db.is_closed

    def lock(self) -> None:
        """Close the connection and overwrite the data key; any later use raises ``ProfileLocked``."""
        self._cache.clear()
        self._db.close()

    def close(self) -> None:
        """Same as ``lock``."""
        self.lock()

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under ``new``; the database itself is not rewritten."""
        if self.is_locked:
            raise ProfileLocked()
        from storage.keyfile import read_key_file, unwrap, wrap, write_key_file  # the crypto: see unlock_profile

        problems = passphrase_problems(new)
        if problems:
            raise PassphraseRejected(problems)
        throttle = UnlockThrottle(self.directory)
        throttle.check()
        key_path = key_file_path(self.directory)
        key_file = read_key_file(key_path)
        try:
            current = unwrap(key_file, old)
        except WrongPassphrase:
            throttle.record_failure()
            raise
        # A copy: a lock on another thread (the window closed mid-change) overwrites the store's key in place, and
        # wrapping those zeros would leave a key file that opens nothing.
        with self._db.reading():
            data_key = bytearray(self._db.key)
        try:
            if not secrets.compare_digest(bytes(current), bytes(data_key)):
                raise ProfileDamaged(key_path, "not the key of this database")
            write_key_file(key_path, wrap(data_key, new, key_file.kdf, key_file.recovery))
        finally:
            wipe_bytes(current)
            wipe_bytes(data_key)
        throttle.reset()
        self.audit.record("change_passphrase")

    def send_key(self, write: Callable[[memoryview], object]) -> None:
        """Hand the data key to ``write`` (the pipe to the sync's child process, ``sync.child``): from a copy that
        is overwritten afterwards, so it is in no bytes object, and a lock meanwhile does not send zeros."""
        with self._db.reading():
            data_key = bytearray(self._db.key)
        try:
            write(memoryview(data_key))
        finally:
            wipe_bytes(data_key)

    def check_integrity(self) -> None:
        """Read and authenticate every page (slow on a big file); ``ProfileDamaged`` if any page fails."""
        with self._db.reading() as connection:
            sound = connection_is_sound(connection)
        if not sound:
            raise ProfileDamaged(self._db.path)

    def release_memory(self) -> None:
        """Empty SQLCipher's page cache and give the freed C heap back to the system.

        The 64 MiB cache (``storage.database.CACHE_KIB``) keeps every page read decrypted: after the unlock's listing
        that is the case table (~5 MiB at 10,000 cases), after the day's backup the whole file. Called once those are
        done (``ui.main_window``'s daily upkeep); the cache fills again as pages are read."""
        with self._db.reading() as connection:
            connection.execute("PRAGMA shrink_memory")
        return_freed_memory()

    def backup_now(self) -> Path | None:
        """Write a backup now; None when it could not be written (the reason goes to the log, not to the user)."""
        try:
            return make_backup(self._db, self.directory)
        except OSError as error:
            _log.warning("backup failed: %s", type(error).__name__)
            return None

    def backup_if_due(self) -> Path | None:
        """The backup an unlock makes when the newest is older than the interval; None when none was made."""
        return self.backup_now() if backup_due(self.directory) else None

    def _wipe_files(self) -> None:
        self.lock()
        key_path = key_file_path(self.directory)
        if key_path.exists():
            # Overwrite the wrapped key first: without it the database is unreadable even if its blocks survive.
            with contextlib.suppress(OSError), open(key_path, "r+b") as handle:
                handle.write(b"\0" * key_path.stat().st_size)
                handle.flush()
                os.fsync(handle.fileno())
        database = database_path(self.directory)
        for path in (
            key_path,
            database,
            Path(f"{database}-wal"),
            Path(f"{database}-shm"),
            counter_path(database),
            *restored_mark.files(database),
            self.directory / THROTTLE_FILE_NAME,
        ):
            # A file another process holds open cannot be deleted on Windows: the window's, while its sync's child
            # wipes (``sync.child``). The key is overwritten already; the window deletes what is left once closed.
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        shutil.rmtree(backup_directory(self.directory), ignore_errors=True)


def create_profile(
    directory: Path,
    passphrase: str,
    *,
    user_id: str,
    device_id: str | None = None,
    kdf: KdfParameters | None = None,
    recovery_public_key_pem: bytes | None = None,
) -> Profile:
    """Create a new profile; refuses weak passphrases and never overwrites an existing profile."""
    directory = Path(directory)
    if profile_exists(directory):
        raise ProfileExists(directory)
    problems = passphrase_problems(passphrase)
    if problems:
        raise PassphraseRejected(problems)
    if not user_id or len(user_id) > USER_ID_MAX:
        raise ValueError(f"user_id must be 1-{USER_ID_MAX} characters")
    device_id = device_id or secrets.token_hex(16)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _owner_only(directory)  # a folder that existed before keeps its mode otherwise
    kdf = kdf or calibrate()
    from storage.keyfile import wrap, wrap_for_recovery, write_key_file  # the crypto: see unlock_profile

    data_key = bytearray(secrets.token_bytes(KEY_BYTES))
    recovery = None if recovery_public_key_pem is None else wrap_for_recovery(data_key, recovery_public_key_pem)
    key_file = wrap(data_key, passphrase, kdf, recovery)
    database, _found = open_database(database_path(directory), data_key, create=True)
    try:
        run_migrations(database)
        with database.transaction() as connection:
            connection.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)", [("user_id", user_id), ("device_id", device_id)]
            )
        write_key_file(key_file_path(directory), key_file)
        _owner_only(directory)
    except BaseException:
        # Only what this call created is removed: the folder held no profile when it started.
        database.close()
        for suffix in ("", "-wal", "-shm", SUFFIX):
            Path(f"{database_path(directory)}{suffix}").unlink(missing_ok=True)
        raise
    return _profile(directory, database)


def unlock_profile(directory: Path, passphrase: str, *, clock: Clock | None = None, backup: bool = True,
                   unwrap_key: Callable[[Path, str], bytearray] | None = None) -> Profile:
    """Unlock with the passphrase (Argon2id: slow by design, call it off the UI thread).

    ``backup=False`` leaves the due backup to the caller (``Profile.backup_if_due``): the window makes it after the
    case list is shown, off the unlock path. ``unwrap_key(key file path, passphrase)`` returns the data key: the
    window passes ``storage.key_helper.unwrap_in_helper``, so Argon2 and ``cryptography`` never load in its process;
    by default the key is unwrapped here."""
    directory = Path(directory)
    if not profile_exists(directory):
        raise ProfileNotFound(directory)
    throttle = UnlockThrottle(directory, clock) if clock is not None else UnlockThrottle(directory)
    throttle.check()
    try:
        data_key = (unwrap_key or _unwrap_here)(key_file_path(directory), passphrase)
    except WrongPassphrase:
        throttle.record_failure()
        raise
    throttle.reset()
    return open_with_key(directory, data_key, backup=backup)


def _unwrap_here(key_path: Path, passphrase: str) -> bytearray:
    from storage.keyfile import unwrap_file

    return unwrap_file(key_path, passphrase)


def open_with_key(directory: Path, data_key: bytearray, *, migrations: list[Migration] | None = None,
                  backup: bool = True) -> Profile:
    """Open the profile's database with the data key: check, back up before migrating, migrate; then the backup
    of the day when one is due (unless ``backup`` is False)."""
    try:
        _owner_only(directory)
        database, found = open_database(database_path(directory), data_key, migrations=migrations)
    except BaseException:
        wipe_bytes(data_key)
        raise
    try:
        migrating = 0 < found < supported_version(migrations)
        if migrating:
            make_backup(database, directory)  # a failed migration must never cost the day's work
        run_migrations(database, migrations)
        _owner_only(directory)  # the WAL and shm files the open made
        profile = _profile(directory, database)
    except BaseException:
        database.close()
        raise
    if not migrating and backup:
        try:
            profile.backup_if_due()
        except BaseException:
            profile.lock()  # a page that fails to decrypt while copying: report it, leave nothing open
            raise
    return profile


def _owner_only(directory: Path) -> None:
    """The profile's folders 0700 and its files 0600 (SQLite makes the WAL and shm files with the database's mode)."""
    owner_only(directory, (DATABASE_NAME, KEY_FILE_NAME, THROTTLE_FILE_NAME), (backup_directory(directory).name,))


def _profile(directory: Path, database: Database) -> Profile:
    with database.reading() as connection:
        meta = dict(connection.execute("SELECT key, value FROM meta WHERE key IN ('user_id', 'device_id')"))
        stamp = last_hlc(connection)
    if "user_id" not in meta or "device_id" not in meta:
        database.close()
        raise ProfileDamaged(database.path, "missing its profile settings")
    author = Author(meta["user_id"], meta["device_id"])
    if stamp is not None:
        author.clock.observe(stamp)
    return Profile(directory, database, author)
