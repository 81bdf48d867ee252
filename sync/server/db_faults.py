"""A database fault met by IT's admin command, said in one English line: what failed and what it means for the
operator, never a value. PostgreSQL's own words are not passed on as they come: a constraint's DETAIL holds the
row's values ("Key (name)=(...) already exists"), a data error's message the text refused, a trigger's message
whatever its author put in it. Only the kind of fault (its SQLSTATE and condition name) and the names of the
schema's objects (constraint, table: the schema's, never a person's) are said."""

from __future__ import annotations

import re

import psycopg
import psycopg.errors

from sync.server.db import migration_scripts

# The admin command's lock_timeout, unless the database, its role or PGOPTIONS set one already: an operator at a
# terminal is told after this long that something else holds what the command needs, not left waiting for ever
# (a transaction left open on a device's row, a bulk registration holding the change log's ordering lock).
ADMIN_LOCK_TIMEOUT_SECONDS = 10

# SQLSTATE classes of a connection that failed or was ended under the command (08: connection exception; 57:
# operator intervention, e.g. the server shutting down or the backend terminated; 53: insufficient resources; 58:
# system error): the commit may or may not have happened.
_CONNECTION_CLASSES = ("08", "57", "53", "58")


def command_fault(command: str, exc: psycopg.Error, lock_timeout: str = "") -> str:
    """The line for ``command`` ended by ``exc``; ``lock_timeout`` the lock wait that was in force (PostgreSQL's
    writing of it: ours, ``ADMIN_LOCK_TIMEOUT_SECONDS``, or the database's, the role's, PGOPTIONS'), "" if unknown."""
    kind = _condition(exc)
    if isinstance(exc, psycopg.errors.LockNotAvailable):
        within = f"within its lock_timeout ({lock_timeout})" if lock_timeout else "within its lock_timeout"
        return (f"{command}: a lock it needs was not granted {within}: another session"
                " holds it (a transaction left open, a long registration, a server applying migrations); nothing was"
                " changed, run it again later")
    if isinstance(exc, psycopg.IntegrityError):
        return (f"{command}: the database refused the change ({kind}{_where(exc)}); nothing was changed")
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return (f"{command}: the database role may not do this ({kind}{_where(exc)}); nothing was changed: run it"
                " as the service's role (docs/deployment.md)")
    if isinstance(exc, psycopg.errors.QueryCanceled):  # 57014, in class 57 but the connection is fine
        return (f"{command}: the database cancelled it ({kind}: a statement_timeout the database, its role or"
                " PGOPTIONS set, or an operator); nothing was changed")
    if exc.sqlstate is None or exc.sqlstate[:2] in _CONNECTION_CLASSES:
        return (f"{command}: the database connection failed during the command ({kind}); if it failed before the"
                " commit nothing was changed: list-admin-actions shows the command if it was recorded")
    return f"{command}: the database refused it ({kind}); nothing was changed"


def schema_fault(exc: psycopg.Error, applied: set[int]) -> str:
    """The line for a start whose migrations could not be applied: the schema is older than this release."""
    missing = [name for version, name, _sql in migration_scripts() if version not in applied]
    if not missing:
        return f"checking the database's migrations failed ({_condition(exc)}{_where(exc)})"
    named = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return (f"the database's schema is older than this release ({named} not applied) and applying it failed"
            f" ({_condition(exc)}{_where(exc)}): start the sync server of this release once (it applies migrations"
            " as the database's owner), then run the command again")


def _condition(exc: psycopg.Error) -> str:
    """The fault's kind in words: ``UniqueViolation`` -> ``unique violation, SQLSTATE 23505``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", type(exc).__name__).lower()
    if words in ("error", "operational error", "database error", "interface error"):
        words = "no answer from the database" if exc.sqlstate is None else "database error"
    return f"{words}, SQLSTATE {exc.sqlstate}" if exc.sqlstate else words


def _where(exc: psycopg.Error) -> str:
    """The schema objects the fault names: its constraint and table (identifiers of the schema, never values)."""
    diag = exc.diag
    parts = [f"constraint {diag.constraint_name}" if diag.constraint_name else "",
             f"table {diag.table_name}" if diag.table_name else ""]
    named = " on ".join(part for part in parts if part)
    return f": {named}" if named else ""
