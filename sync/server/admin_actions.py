"""Who ran IT's admin commands (``admin_actions``, migration 0013): a revoked device, a re-admission, an assignment
changes who sees what, and the server's record of it named nobody.

The person is the operating-system account running the command (its real user id, not the environment's USER),
the account that ran it through sudo (``SUDO_USER``, set by sudo itself), and the name given with ``--by`` (a shared
service account, a script run for someone); the database role comes from the session. Only ids are recorded: never
a document, a file name or anything of the cared-for person."""

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

NAME_LIMIT = 64


def operator() -> tuple[str, str | None]:
    """The operating-system account running this process, and the one that ran it through sudo (or None)."""
    try:
        import pwd  # POSIX only: on Windows the logon name is all there is

        account = pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # a uid without a passwd entry (a container's): the number says who
        account = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    return _text(account), _text(os.environ.get("SUDO_USER") or "") or None


class OneTransaction(psycopg.Connection[dict[str, object]]):
    """The admin command's connection: inside ``as_one()`` its ``commit()`` waits for the block's end, so the
    command's change and the record of who made it are one transaction (the change without its record, or a record
    of a change refused, was possible while they were two: a crash or a lost connection between the commits).

    The commands' functions (``central``, ``integrations``, ``roles``) commit as they go, for the HTTP routes that
    share them; their ``conn.transaction()`` blocks become savepoints of this one, as in ``central.register_cases``.
    Each refused command raised before changing anything, and a raise rolls the whole block back."""

    _held = False

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
    """A connection for one admin command, dict rows (``db.connect``'s)."""
    return OneTransaction.connect(url, row_factory=dict_row)


def record_action(conn: Conn, command: str, target: dict[str, Any], by: str | None) -> None:
    """Append one admin action, in the caller's transaction (the command's own change's: ``OneTransaction``)."""
    account, sudo_user = operator()
    conn.execute(
        "INSERT INTO admin_actions (os_user, sudo_user, by_name, command, target) VALUES (%s, %s, %s, %s, %s)",
        (account, sudo_user, by, command, Jsonb(target)),
    )


def list_actions(conn: Conn, limit: int) -> list[dict[str, Any]]:
    """The latest ``limit`` admin actions, oldest first."""
    rows = conn.execute(
        "SELECT id, at, os_user, sudo_user, by_name, db_user, command, target FROM"
        " (SELECT * FROM admin_actions ORDER BY id DESC LIMIT %s) AS latest ORDER BY id", (limit,),
    ).fetchall()
    conn.commit()
    return [dict(row) for row in rows]


def _text(value: str) -> str:
    """An account name as storable text: bytes no UTF-8 reads (an odd passwd entry) escaped, bounded."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")[:NAME_LIMIT]
