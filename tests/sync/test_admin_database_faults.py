"""A database fault in IT's admin command (s30-admin): one English line on stderr naming the command and what failed,
exit status 1, nothing changed; never a traceback, a value of a row (a constraint's DETAIL, a refused text) or a
password. On main each case below that reached the command (a constraint, a trigger's refusal, a lock held, the
connection ended, a role that may not apply a missing migration) ended in a psycopg traceback, and a lock held
made the command wait with no bound. Run as IT runs it: ``python -m sync.server.admin`` on real PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sync_support import REPO, Env
from test_server_migrations import database_below

from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.pgcluster import PgCluster, free_port


def _admin(url: str, *arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sync.server.admin", *arguments], cwd=REPO, text=True,
                          env={**os.environ, "HEMBESOK_SYNC_DATABASE_URL": url, **variables}, capture_output=True,
                          timeout=120, check=False)


def _one_line(done: subprocess.CompletedProcess[str] | tuple[int, str]) -> str:
    """The one line the command wrote on stderr, which ended it with status 1 and printed nothing else."""
    code, stderr = (done.returncode, done.stderr) if isinstance(done, subprocess.CompletedProcess) else done
    assert code == 1, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_a_constraint_the_database_holds_is_named_without_the_row_s_values(env: Env) -> None:
    # A constraint of the DBA's (a unit's name once in the municipality): PostgreSQL's DETAIL names the value.
    taken = env.sql("SELECT name FROM units ORDER BY id LIMIT 1")[0]["name"]
    env.sql("CREATE UNIQUE INDEX units_name_once ON units (name)")
    line = _one_line(_admin(env.database_url, "create-unit", "enhet-ny", taken))
    assert line == ("error: create-unit: the database refused the change (unique violation, SQLSTATE 23505:"
                    " constraint units_name_once on table units); nothing was changed")
    assert env.sql("SELECT count(*) AS n FROM units WHERE id = 'enhet-ny'") == [{"n": 0}]
    assert env.sql("SELECT count(*) AS n FROM admin_actions") == [{"n": 0}]


def test_a_unit_that_exists_is_said_as_before(env: Env) -> None:
    unit = env.sql("SELECT id, name FROM units ORDER BY id LIMIT 1")[0]
    assert _one_line(_admin(env.database_url, "create-unit", unit["id"], unit["name"])) == (
        "error: a unit with this id exists")


def test_a_trigger_s_refusal_is_named_by_its_kind_not_its_words(env: Env) -> None:
    env.sql("CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'refused: %', NEW.name; END; $$")
    env.sql("CREATE TRIGGER refuse_for_test BEFORE INSERT ON units FOR EACH ROW EXECUTE FUNCTION refuse_for_test()")
    line = _one_line(_admin(env.database_url, "create-unit", "enhet-ny", "Tolvans enhet"))
    assert line == "error: create-unit: the database refused it (raise exception, SQLSTATE P0001); nothing was changed"


@contextmanager
def _device_row_held(env: Env) -> Iterator[tuple[str, psycopg.Connection[Any]]]:
    """A transaction left open holding a device's row (an operator's psql session, say): its id and the session."""
    device = env.enroll(DEMO_USER, "laptop-held")
    with connect(env.database_url) as holder:
        holder.execute("SELECT 1 FROM devices WHERE id = %s FOR UPDATE", (device.device_id,))
        yield device.device_id, holder
        holder.rollback()


def _status(env: Env, device_id: str) -> str:
    return str(env.sql("SELECT status FROM devices WHERE id = %s", (device_id,))[0]["status"])


def test_a_lock_held_by_another_session_ends_the_command_after_ten_seconds(env: Env) -> None:
    with _device_row_held(env) as (device_id, _holder):
        before = _status(env, device_id)
        line = _one_line(_admin(env.database_url, "revoke-device", device_id, "lost"))
    assert line == ("error: revoke-device: a lock it needs was not granted within its lock_timeout (10s): another"
                    " session holds it (a transaction left open, a long registration, a server applying migrations);"
                    " nothing was changed, run it again later")
    assert _status(env, device_id) == before
    assert env.sql("SELECT count(*) AS n FROM admin_actions") == [{"n": 0}]


def test_a_lock_wait_set_elsewhere_is_kept_and_said_as_it_was(env: Env) -> None:
    # The DBA's limit (here PGOPTIONS; the database's or the role's alike) stands, and the line names it (s30-radmin:
    # it said "within 10 s" whatever the limit was).
    with _device_row_held(env) as (device_id, _holder):
        line = _one_line(_admin(env.database_url, "revoke-device", device_id, "lost", PGOPTIONS="-c lock_timeout=2s"))
    assert line.startswith("error: revoke-device: a lock it needs was not granted within its lock_timeout (2s):"), line
    assert _status(env, device_id) == "active"


def test_a_statement_timeout_set_elsewhere_is_said_as_a_cancel_not_a_lost_connection(env: Env) -> None:
    # A DBA's statement_timeout shorter than the lock wait ends the wait with 57014 (class 57, "operator
    # intervention"): s30-admin said the connection failed and the command might have been made.
    with _device_row_held(env) as (device_id, _holder):
        line = _one_line(_admin(env.database_url, "revoke-device", device_id, "lost",
                                PGOPTIONS="-c statement_timeout=1s"))
    assert line == ("error: revoke-device: the database cancelled it (query canceled, SQLSTATE 57014: a"
                    " statement_timeout the database, its role or PGOPTIONS set, or an operator); nothing was changed")
    assert _status(env, device_id) == "active"
    assert env.sql("SELECT count(*) AS n FROM admin_actions") == [{"n": 0}]


def _waiting_backend(env: Env, holder: psycopg.Connection[Any], process: subprocess.Popen[str]) -> int:
    """The pid of the session waiting for a lock the holder has (the command's), once it waits."""
    held_by = int(holder.execute("SELECT pg_backend_pid() AS pid").fetchone()["pid"])  # type: ignore[index]
    deadline = time.monotonic() + 60
    while True:
        rows = env.sql("SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", (held_by,))
        if rows:
            return int(rows[0]["pid"])
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command never waited for the lock"
        time.sleep(0.02)


def test_a_connection_ended_under_the_command_is_one_line(env: Env) -> None:
    with _device_row_held(env) as (device_id, holder):
        process = subprocess.Popen([sys.executable, "-m", "sync.server.admin", "revoke-device", device_id, "retire"],
                                   cwd=REPO, env={**os.environ, "HEMBESOK_SYNC_DATABASE_URL": env.database_url},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            env.sql("SELECT pg_terminate_backend(%s)", (_waiting_backend(env, holder, process),))
        finally:
            _out, error = process.communicate(timeout=120)
    line = _one_line((process.returncode, error))
    assert line.startswith("error: revoke-device: the database connection failed during the command ("), line
    assert line.endswith("); if it failed before the commit nothing was changed: list-admin-actions shows the command"
                         " if it was recorded"), line
    assert _status(env, device_id) == "active"


def test_a_missing_migration_the_role_may_not_apply_is_one_line(pg_cluster: PgCluster) -> None:
    role = f"it_{uuid.uuid4().hex[:8]}"  # may read and write the tables, not alter them (not their owner)
    with database_below(pg_cluster, 14) as url:
        with connect(url) as conn:
            conn.execute(f"CREATE ROLE {role} LOGIN")
            conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
            conn.commit()
        line = _one_line(_admin(url.replace("postgres@", f"{role}@"), "list-devices"))
        assert line.startswith("python -m sync.server.admin: error: the database's schema is older than this release"
                               " (0014_admin_actions_login_uid.sql not applied) and applying it failed ("), line
        assert line.endswith("): start the sync server of this release once (it applies migrations as the"
                             " database's owner), then run the command again"), line
        # Its owner applies it (the server's start does the same), and the command then runs.
        assert _admin(url, "list-devices").returncode == 0


def test_an_unreachable_database_is_one_line(tmp_path: Any) -> None:
    url = f"postgresql://hembesok:hemligt-lösen@127.0.0.1:{free_port()}/hembesok_sync"
    line = _one_line(_admin(url, "list-devices"))
    assert line.startswith("python -m sync.server.admin: error: cannot connect to the database (database"
                           " hembesok_sync on 127.0.0.1:"), line
    assert "hemligt" not in line


def _password_role(pg_cluster: PgCluster) -> str:
    """A role only a password admits (SCRAM over TCP; every other role keeps the cluster's trust), whose password is
    'rätt-lösen'."""
    role = f"pw_{uuid.uuid4().hex[:8]}"
    hba = pg_cluster.data / "pg_hba.conf"
    hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n" + hba.read_text(encoding="utf-8"),
                   encoding="utf-8")
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'rätt-lösen'")
        conn.execute("SELECT pg_reload_conf()")
    deadline = time.monotonic() + 60
    while True:  # until the reloaded rules are in force: a wrong password is refused
        try:
            psycopg.connect(f"postgresql://{role}:fel@127.0.0.1:{pg_cluster.port}/postgres").close()
        except psycopg.OperationalError:
            return role
        assert time.monotonic() < deadline, "the password rule never took effect"
        time.sleep(0.05)


def test_a_wrong_password_is_one_line_without_the_password(pg_cluster: PgCluster) -> None:
    role = _password_role(pg_cluster)
    with database_below(pg_cluster, 1000) as url:
        wrong = url.replace("postgres@", f"{role}:fel-l%C3%B6senord@")
        line = _one_line(_admin(wrong, "list-devices"))
        assert line.startswith(f"python -m sync.server.admin: error: cannot connect to the database (database"
                               f" {url.rsplit('/', 1)[1]} on 127.0.0.1:{pg_cluster.port} as {role}): "), line
        assert "password authentication failed" in line and "fel-l" not in line
