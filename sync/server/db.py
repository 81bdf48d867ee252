"""PostgreSQL access: a small connection pool and the versioned migrations applied at start."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import psycopg
import psycopg.conninfo
import psycopg.errors
from psycopg import pq
from psycopg.rows import dict_row

MIGRATIONS_PACKAGE = "sync.server.migrations"


def connect(url: str) -> psycopg.Connection[dict[str, object]]:
    """One connection with dict rows."""
    return psycopg.connect(url, row_factory=dict_row)


class Pool:
    """A fixed-size pool: FastAPI runs sync endpoints in threads, each borrows one connection."""

    def __init__(self, url: str, size: int) -> None:
        self._url = url
        self._idle: queue.LifoQueue[psycopg.Connection[dict[str, object]]] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection[dict[str, object]]]:
        """Borrow a connection; it goes back clean (rolled back) or is dropped if broken."""
        self._slots.acquire()
        conn = None
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = connect(self._url)
            if conn.closed:
                conn = connect(self._url)
            yield conn
        finally:
            if conn is not None:
                if conn.closed or conn.broken or conn.autocommit:
                    conn.close()  # autocommit left on (see autocommitted) would split the next caller's transactions
                else:
                    try:
                        conn.rollback()
                        self._idle.put(conn)
                    except psycopg.Error:
                        conn.close()
            self._slots.release()

    def close(self) -> None:
        """Close idle connections."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


@contextlib.contextmanager
def autocommitted(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """Each statement of the block is its own transaction when none is open: no BEGIN and COMMIT round trips (two
    of a request's six to nine). Inside an open transaction the block joins it, and its caller commits."""
    if conn.autocommit or conn.info.transaction_status != pq.TransactionStatus.IDLE:
        yield
        return
    conn.autocommit = True
    try:
        yield
    finally:
        with contextlib.suppress(psycopg.Error):  # a broken connection keeps autocommit and the pool drops it
            conn.autocommit = False


def migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with the server, in order."""
    scripts = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            scripts.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(scripts)


MIGRATION_LOCK = 7301  # the advisory lock held while migrations are applied
# A caller bounding its wait is told after this long (or half its bound, if shorter) that it waits: a migration
# applied by a server's start takes well under a second, so a wait this long means someone else holds the lock.
WAIT_NOTICE_SECONDS = 2.0


class MigrationLockBusy(Exception):
    """Another session held the migrations' lock for the whole of the caller's bound (``migrate``'s
    ``wait_seconds``); nothing was applied. Its message names the holder's PostgreSQL pid where it could be read."""

    def __init__(self, seconds: float, holder: int | None) -> None:
        super().__init__(f"gave up after {seconds:g} s waiting for another process to finish applying the database's"
                         f" migrations ({holding(holder)})")


def holding(holder: int | None) -> str:
    """Who holds the migrations' lock, for a person: the session's pid, which pg_stat_activity describes."""
    if holder is None:
        return "another session holds the migrations' lock"
    return f"PostgreSQL session {holder} holds the migrations' lock"


def migrate(url: str, wait_seconds: float | None = None,
            on_waiting: Callable[[int | None], None] | None = None) -> list[int]:
    """Apply migrations not yet applied, each in its own transaction; returns the versions applied now.

    Another process applying them (a server starting) holds their lock: ``on_waiting`` is called with the holder's pid
    once the wait is noticeable. Without ``wait_seconds`` this then waits as long as it takes (a server's start, which
    logs it: it waited without a word); with it, MigrationLockBusy is raised at the bound (IT's commands)."""
    applied_now: list[int] = []
    with connect(url) as conn:
        # Two servers starting together must not both apply a migration. The lock comes first: the table's CREATE
        # ... IF NOT EXISTS beside another process's uncommitted one waited for it, then failed (a UniqueViolation on
        # PostgreSQL's catalog) and the second server never started.
        if wait_seconds is None:
            _lock_unbounded(conn, on_waiting)
        else:
            _lock_within(conn, wait_seconds, on_waiting)
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            conn.commit()
            done = {row["version"] for row in conn.execute("SELECT version FROM schema_migrations")}
            # Closed, so each migration below is a transaction of its own, committed under the lock: left open, they
            # were savepoints of this one, committed after the lock was let go, and a process taking it meanwhile
            # read them as not applied and ran them again (0013: "column at_sent already exists"; s29-rserver).
            conn.commit()
            for version, name, sql in migration_scripts():
                if version in done:
                    continue
                with conn.transaction():
                    conn.execute(sql.encode("utf-8"))
                    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
                applied_now.append(version)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
            conn.commit()
    return applied_now


def _lock_within(conn: psycopg.Connection[Any], seconds: float, on_waiting: Callable[[int | None], None] | None
                 ) -> None:
    """Take the migrations' lock within ``seconds`` or raise MigrationLockBusy; ``on_waiting`` is called in between
    (after WAIT_NOTICE_SECONDS, or half the bound if shorter). The wait is PostgreSQL's own (lock_timeout, which
    bounds an advisory lock's wait too), so the lock is granted in turn, as to a server's start waiting beside."""
    first = min(WAIT_NOTICE_SECONDS, seconds / 2)
    if _taken_within(conn, first):
        return
    holder = _lock_holder(conn)
    if on_waiting is not None:
        on_waiting(holder)
    if not _taken_within(conn, seconds - first):
        raise MigrationLockBusy(seconds, _lock_holder(conn) or holder)


def _lock_unbounded(conn: psycopg.Connection[Any], on_waiting: Callable[[int | None], None] | None) -> None:
    """Take the migrations' lock however long it takes, ``on_waiting`` called once after WAIT_NOTICE_SECONDS."""
    if on_waiting is not None:
        if _taken_within(conn, WAIT_NOTICE_SECONDS):
            return
        on_waiting(_lock_holder(conn))
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))


def _taken_within(conn: psycopg.Connection[Any], seconds: float) -> bool:
    """Whether the migrations' lock was granted within ``seconds`` (at least a millisecond: 0 is no bound)."""
    try:
        with conn.transaction():  # the session's lock outlives it; the lock_timeout set here does not
            conn.execute("SELECT set_config('lock_timeout', %s, true)", (f"{max(1, round(seconds * 1000))}ms",))
            conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    except psycopg.errors.LockNotAvailable:
        return False
    return True


def _lock_holder(conn: psycopg.Connection[Any]) -> int | None:
    """The pid of the session holding the migrations' lock, or None (let go meanwhile)."""
    row = conn.execute(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = %s"
        " AND objsubid = 1 LIMIT 1", (MIGRATION_LOCK,)).fetchone()
    conn.rollback()  # no transaction left open between the tries
    return int(str(row["pid"])) if row else None


def applied_migrations(url: str) -> set[int]:
    """The versions the database's ``schema_migrations`` holds; none where it cannot be read (to say what is missing
    after a failed ``migrate``)."""
    try:
        with connect(url) as conn:
            if conn.execute("SELECT to_regclass('schema_migrations') AS t").fetchone() == {"t": None}:
                return set()
            return {int(str(row["version"])) for row in conn.execute("SELECT version FROM schema_migrations")}
    except psycopg.Error:
        return set()


class DatabaseUnreachable(Exception):
    """The configured database cannot be reached at start; the message is one line without the password."""


def check_connection(url: str, timeout_seconds: int = 10) -> None:
    """Connect once (raises DatabaseUnreachable), so a wrong URL is one clear line instead of a lifespan traceback."""
    try:
        with psycopg.connect(url, connect_timeout=timeout_seconds):
            pass
    except (psycopg.Error, ValueError) as exc:  # ValueError: psycopg's answer to a malformed URL's options
        reason = " ".join(str(exc).split())
        raise DatabaseUnreachable(f"cannot connect to the database ({_describe(url)}): {reason}") from None


# What makes a commit survive a crash of the database host. A push answered "applied" is the laptop's licence to
# stop sending it: with any of these off, a crash can lose what the laptop then never sends again.
DURABILITY_SETTINGS = ("fsync", "synchronous_commit", "full_page_writes")


def durability_off(url: str) -> list[str]:
    """Which of ``DURABILITY_SETTINGS`` this database's sessions run with off (synchronous_commit ``local`` and the
    replica levels keep a commit on this host's disk: only ``off`` is named)."""
    with psycopg.connect(url) as conn:
        return [name for name in DURABILITY_SETTINGS if _setting(conn, name) == "off"]


def _setting(conn: psycopg.Connection[Any], name: str) -> str:
    row = conn.execute("SELECT current_setting(%s)", (name,)).fetchone()
    return str(row[0]) if row else ""


def _describe(url: str) -> str:
    """Database, host, port and user of a URL — never its password."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "the URL in database_url cannot be parsed"
    where = f"{parts.get('host') or 'local socket'}:{parts.get('port') or 5432}"
    return f"database {parts.get('dbname') or '?'} on {where} as {parts.get('user') or 'the current user'}"
