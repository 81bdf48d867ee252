"""Forward-only schema migrations from ``storage/migrations/NNNN_name.sql``, each applied in its own transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The migrations shipped with this program, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    return check_sequence(found)


def check_sequence(migrations: list[Migration]) -> list[Migration]:
    """Sorted migrations; refuses gaps or duplicates (1, 2, 3, ...)."""
    ordered = sorted(migrations, key=lambda m: m.version)
    for expected, migration in enumerate(ordered, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {migration.name} is out of sequence (expected number {expected})")
    return ordered


def supported_version(migrations: list[Migration] | None = None) -> int:
    """The newest schema version this program knows."""
    chosen = bundled_migrations() if migrations is None else migrations
    return chosen[-1].version if chosen else 0


def schema_version(connection: Any) -> int:
    """The database's schema version (SQLite's user_version)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: Any, migrations: list[Migration] | None = None) -> list[int]:
    """Apply every migration newer than the database, each in one transaction; returns the versions applied.

    ``PRAGMA user_version`` is written inside the same transaction, so a failed migration leaves the database
    exactly at the previous version.
    """
    chosen = bundled_migrations() if migrations is None else migrations
    applied: list[int] = []
    for migration in chosen:
        if migration.version <= schema_version(connection):
            continue
        script = f"BEGIN IMMEDIATE;\n{migration.sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
        try:
            connection.executescript(script)
        except Exception:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
