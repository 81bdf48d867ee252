"""IT's admin commands record who ran them (s29-server): on main a revoked device, a re-admission or an assignment
changed who sees what and the server's record named nobody. Run as IT runs them, as processes on real PostgreSQL."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sync_support import REPO, Env

from ibic.demo import demo_cases
from sync.server.dev import DEMO_UNIT, DEMO_USER


def _admin(env: Env, *arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "SUDO_USER"}
    environment.update(HEMBESOK_SYNC_DATABASE_URL=env.database_url, **variables)
    return subprocess.run([sys.executable, "-m", "sync.server.admin", *arguments], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


def _actions(env: Env) -> list[dict[str, Any]]:
    done = _admin(env, "list-admin-actions")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_each_change_names_the_account_the_sudo_user_and_the_name_given(env: Env) -> None:
    account = pwd.getpwuid(os.getuid()).pw_name
    device = env.enroll(DEMO_USER, "laptop-a")
    # USER and LOGNAME are the caller's to set: the account is the process's own.
    assert _admin(env, "revoke-device", device.device_id, "lost", USER="mallory", LOGNAME="mallory").returncode == 0
    assert _admin(env, "readmit-device", device.device_id, SUDO_USER="kim.it").returncode == 0
    assert _admin(env, "--by", "Kim Svensson (IT)", "set-role", DEMO_USER, "unit_reports").returncode == 0
    assert _admin(env, "revoke-device", "no-such-device", "retire", SUDO_USER="kim.it").returncode == 1  # nothing

    actions = _actions(env)
    assert [(a["command"], a["os_user"], a["sudo_user"], a["by_name"], a["target"]) for a in actions] == [
        ("revoke-device", account, None, None, {"device_id": device.device_id, "kind": "lost"}),
        ("readmit-device", account, "kim.it", None, {"device_id": device.device_id, "hours": 72}),
        ("set-role", account, None, "Kim Svensson (IT)", {"user_id": DEMO_USER, "role": "unit_reports"}),
    ]
    assert all(a["db_user"] and a["at"] for a in actions)
    with pytest.raises(psycopg.errors.RaiseException, match=r"^admin actions are append-only"):
        env.sql("DELETE FROM admin_actions")
    with pytest.raises(psycopg.errors.RaiseException, match=r"^admin actions are append-only"):
        env.sql("UPDATE admin_actions SET by_name = 'someone else'")


def test_a_case_registered_from_files_records_its_id_never_the_files(env: Env, tmp_path: Path) -> None:
    _people, cases = demo_cases(date(2026, 11, 23))
    demo = cases[0]
    person = next(p for p in _people if p.id == demo.person_id).model_dump(mode="json")
    case = {**demo.model_dump(mode="json"), "id": "c-files", "person_id": person["id"], "decisions": [],
            "decision_statuses": []}
    case_file, person_file = tmp_path / "Tolvan Tolvansson ärende.json", tmp_path / "Tolvan Tolvansson.json"
    case_file.write_text(json.dumps(case), encoding="utf-8")
    person_file.write_text("[]", encoding="utf-8")
    assert _admin(env, "register-case", str(case_file), str(person_file), DEMO_UNIT).returncode == 1  # nothing
    person_file.write_text(json.dumps(person), encoding="utf-8")
    done = _admin(env, "register-case", str(case_file), str(person_file), DEMO_UNIT)
    assert done.returncode == 0, done.stderr
    actions = _actions(env)
    assert [(a["command"], a["target"]) for a in actions] == [
        ("register-case", {"case_id": "c-files", "unit_id": DEMO_UNIT, "user": None})]
    assert "Tolvan" not in json.dumps(actions) and person["personal_number"] not in json.dumps(actions)


def test_a_blank_name_for_by_is_refused_before_anything_changes(env: Env) -> None:
    done = _admin(env, "--by", " ", "create-unit", "u3", "Enhet tre")
    assert done.returncode == 2 and "argument --by: give a name of 1 to 64 characters" in done.stderr
    assert env.sql("SELECT count(*) AS n FROM units WHERE id = 'u3'")[0]["n"] == 0


def _refuse_inserts(env: Env, table: str) -> None:
    """A fault at the database on the table's next insert (a full disk, a lost connection, a crash stand in)."""
    env.sql("CREATE OR REPLACE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'refused for the test'; END; $$")
    env.sql(f"CREATE TRIGGER refuse_for_test BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_for_test()")


def test_a_change_and_its_record_are_one_transaction(env: Env) -> None:
    # The record cannot be written: the change is not made either (it was, committed before its record, unrecorded).
    _refuse_inserts(env, "admin_actions")
    codes = env.sql("SELECT count(*) AS n FROM enrollment_codes")
    done = _admin(env, "enrollment-code", DEMO_USER)
    assert done.returncode != 0 and done.stdout == "", done.stdout  # no code shown that was never stored
    assert env.sql("SELECT count(*) AS n FROM enrollment_codes") == codes
    assert _admin(env, "create-unit", "u3", "Enhet tre").returncode != 0
    assert env.sql("SELECT count(*) AS n FROM units WHERE id = 'u3'") == [{"n": 0}]
    env.sql("DROP TRIGGER refuse_for_test ON admin_actions")
    # The change cannot be made: no record of it.
    _refuse_inserts(env, "units")
    assert _admin(env, "create-unit", "u4", "Enhet fyra").returncode != 0
    assert env.sql("SELECT count(*) AS n FROM admin_actions") == [{"n": 0}]
    env.sql("DROP TRIGGER refuse_for_test ON units")
    # Both made: both there, and the code shown.
    done = _admin(env, "enrollment-code", DEMO_USER)
    assert done.returncode == 0 and done.stdout.strip(), done.stderr
    assert [a["command"] for a in _actions(env)] == ["enrollment-code"]
