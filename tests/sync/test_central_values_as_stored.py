"""A value the central system writes at a path is stored as the model writes it (its defaults filled in), as a
registered case or decision already is. Before, a decision status sent without its optional "note" was stored
without it; the laptop's model filled it in, so the handläggare's next save of the case, about anything, pushed
"decision_statuses/<id>/note" and got it rejected (DecisionIsFinal: a status is never edited)."""

from __future__ import annotations

import uuid
from pathlib import Path

from sync_support import Env, edit_case, make_laptop
from test_integration_api import _call, _key, _new_case, _register

from sync.server.dev import DEMO_USER


def test_a_status_sent_without_its_note_does_not_make_the_laptops_next_save_rejected(env: Env, tmp_path: Path) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None and _register(env, key, case, person).status_code == 201
    assert _call(env, key, "POST", f"/cases/{case['id']}/decisions", decision).status_code == 201
    status = {"id": uuid.uuid4().hex, "decision_id": decision["id"], "status": "ended", "on": "2026-11-23"}
    patched = _call(env, key, "PATCH", f"/records/case/{case['id']}",
                    {"values": {f"decision_statuses/{status['id']}": status}})
    assert patched.status_code == 200, patched.text
    stored = _call(env, key, "GET", f"/records/case/{case['id']}").json()["document"]["decision_statuses"]
    assert stored == [{**status, "note": ""}]
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    edit_case(laptop.profile, case["id"], origin_note="Ringde själv")
    report = laptop.sync()
    assert (report.applied, report.rejected) == (1, 0), report.rejected_reasons
