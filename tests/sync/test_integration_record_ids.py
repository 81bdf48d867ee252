"""A case or person registered under an id the routes and the laptops cannot name is refused, nothing stored
(s23-probesrv). Registered as sent, "a/b" or ".." could never be named in a URL path again (its assignment,
decisions and record answered 404 "There is no such endpoint"), and "a b", "é" or "x?y" never in a laptop's pull
of one case (the protocol's id pattern). Each fails on main (201)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import Env
from test_integration_api import _call, _key, _new_case, _register

from sync.server import admin

ODD_IDS = ["a/b", "..", ".", "a b", "é", "x?y", "a#b", "😀", " lead", "a%2Fb", "tab\there", "line\n"]
RULE = "id is 1-64 of the letters A-Z and a-z, digits, '_', '.', ':' and '-' (not '.' or '..')"


@pytest.mark.parametrize("case_id", ODD_IDS)
def test_a_case_id_no_route_can_name_is_refused(env: Env, case_id: str) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    case["id"] = case_id
    before = env.stored_counts()
    answer = _register(env, key, case, person)
    assert (answer.status_code, answer.json()["error"]) == (422, "invalid_document"), answer.text
    assert answer.json()["message"] == f"a case {RULE}"
    assert env.stored_counts() == before


@pytest.mark.parametrize("person_id", ["a/b", "p q", ".."])
def test_a_new_person_id_no_route_can_name_is_refused(env: Env, person_id: str) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    person["id"] = case["person_id"] = person_id
    before = env.stored_counts()
    answer = _register(env, key, case, person)
    assert (answer.status_code, answer.json()["message"]) == (422, f"a person {RULE}"), answer.text
    assert env.stored_counts() == before


def test_ids_as_the_laptops_and_case_systems_write_them_are_registered_and_named(env: Env) -> None:
    # The control: uuid hex (the laptops'), and a case number with the protocol's punctuation.
    key = _key(env)
    for case_id in ("3f2a9c0e5b7d4e1f8a6b2c3d4e5f6a7b", "KF-2026:0042.1_a"):
        case, person, _ = _new_case()
        case["id"] = case_id
        assert _register(env, key, case, person).status_code == 201
        assert _call(env, key, "GET", f"/records/case/{case_id}").status_code == 200


def test_the_admin_command_refuses_the_same_ids(env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import json

    case, person, _ = _new_case()
    case["id"] = "a/b"
    (tmp_path / "case.json").write_text(json.dumps(case), encoding="utf-8")
    (tmp_path / "person.json").write_text(json.dumps(person), encoding="utf-8")
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    assert admin.main(["register-case", str(tmp_path / "case.json"), str(tmp_path / "person.json"),
                       "demo-unit"]) == 1
    assert capsys.readouterr().err.strip() == f"error: a case {RULE}"
