"""A case stored before the decision rules (a decision ending before it starts, a blank decision-maker, an element
id holding '/') still takes later writes: decisions and statuses are append-only, so the old entry can never be
corrected, and refusing every later write for it would have frozen the case's decisions for good. Only what a
write itself brings is checked; the old entry still loads, is pulled and shows on the laptop."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sync_support import Env, edit_case, make_laptop, version_of
from test_integration_api import _call, _key, _new_case, _register

from ibic import document_paths
from ibic.cases import Case
from sync.server import document_checks
from sync.server.dev import DEMO_USER


def _stored_before_the_rules(
    env: Env, key: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case registered, and given a decision, while the door did not yet refuse what it refuses now."""
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None
    with monkeypatch.context() as before_the_rules:
        before_the_rules.setitem(document_checks.CONSISTENCY, Case, lambda _case: [])
        before_the_rules.setattr(document_paths, "unaddressable_keys", lambda *_: [])
        consent = {"id": "a/b", "recipient": "relative", "form": "oral", "given_on": "2026-01-01"}
        assert _register(env, key, {**case, "consents": [consent]}, person).status_code == 201
        old = {**decision, "id": uuid.uuid4().hex, "starts_on": "2027-01-01", "ends_on": "2026-01-01",
               "decided_by": ""}
        assert _call(env, key, "POST", f"/cases/{case['id']}/decisions", old).status_code == 201
    return case, decision


def test_a_case_stored_before_the_rules_still_takes_new_decisions_and_statuses(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _key(env)
    case, decision = _stored_before_the_rules(env, key, monkeypatch)
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    held = laptop.profile.cases.load(case["id"])
    assert held.decisions[0].ends_on is not None and held.decisions[0].starts_on is not None
    assert held.decisions[0].ends_on < held.decisions[0].starts_on, "the old record loads as it was"

    added = _call(env, key, "POST", f"/cases/{case['id']}/decisions", decision)
    assert added.status_code == 201, added.text
    status = {"id": uuid.uuid4().hex, "decision_id": decision["id"], "status": "ended", "on": "2026-11-23", "note": ""}
    patched = _call(env, key, "PATCH", f"/records/case/{case['id']}",
                    {"values": {f"decision_statuses/{status['id']}": status}})
    assert patched.status_code == 200, patched.text
    # What a write brings is still checked on such a case: a second backwards decision is refused.
    version = version_of(env, "case", case["id"])
    backwards = {**decision, "id": uuid.uuid4().hex, "starts_on": "2027-01-01", "ends_on": "2026-12-31"}
    refused = _call(env, key, "POST", f"/cases/{case['id']}/decisions", backwards)
    assert refused.status_code == 422 and "end date is before its start date" in refused.json()["message"]
    assert version_of(env, "case", case["id"]) == version

    laptop.sync()
    held = laptop.profile.cases.load(case["id"])
    assert [d.id for d in held.decisions][1:] == [decision["id"]] and held.decision_statuses[0].id == status["id"]
    mine = held.decisions[1].model_copy(update={"id": uuid.uuid4().hex, "replaces_decision_id": decision["id"]})
    edit_case(laptop.profile, case["id"], decisions=[*held.decisions, mine])
    report = laptop.sync()
    assert (report.applied, report.rejected) == (1, 0), report
    stored = env.sql("SELECT document FROM record_documents WHERE record_type = 'case' AND record_id = %s",
                     (case["id"],))
    assert [d["id"] for d in stored[0]["document"]["decisions"]][1:] == [decision["id"], mine.id]
