"""The avslutsorsak and a reopening travel as the status does: a laptop closes a case with "Annat" and its text and
later opens it again; the server takes both (a reopening by its handläggare within the days: ``reopen_check``), the
central system reads them, and a second laptop holds the same history. A closed case the central system registered
before closings had a reason loads on a laptop with none. The central system neither closes nor reopens: the status
is the laptop's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sync_support import Env, assigned_cases, make_laptop, version_of
from test_integration_api import _call, _key, _new_case, _register

from ibic.cases import change_status, closed_from, closing
from ibic.reopening import reopen_case
from ibic.vocabulary import CaseStatus, ClosingReason
from sync.server.dev import DEMO_USER

TODAY = date.today()


def test_a_closing_reason_and_a_reopening_reach_the_server_the_central_system_and_another_laptop(
    env: Env, tmp_path: Path
) -> None:
    key = _key(env)
    case, person, _ = _new_case()  # under investigation
    case["caseworker"] = DEMO_USER
    assert _register(env, key, case, person).status_code == 201
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()

    held = a.profile.cases.load(case["id"])
    change_status(held, CaseStatus.CLOSED, TODAY, DEMO_USER, reason=ClosingReason.OTHER, note="Bor hos sonen i Norge")
    a.profile.cases.save(held)
    pushed = a.sync()
    assert (pushed.applied > 0, pushed.rejected) == (True, 0)
    central = _call(env, key, "GET", f"/records/case/{case['id']}").json()["document"]
    assert central["status"] == "closed"
    assert {k: central["status_history"][-1][k] for k in ("status", "reason", "reason_note", "closed_from", "by")} == {
        "status": "closed", "reason": "other", "reason_note": "Bor hos sonen i Norge", "closed_from": "investigation",
        "by": DEMO_USER}
    b.sync()
    closed = closing(b.profile.cases.load(case["id"]))
    assert closed is not None and (closed.reason, closed.reason_note) == (ClosingReason.OTHER, "Bor hos sonen i Norge")

    held = a.profile.cases.load(case["id"])
    assert reopen_case(held, TODAY, DEMO_USER, 30) == CaseStatus.INVESTIGATION
    a.profile.cases.save(held)
    report = a.sync()
    assert (report.applied > 0, report.rejected) == (True, 0), "the server does not refuse a reopening"
    b.sync()
    seen = b.profile.cases.load(case["id"])
    assert seen.status == CaseStatus.INVESTIGATION
    assert [(c.status, c.reason, c.by) for c in seen.status_history[-2:]] == [
        (CaseStatus.CLOSED, ClosingReason.OTHER, DEMO_USER), (CaseStatus.INVESTIGATION, None, DEMO_USER)]
    listed = next(s for s in b.profile.cases.list_summaries(today=TODAY) if s.case_id == case["id"])
    assert listed.status == CaseStatus.INVESTIGATION, "the second laptop's list shows it open again"


def test_a_closed_case_registered_without_a_reason_loads_and_the_central_system_cannot_close_or_reopen(
    env: Env, tmp_path: Path
) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    case["status"] = "closed"
    case["status_history"] = [{"id": "s1", "status": "investigation", "on": "2026-01-05", "by": DEMO_USER},
                              {"id": "s2", "status": "closed", "on": "2026-02-01", "by": DEMO_USER}]
    assert _register(env, key, case, person).status_code == 201
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    held = laptop.profile.cases.load(case["id"])
    closed = closing(held)
    assert closed is not None and closed.reason is None and closed_from(held) == CaseStatus.INVESTIGATION

    for status in ("investigation", "closed"):
        written = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": {"status": status}})
        assert written.status_code == 403, written.text
    other, other_person, _ = _new_case()
    other["status"] = "closed"
    other["status_history"] = [{"id": "s1", "status": "closed", "on": "2026-02-01", "reason": "other"}]
    refused = _register(env, key, other, other_person)
    assert refused.status_code == 422, refused.text
    assert "status_history/0" in refused.text and "'other' needs a short text" in refused.text


def test_a_pushed_closing_is_checked_by_the_model_a_whole_one_taken(env: Env) -> None:
    """A laptop's push of a status change goes through the server's checks (push_checks): a closing whose "Annat"
    says nothing, or a reason on another change, is refused naming the rule and never the text; a whole one is
    taken, and so is the reopening after it."""
    laptop = env.enroll(DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    closed = {"id": "c1", "status": "closed", "on": "2026-11-30", "by": DEMO_USER, "reason": "other",
              "reason_note": "\u200b", "closed_from": "investigation"}
    wrong = {"id": "c2", "status": "investigation", "on": "2026-11-30", "reason": "died"}
    for change, rule in ((closed, "the reason 'other' needs a short text"), (wrong, "only a closing has a reason")):
        base = version_of(env, "case", case_id)
        answer = laptop.push([laptop.change(case_id, "status_history", [change], base)]).json()["results"][0]
        assert answer["status"] == "rejected" and rule in answer["reason"], answer
        assert "\u200b" not in answer["reason"]
    whole = [{**closed, "reason_note": "Bor hos sonen"}, {"id": "r1", "status": "investigation", "on": "2026-12-01"}]
    base = version_of(env, "case", case_id)
    answer = laptop.push([laptop.change(case_id, "status_history", whole, base)]).json()["results"][0]
    assert answer["status"] == "applied", answer
    stored = laptop.record("case", case_id)["document"]["status_history"]
    assert [(c["status"], c.get("reason")) for c in stored] == [("closed", "other"), ("investigation", None)]
