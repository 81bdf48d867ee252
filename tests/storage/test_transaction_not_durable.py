"""A transaction committed without an fsync (``Database.transaction(durable=False)``, a push's answers): it runs
with ``synchronous = NORMAL``, every transaction after it with FULL again (also after one that failed), and its
save count stays inside the database: the count beside it is never ahead of what a power cut leaves on disk."""

from __future__ import annotations

import pytest

from storage.database import Database
from storage.profile import Profile, database_path
from storage.save_counter import outside_count

FULL, NORMAL = 2, 1


def _setting(database: Database) -> int:
    with database.reading() as connection:
        return int(connection.execute("PRAGMA synchronous").fetchone()[0])


def _write(database: Database, value: str, *, durable: bool) -> int:
    """Writes ``value`` into ``meta``; the synchronous setting inside the transaction."""
    with database.transaction(durable=durable) as connection:
        connection.execute("INSERT INTO meta (key, value) VALUES ('test_value', ?)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (value,))
        return int(connection.execute("PRAGMA synchronous").fetchone()[0])


def test_only_the_transaction_asked_for_commits_without_an_fsync_and_its_count_stays_inside(profile: Profile) -> None:
    database = profile._db
    beside = database_path(profile.directory)
    assert _write(database, "durable", durable=True) == FULL
    counted = outside_count(beside)
    assert counted == database._saves.count > 0

    assert _write(database, "relaxed", durable=False) == NORMAL
    assert _setting(database) == FULL
    assert database._saves.count == counted + 1  # the database holds the next count ...
    assert outside_count(beside) == counted  # ... the file beside it not: the commit may not be on disk

    assert _write(database, "durable again", durable=True) == FULL  # its fsync covers the one before it
    assert outside_count(beside) == database._saves.count == counted + 2


def test_a_failed_transaction_without_an_fsync_leaves_the_next_ones_durable(profile: Profile) -> None:
    database = profile._db
    with pytest.raises(RuntimeError), database.transaction(durable=False) as connection:
        connection.execute("INSERT INTO meta (key, value) VALUES ('test_value', 'rolled back')")
        raise RuntimeError("the recording failed")
    assert _setting(database) == FULL
    assert _write(database, "durable", durable=True) == FULL
    with database.reading() as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'test_value'").fetchone() == ("durable",)


def test_a_setting_left_relaxed_is_made_durable_again_by_the_next_transaction(profile: Profile) -> None:
    database = profile._db
    with database.reading() as connection:  # as if restoring it had failed after a relaxed transaction
        connection.execute("PRAGMA synchronous = NORMAL")
    database._relaxed = True
    assert _write(database, "durable", durable=True) == FULL
    assert _setting(database) == FULL
