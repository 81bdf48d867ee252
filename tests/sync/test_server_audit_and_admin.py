"""Audit upload (hash chain continuity, append-only), the OpenAPI contract, configuration and the admin CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
from sync_support import REPO, Device, Env, assigned_cases

from ibic.demo import demo_cases
from ibic.people import Person
from storage.audit import GENESIS_HASH, entry_hash
from sync.server import admin
from sync.server.config import load_config
from sync.server.dev import DEMO_USER
from sync.server.openapi import openapi_text


def _chain(device: Device, count: int, case_id: str | None = None) -> list[dict[str, object]]:
    """Entries hashed by the laptop's own rule (storage.audit.entry_hash), so a drift between ends fails here."""
    entries: list[dict[str, object]] = []
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        digest = entry_hash(prev, seq, f"e{seq}", at, device.user_id, device.device_id, "view", case_id, "")
        entries.append({"seq": seq, "entry_id": f"e{seq}", "at": at, "user_id": device.user_id,
                        "device_id": device.device_id, "action": "view", "case_id": case_id, "detail": "",
                        "prev_hash": prev, "hash": digest})
        prev = digest
    return entries


def test_audit_chain_is_stored_once_and_resends_are_harmless(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    entries = _chain(device, 5)
    assert device.post("/v1/audit", {"entries": entries[:3]}).json()["stored_through_seq"] == 3
    assert device.post("/v1/audit", {"entries": entries}).json()["stored_through_seq"] == 5
    assert env.sql("SELECT count(*) AS n FROM audit_entries")[0]["n"] == 5


def test_a_broken_or_gapped_audit_chain_is_refused_and_nothing_stored(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    entries = _chain(device, 4)
    assert device.post("/v1/audit", {"entries": entries[:2]}).status_code == 200
    tampered = [*entries[2:3], {**entries[3], "prev_hash": "1" * 64}]
    gap = entries[3:]
    rewritten = [{**entries[1], "hash": "f" * 64}]
    edited = [{**entries[2], "detail": "ändrad i efterhand"}]
    for body in (tampered, gap, rewritten, edited):
        answer = device.post("/v1/audit", {"entries": body})
        assert answer.status_code == 409
        assert answer.json()["error"] == "audit_chain_broken"
    assert env.sql("SELECT count(*) AS n FROM audit_entries")[0]["n"] == 2


def test_stored_audit_entries_cannot_be_changed_or_deleted(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    device.post("/v1/audit", {"entries": _chain(device, 1)})
    for statement in ("UPDATE audit_entries SET detail = 'x'", "DELETE FROM audit_entries"):
        with pytest.raises(psycopg.errors.RaiseException):
            env.sql(statement)


def test_audit_for_a_known_case_of_the_unit_is_accepted(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    entry = _chain(device, 1, case_id=assigned_cases(env, DEMO_USER)[0]["case_id"])[0]
    assert device.post("/v1/audit", {"entries": [entry]}).status_code == 200


def test_committed_openapi_contract_matches_the_server() -> None:
    committed = (REPO / "docs" / "sync-openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(), "run: python -m sync.server.openapi"


def test_the_contract_command_parses_its_options(tmp_path: Path) -> None:
    """``--help`` prints usage and writes nothing (it was taken for a file name, and that file was committed);
    ``--check`` says whether a file is the served contract."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sync.server.openapi", *args], cwd=tmp_path, text=True,
                              capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)

    shown = run("--help")
    assert shown.returncode == 0 and "--check" in shown.stdout
    assert list(tmp_path.iterdir()) == []
    written = tmp_path / "contract.json"
    assert run(str(written)).returncode == 0
    assert written.read_text(encoding="utf-8") == openapi_text()
    assert run("--check", str(written)).returncode == 0
    written.write_text("{}\n", encoding="utf-8")
    stale = run("--check", str(written))
    assert stale.returncode == 1 and "python -m sync.server.openapi" in stale.stderr


def test_configuration_reads_toml_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "server.toml"
    path.write_text('[server]\ndatabase_url = "postgresql://db/x"\nport = 9000\ntoken_secret = "s"\n')
    config = load_config(path, {"HEMBESOK_SYNC_PORT": "9100", "HEMBESOK_SYNC_TLS_CERT": "/etc/cert.pem"})
    assert (config.database_url, config.port, config.tls_cert, config.token_secret) == (
        "postgresql://db/x", 9100, "/etc/cert.pem", "s")
    path.write_text('[server]\ndatbase_url = "typo"\n')
    with pytest.raises(ValueError, match="unknown configuration keys"):
        load_config(path, {})


def _person_of(people: list[Person], person_id: str) -> dict[str, object]:
    return next(p for p in people if p.id == person_id).model_dump(mode="json")


def test_admin_cli_sets_up_a_unit_user_code_and_revokes_a_device(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    assert admin.main(["create-unit", "u1", "Enhet 1"]) == 0
    assert admin.main(["create-user", "hl1", "u1"]) == 0
    capsys.readouterr()
    assert admin.main(["enrollment-code", "hl1"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 14 and code.count("-") == 2
    assert admin.main(["enrollment-code", "nobody"]) == 1
    case = tmp_path / "case.json"
    person = tmp_path / "person.json"
    people, cases = demo_cases(date(2026, 11, 23))
    demo = next(c for c in cases if c.decisions)
    person.write_text(json.dumps({**_person_of(people, demo.person_id), "id": "p1"}))
    # Without its decision, the demo case's status record names nothing the case holds: refused, nothing stored.
    case.write_text(json.dumps({**demo.model_dump(mode="json"), "id": "c1", "person_id": "p1", "decisions": []}))
    capsys.readouterr()
    assert admin.main(["register-case", str(case), str(person), "u1", "--user", "hl1"]) == 1
    assert "decision status must name a decision of this case" in capsys.readouterr().err
    case.write_text(json.dumps({**demo.model_dump(mode="json"), "id": "c1", "person_id": "p1", "decisions": [],
                                "decision_statuses": []}))
    assert admin.main(["register-case", str(case), str(person), "u1", "--user", "hl1"]) == 0
    decision = tmp_path / "decision.json"
    decided = {**demo.decisions[0].model_dump(mode="json"), "id": "d1"}
    decision.write_text(json.dumps({**decided, "outcome": "beviljat"}))
    assert admin.main(["register-decision", "c1", str(decision)]) == 1  # not a valid outcome: refused, nothing stored
    decision.write_text(json.dumps(decided))
    assert admin.main(["register-decision", "c1", str(decision)]) == 0
    assert admin.main(["register-decision", "c1", str(decision)]) == 1  # a decision is never replaced
    with psycopg.connect(database_url) as conn:
        conn.execute("INSERT INTO devices (id, user_id, credential_hash) VALUES ('dev1', 'hl1', 'x')")
        conn.commit()
    capsys.readouterr()
    assert admin.main(["list-devices"]) == 0
    assert '"id": "dev1"' in capsys.readouterr().out
    assert admin.main(["revoke-device", "dev1", "lost"]) == 0
    assert admin.main(["revoke-device", "missing", "retire"]) == 1
    with psycopg.connect(database_url) as conn:
        status = conn.execute("SELECT status FROM devices WHERE id = 'dev1'").fetchone()
        document = conn.execute("SELECT document FROM record_documents WHERE record_id = 'c1'").fetchone()
    assert status == ("lost",)
    assert document is not None and document[0]["decisions"] == [decided]
