"""The SQLCipher connection: opened with the raw data key, tuned once, shared behind a lock, closed on lock."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from storage.errors import (
    DiskFull,
    ProfileDamaged,
    ProfileLocked,
    ProfileNotWritable,
    SchemaTooNew,
    UnreadableDocument,
)
from storage.files import wipe_bytes
from storage.migrate import Migration, migrate, schema_version, supported_version
from storage.save_counter import SaveCounter, counter_path, inside_count, outside_count

# What the database itself raises (and its typed forms): never one record's fault, so never set aside with it.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    sqlcipher.Error, MemoryError, ProfileDamaged, ProfileLocked, ProfileNotWritable, DiskFull,
)

SQLITE_READONLY = 8
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26

# A 64 MiB page cache (negative = KiB): with it, reads from SQLCipher cost the same as plain SQLite because pages
# are decrypted once; with the default 2 MiB, listing 5,000 cases decrypts pages again and runs 2.5x slower.
CACHE_KIB = 64 * 1024

# synchronous=FULL: the WAL is fsynced at every commit, so a save the UI has reported as done survives the laptop
# losing power mid-visit (a flat battery in a closed laptop), not only a crash of the program, which is all NORMAL
# guarantees in WAL mode. Measured by bench/bench_storage.py on this machine: an autosave costs ~1.5-2 ms with FULL
# and ~1 ms with NORMAL; under a millisecond per save is invisible behind the editor's debounce, a lost note is not.
SYNCHRONOUS = "FULL"

# cipher_memory_security=OFF: wiping every freed SQLite allocation slows all queries and buys little, because the
# decrypted values live on in Python strings anyway; the key itself is dropped by closing the connection.
PRAGMAS = (
    "PRAGMA cipher_memory_security = OFF",
    "PRAGMA journal_mode = WAL",
    f"PRAGMA synchronous = {SYNCHRONOUS}",
    "PRAGMA foreign_keys = ON",
    # Sorts and temporary indexes stay in memory: no temporary file, encrypted or not, is written.
    "PRAGMA temp_store = MEMORY",
    f"PRAGMA cache_size = -{CACHE_KIB}",
)


# Page authentication with HMAC-SHA1 (and its PBKDF2 for deriving the HMAC key from the raw key) instead of SQLCipher
# 4's SHA-512 default: the SQLCipher CLI that Debian ships (3.4.1) knows only SHA-1, and IT must be able to open a
# profile with the data key and a standard tool. HMAC-SHA1 remains a sound MAC (HMAC does not rest on SHA-1's
# broken collision resistance); encryption is AES-256-CBC either way, pages stay 4096 bytes. These settings are not
# stored in the file: every connection applies them right after the key.
CIPHER_SETTINGS = (
    "PRAGMA cipher_hmac_algorithm = HMAC_SHA1",
    "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA1",
)


def key_pragma(data_key: bytearray) -> str:
    """``PRAGMA key`` for a raw 256-bit key: SQLCipher then skips its own (slow) PBKDF2."""
    return f"PRAGMA key = \"x'{data_key.hex()}'\""


def translate(error: Exception, path: Path) -> Exception:
    """Map SQLite's corruption and disk-full codes to the store's typed errors."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return ProfileDamaged(path)
        if primary == SQLITE_READONLY:
            return ProfileNotWritable(path)
        if primary == SQLITE_FULL:
            return DiskFull()
    if "malformed JSON" in str(error):  # SQLite's json functions on a stored document: only damage makes one
        return ProfileDamaged(path, "holding a document that does not parse")
    return error


class ProfileConnection(sqlcipher.Connection):  # type: ignore[misc]
    """A connection that carries the audit chain's head from a write to the end of its ``Database.transaction``.

    The head put in ``head_staged`` (``seq`` and ``hash`` of the transaction's last audit entry) is written together
    with the save count into the audit table's head row (``storage.save_counter``) in one statement just before
    COMMIT. Outside a transaction (``head_staged`` None, a raw connection of a tool) writers write the head row
    themselves. Nothing is remembered past the COMMIT: another connection (a second instance, a tool) may write the
    same file, so each transaction reads the head anew.
    """

    head_staged: dict[str, Any] | None = None


def connect(path: Path, data_key: bytearray, *, read_only: bool = False) -> Any:
    """A raw keyed connection (no pragmas, no checks): for backups, tests and tools.

    ``read_only`` never writes the file, not even the checkpoint SQLite makes when the last connection closes.
    """
    if read_only:
        connection = sqlcipher.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                       check_same_thread=False, factory=ProfileConnection)
    else:
        connection = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False,
                                       factory=ProfileConnection)
    connection.execute(key_pragma(data_key))
    for setting in CIPHER_SETTINGS:
        connection.execute(setting)
    return connection


class Database:
    """One keyed connection to the profile's database; every use goes through ``transaction`` or ``reading``."""

    def __init__(self, path: Path, connection: Any, data_key: bytearray, saves: int = 0) -> None:
        self.path = path
        self._connection: Any = connection
        self._key = data_key
        self._lock = threading.RLock()
        # Once a page failed to decrypt, SQLCipher keeps the connection in an error state: later writes answer
        # "read-only" or even "out of memory". Those then mean the damage, not a read-only file or a full memory.
        self._damage_seen = False
        self._saves = SaveCounter(path, saves)  # the count of committed saves the file holds
        self._relaxed = False  # the connection commits without an fsync (``transaction(durable=False)``)

    @property
    def is_closed(self) -> bool:
        return self._connection is None

    @property
    def key(self) -> bytearray:
        """The data key (for backups); raises once closed."""
        if self._connection is None:
            raise ProfileLocked()
        return self._key

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """The connection, for reads, under the lock."""
        with self._lock:
            if self._connection is None:
                raise ProfileLocked()
            try:
                yield self._connection
            except (sqlcipher.Error, MemoryError) as error:
                raise self._typed(error) from error
            except UnreadableDocument:
                raise self._unreadable() from None

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[Any]:
        """One write transaction: committed when the block ends, rolled back on any error.

        ``durable=False`` commits without an fsync (``synchronous = NORMAL`` for this transaction only): a crash of
        the program keeps it, a power cut before the next durable commit may lose it (never a durable one, nor the
        file's consistency: the next durable commit's fsync covers the WAL before it). Only for what is harmless to
        lose, and that nothing sent to the server is derived from (a push's answers that rebase no pending entry: the
        entries stay pending and are answered ``duplicate``). Its save count is not
        written beside the database (``SaveCounter.committed``): a count there must never be ahead of the disk."""
        with self._lock:
            if self._connection is None:
                raise ProfileLocked()
            connection = self._connection
            try:
                if not durable or self._relaxed:
                    # ``_relaxed``: the durable setting was not restored after an earlier transaction (an error).
                    connection.execute(f"PRAGMA synchronous = {SYNCHRONOUS if durable else 'NORMAL'}")
                    self._relaxed = not durable
                changes = connection.total_changes
                connection.execute("BEGIN IMMEDIATE")
                staged: dict[str, Any] = {}
                connection.head_staged = staged
                try:
                    yield connection
                    counted = connection.total_changes != changes  # a save with nothing to store writes nothing
                    if counted or staged:
                        # One statement for the count and the staged audit head: both in the head row.
                        self._saves.bump(connection, (staged["seq"], staged["hash"], staged["count"]) if staged
                                         else None)
                except BaseException:
                    if connection.in_transaction:  # SQLite rolls back by itself after some errors (e.g. disk full)
                        connection.execute("ROLLBACK")
                    raise
                finally:
                    connection.head_staged = None
                connection.execute("COMMIT")
                if counted or staged:
                    self._saves.committed(beside=durable)
            except (sqlcipher.Error, MemoryError) as error:
                if connection.in_transaction:
                    with contextlib.suppress(sqlcipher.Error, MemoryError):  # a damaged connection may refuse it too
                        connection.execute("ROLLBACK")
                raise self._typed(error) from error
            except UnreadableDocument:
                raise self._unreadable() from None
            finally:
                if not durable:
                    with contextlib.suppress(sqlcipher.Error, MemoryError):  # else the next transaction restores it
                        connection.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
                        self._relaxed = False

    def count_at_commit(self) -> int:
        """Inside a ``transaction`` that writes: the save count the database holds once it commits (the head row's
        ``save_count``, ``storage.save_counter``); what a value kept in the same transaction is stamped with. Read
        from the file under the transaction's write lock, so it is right whoever wrote the file before."""
        with self.reading() as connection:
            staged = connection.head_staged
            return (int(staged["count"]) if staged else inside_count(connection)) + 1

    def _unreadable(self) -> ProfileDamaged:
        self._damage_seen = True
        return ProfileDamaged(self.path, "holding a document that does not parse")

    def _typed(self, error: Exception) -> Exception:
        typed = translate(error, self.path)
        if isinstance(typed, ProfileDamaged):
            self._damage_seen = True
        elif isinstance(typed, ProfileNotWritable) and (self._damage_seen or _writable(self.path)):
            # "Read-only" on a file and folder the app may write: SQLCipher's state after a page failed to decrypt
            # (possibly inside this very transaction, before any error reached us).
            self._damage_seen = True
            return ProfileDamaged(self.path, "refusing writes after a damaged page")
        elif self._damage_seen and isinstance(error, MemoryError):
            return ProfileDamaged(self.path, "refusing writes after a damaged page")
        return typed

    def close(self) -> None:
        """Close the connection and overwrite the key bytes; later use raises ``ProfileLocked``."""
        with self._lock:
            if self._connection is not None:
                try:
                    # Every acknowledged save into the database file itself: none depends on the WAL once locked.
                    with contextlib.suppress(sqlcipher.Error, MemoryError):
                        self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    self._connection.close()
                finally:
                    self._connection = None
                    self._saves.close()
                    wipe_bytes(self._key)


def _writable(path: Path) -> bool:
    """The database file and its folder (where the WAL lives) may be written by this process."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_database(
    path: Path, data_key: bytearray, *, create: bool = False, migrations: list[Migration] | None = None
) -> tuple[Database, int]:
    """Open (or create) the database with ``data_key``; returns it with the schema version found before migrating.

    The key and the schema version are checked before anything is written, so a damaged file or one from a newer
    program is left exactly as it was. Migrations are left to the caller (who backs up first).
    """
    if not create and not path.exists():
        raise ProfileDamaged(path, "missing")
    if create:
        counter_path(path).unlink(missing_ok=True)  # a count left by an earlier profile would mean nothing here
    elif saves_missing(path, data_key):
        raise ProfileDamaged(path, "missing saves that were acknowledged (its WAL was damaged)")
    connection = connect(path, data_key)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        found = schema_version(connection)
        supported = supported_version(migrations)
        if found > supported:
            raise SchemaTooNew(found, supported)
        for pragma in PRAGMAS:
            connection.execute(pragma)
        saves = inside_count(connection)
    except sqlcipher.Error as error:
        connection.close()
        raise translate(error, path) from error
    except BaseException:
        connection.close()
        raise
    return Database(path, connection, data_key, saves), found


def inspect(path: Path, data_key: bytearray) -> Any:
    """A connection for checking a file that is not open: read-only while a WAL exists, so the WAL is left exactly
    as found (a read-write close checkpoints what survived and deletes it); otherwise an ordinary one, which leaves
    no empty WAL and shm files behind as a read-only one would."""
    return connect(path, data_key, read_only=Path(f"{path}-wal").exists())


def saves_missing(path: Path, data_key: bytearray) -> bool:
    """The database holds fewer saves than were acknowledged (``storage.save_counter``): its WAL lost some.

    A damaged WAL is left as found (``inspect``); a file that cannot be read here is left to the other checks.
    """
    expected = outside_count(path)
    if expected == 0:
        return False
    try:
        connection = inspect(path, data_key)
    except sqlcipher.Error:
        return False
    try:
        return inside_count(connection) < expected
    except sqlcipher.Error:
        return False
    finally:
        connection.close()


def run_migrations(database: Database, migrations: list[Migration] | None = None) -> list[int]:
    """Bring the schema up to date. Migration 0013 rewrites stored name keys with the program's own key function
    (Unicode normalisation is not in SQLite), registered on the migrating connection only."""
    from ibic.name_key import search_key

    with database.reading() as connection:
        connection.create_function("hembesok_search_key", 1, search_key, deterministic=True)
        return migrate(connection, migrations)
