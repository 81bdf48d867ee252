"""Who ran IT's admin commands (``admin_actions``, migration 0013): a revoked device, a re-admission, an assignment
changes who sees what, and the server's record of it named nobody.

The person is the operating-system account running the command (its real user id, not the environment's USER),
the account that ran it through sudo (``SUDO_USER``, set by sudo itself), the name given with ``--by`` (a shared
service account, a script run for someone) and the kernel's login uid (migration 0014: the one of these the account
running the command cannot set, once a login set it; ``login_uid``); the database role comes from the session. Only
ids are recorded: never a document, a file name or anything of the cared-for person."""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from sync.server.access import Conn
from sync.server.db_faults import ADMIN_LOCK_TIMEOUT_SECONDS

NAME_LIMIT = 64


def operator() -> tuple[str, str | None]:
    """The operating-system account running this process, and the one that ran it through sudo (or None)."""
    try:
        import pwd  # POSIX only: on Windows the logon name is all there is

        account = pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # a uid without a passwd entry (a container's): the number says who
        account = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    return _text(account), _text(os.environ.get("SUDO_USER") or "") or None


LOGIN_UID_FILE = "/proc/self/loginuid"
LOGIN_UID_UNSET = 4294967295  # (uid_t) -1: no login in this process's ancestry (a service, cron, a container)


def login_uid() -> int | None:
    """The kernel's login uid of this process (Linux audit), or None where it is unset or not kept.

    pam_loginuid sets it once at the login (ssh, the console) and every process after inherits it, through sudo,
    su and runuser alike; once set a process cannot change it without CAP_AUDIT_CONTROL, and not at all where the
    kernel makes it immutable. So it names the person who logged in even when the command runs as the shared
    service account, where SUDO_USER and ``--by`` are whatever that account's environment and arguments say. Still
    unset (no login in the ancestry: a service, a container), any process may set it once, unprivileged: there it
    is what the process claimed (docs/deployment.md)."""
    try:
        with open(LOGIN_UID_FILE, encoding="ascii") as file:
            text = file.read().strip()
    except (OSError, UnicodeDecodeError):  # not Linux, or a kernel without audit: nothing to record
        return None
    if not text.isdigit() or int(text) >= LOGIN_UID_UNSET:
        return None
    return int(text)


class OneTransaction(psycopg.Connection[dict[str, object]]):
    """The admin command's connection: inside ``as_one()`` its ``commit()`` waits for the block's end, so the
    command's change and the record of who made it are one transaction (the change without its record, or a record
    of a change refused, was possible while they were two: a crash or a lost connection between the commits).

    The commands' functions (``central``, ``integrations``, ``roles``) commit as they go, for the HTTP routes that
    share them; their ``conn.transaction()`` blocks become savepoints of this one, as in ``central.register_cases``.
    Each refused command raised before changing anything, and a raise rolls the whole block back."""

    _held = False
    # The lock wait in force for the command, as PostgreSQL writes it ("10s", "1min"): ours, or the database's, the
    # role's or PGOPTIONS' where they set one (``connect_one``), for the message when a lock is not granted.
    lock_timeout = ""

    def commit(self) -> None:
        if not self._held:
            super().commit()

    @contextlib.contextmanager
    def as_one(self) -> Iterator[None]:
        with self.transaction():
            self._held = True
            try:
                yield
            finally:
                self._held = False


def connect_one(url: str) -> OneTransaction:
    """A connection for one admin command, dict rows (``db.connect``'s), its lock waits bounded
    (``ADMIN_LOCK_TIMEOUT_SECONDS``) unless the database, the role or PGOPTIONS bound them already."""
    conn = OneTransaction.connect(url, row_factory=dict_row)
    try:
        conn.execute("SELECT set_config('lock_timeout', %s, false) WHERE current_setting('lock_timeout') = '0'",
                     (f"{ADMIN_LOCK_TIMEOUT_SECONDS}s",))
        row = conn.execute("SELECT current_setting('lock_timeout') AS lock_timeout").fetchone()
        conn.commit()
        conn.lock_timeout = str(row["lock_timeout"]) if row else ""
    except BaseException:
        conn.close()
        raise
    return conn


def record_action(conn: Conn, command: str, target: dict[str, Any], by: str | None) -> None:
    """Append one admin action, in the caller's transaction (the command's own change's: ``OneTransaction``)."""
    account, sudo_user = operator()
    conn.execute(
        "INSERT INTO admin_actions (os_user, sudo_user, by_name, login_uid, command, target)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (account, sudo_user, by, login_uid(), command, Jsonb(target)),
    )


def list_actions(conn: Conn, limit: int) -> list[dict[str, Any]]:
    """The latest ``limit`` admin actions, oldest first."""
    rows = conn.execute(
        "SELECT id, at, os_user, sudo_user, by_name, login_uid, db_user, command, target FROM"
        " (SELECT * FROM admin_actions ORDER BY id DESC LIMIT %s) AS latest ORDER BY id", (limit,),
    ).fetchall()
    conn.commit()
    return [dict(row) for row in rows]


def _text(value: str) -> str:
    """An account name as storable text: bytes no UTF-8 reads (an odd passwd entry) escaped, bounded."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")[:NAME_LIMIT]
