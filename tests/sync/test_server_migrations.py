"""A server with history keeps its promises across a schema migration: ops applied before it are still answered
``duplicate`` (never applied twice), a reused op id is still refused, and a pull from any old cursor gives the same
changes as before."""

from __future__ import annotations

import contextlib
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from ibic.changes import FieldChange
from sync.server import pull_service, push_service
from sync.server.access import Actor
from sync.server.db import connect, migrate, migration_scripts
from sync.server.errors import OpIdReused
from sync.server.pgcluster import PgCluster

UNIT, USER, DEVICE = "unit-m", "user-m", "laptop-m"
CASE, OTHER = "case-m1", "case-m2"
OP = {n: f"{n:032x}" for n in range(1, 6)}  # op ids as a laptop makes them: 32 hex digits


def migrate_below(url: str, first_left_out: int) -> None:
    """Apply the migrations numbered below ``first_left_out`` to the empty database at ``url``, as migrate() would."""
    with connect(url) as conn:
        conn.execute("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now())")
        for version, script, sql in migration_scripts():
            if version < first_left_out:
                conn.execute(sql.encode("utf-8"))
                conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, script))


@contextlib.contextmanager
def database_below(pg_cluster: PgCluster, first_left_out: int) -> Iterator[str]:
    """A new database with the migrations numbered below ``first_left_out`` applied; dropped at the end."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = pg_cluster.create_database(name)
    try:
        migrate_below(url, first_left_out)
        yield url
    finally:
        pg_cluster.drop_database(name)


@pytest.fixture()
def database_at_0008(pg_cluster: PgCluster) -> Iterator[str]:
    """An empty database migrated up to 0008, as 383e90d's server left it; dropped after the test."""
    with database_below(pg_cluster, 9) as url:
        yield url


@pytest.fixture()
def url_before_0009(database_at_0008: str) -> str:
    """A database at migration 0008, holding what 383e90d's server wrote: two pushed ops of one case (an applied_ops
    row and a change-log row each), a change-log row the server wrote itself, and one field's version."""
    url = database_at_0008
    with connect(url) as conn:
        conn.execute("INSERT INTO units (id, name) VALUES (%s, 'Enhet M')", (UNIT,))
        conn.execute("INSERT INTO users (id, unit_id) VALUES (%s, %s)", (USER, UNIT))
        for case in (CASE, OTHER):
            conn.execute("INSERT INTO case_access (case_id, unit_id, assigned_user_id) VALUES (%s, %s, %s)",
                         (case, UNIT, USER))
        conn.execute("INSERT INTO records (record_type, record_id, version, document, created_by_unit)"
                     " VALUES ('case', %s, 2, '{\"origin_note\": \"andra\", \"chosen_provider\": \"AB\"}', %s),"
                     " ('case', %s, 1, '{\"origin_note\": \"tredje\"}', %s)", (CASE, UNIT, OTHER, UNIT))
        for change, version in ((_change(CASE, "origin_note", "andra", 0, OP[1]), 1),
                                (_change(CASE, "chosen_provider", "AB", 1, OP[2]), 2),
                                (_change(OTHER, "origin_note", "tredje", 0, OP[3]), 1)):
            conn.execute("INSERT INTO applied_ops (op_id, content_hash, record_type, record_id, version, device_id,"
                         " user_id, hlc) VALUES (%s, %s, 'case', %s, %s, %s, %s, %s)",
                         (change.op_id, change.content_hash(), change.record_id, version, DEVICE, USER, change.hlc))
            conn.execute("INSERT INTO change_log (record_type, record_id, path, op, value, version, op_id, device_id)"
                         " VALUES ('case', %s, %s, 'set', to_jsonb(%s::text), %s, %s, %s)",
                         (change.record_id, change.path, change.value, version, change.op_id, DEVICE))
            conn.execute("INSERT INTO field_versions (record_type, record_id, path, version, device_id)"
                         " VALUES ('case', %s, %s, %s, %s)", (change.record_id, change.path, version, DEVICE))
        conn.execute("INSERT INTO change_log (record_type, record_id, path, op, value, version, op_id, device_id)"
                     " VALUES ('case', %s, 'origin_note', 'set', '\"andra\"', 2, 'server-made', 'central')", (CASE,))
        conn.commit()
    return url


def _change(record_id: str, path: str, value: str, base: int, op_id: str) -> FieldChange:
    return FieldChange(op_id=op_id, record_type="case", record_id=record_id, path=path, op="set", value=value,
                       base_version=base, hlc=f"1700000000000-0000-{DEVICE}", device_id=DEVICE, user_id=USER)


def _pulls(url: str) -> list[bytes]:
    with connect(url) as conn:
        actor = Actor(USER, UNIT, DEVICE)
        return [pull_service.pull_page_json(conn, actor, cursor, 2, case) for cursor in range(5)
                for case in (None, CASE)]


def test_ops_applied_before_the_migration_are_answered_duplicate_and_old_cursors_pull_the_same(
        url_before_0009: str) -> None:
    pulled_before = _pulls(url_before_0009)
    assert {9, 10} <= set(migrate(url_before_0009))
    assert _pulls(url_before_0009) == pulled_before
    actor = Actor(USER, UNIT, DEVICE)
    with connect(url_before_0009) as conn:
        resent = [_change(CASE, "origin_note", "andra", 0, OP[1]), _change(CASE, "chosen_provider", "AB", 1, OP[2]),
                  _change(OTHER, "origin_note", "tredje", 0, OP[3])]
        results = push_service.push_batch(conn, actor, resent)
        assert [(r.status, r.new_version) for r in results] == [("duplicate", 1), ("duplicate", 2), ("duplicate", 1)]
        with pytest.raises(OpIdReused):
            push_service.push_batch(conn, actor, [_change(CASE, "origin_note", "annan", 0, OP[1])])
        # A field changed before the migration by another device still makes an edit based before it a conflict;
        # the server's own row (the case sent again) changed no field.
        other = Actor(USER, UNIT, "laptop-n")
        stale = [_change(CASE, "chosen_provider", "CD", 1, OP[4]).model_copy(update={"device_id": "laptop-n"}),
                 _change(CASE, "origin_note", "fjärde", 1, OP[5]).model_copy(update={"device_id": "laptop-n"})]
        assert [r.status for r in push_service.push_batch(conn, other, stale)] == ["conflict", "applied"]
        rows: list[dict[str, Any]] = conn.execute(
            "SELECT op_id, content_hash FROM change_log ORDER BY seq").fetchall()
        assert [r["op_id"] for r in rows] == [OP[1], OP[2], OP[3], "server-made", OP[5]]
        assert [r["content_hash"] is None for r in rows] == [False, False, False, True, False]
    for table in ("applied_ops", "field_versions"):  # one row per applied op: the tables beside the log are gone
        with connect(url_before_0009) as conn, pytest.raises(psycopg.errors.UndefinedTable):
            conn.execute(f"SELECT 1 FROM {table}")


def test_migration_0009_compares_each_applied_op_once_on_tables_without_statistics(
        database_at_0008: str, pg_cluster: PgCluster) -> None:
    # A database just restored from a dump (or after pg_upgrade) has no statistics until it is analyzed, and the
    # server migrates it as it starts. Its check that every applied op has its change-log row was planned then as a
    # nested loop comparing every applied op with every change-log row: 2,000 ops, 2 million comparisons; a real
    # server's millions of ops, hours with the change log locked. auto_explain counts the comparisons a join made
    # and threw away (deterministic, unlike a time): at most one per change-log row is linear.
    ops, url = 2000, database_at_0008
    with connect(url) as conn:
        for table in ("change_log", "applied_ops"):  # as restored: no statistics until someone analyzes
            conn.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        conn.execute("INSERT INTO change_log (record_type, record_id, path, op, value, version, op_id, device_id)"
                     " SELECT 'case', 'case-' || (g %% 50), 'origin_note', 'set', '\"x\"', g / 50 + 1,"
                     " md5(g::text), %s FROM generate_series(1, %s) AS g", (DEVICE, ops))
        conn.execute("INSERT INTO applied_ops (op_id, content_hash, record_type, record_id, version, device_id,"
                     " user_id, hlc) SELECT op_id, md5(op_id), record_type, record_id, version, device_id, %s,"
                     " '1700000000000-0000-' || device_id FROM change_log", (USER,))
        conn.commit()
    options = ("-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0"
               " -c auto_explain.log_analyze=on -c auto_explain.log_nested_statements=on")
    log = pg_cluster.root / "server.log"
    logged = log.stat().st_size
    assert {9, 10} <= set(migrate(f"{url}?options={urllib.parse.quote(options)}"))
    with log.open("rb") as file:
        file.seek(logged)
        text = file.read().decode("utf-8", "replace")
    assert "applied_ops" in text  # the migration's statements were explained
    thrown_away = [int(n) for n in re.findall(r"Rows Removed by Join Filter: (\d+)", text)]
    assert sum(thrown_away) <= ops
    with connect(url) as conn:
        assert conn.execute("SELECT count(*) AS n FROM change_log WHERE content_hash IS NOT NULL"
                            ).fetchone() == {"n": ops}
