"""The rule for opening a closed case again holds at the server (s33): the laptop refused a reopening by a colleague
or after ``reopen_within_days``, but the server took any status change a device pushed, so a tampered or old laptop
could reopen anything. Pushed by HTTP with odd but legal values, each refusal is ``rejected`` with the rule in
English, never the history's values; the case stays closed on the server. The case's handläggare's id in another
case ("Demo-User" for IT's "demo-user") is the same handläggare, and a laptop shows the refusal as any other."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sync_support import Device, Env, assigned_cases, make_laptop, version_of

from ibic.cases import StatusChange
from ibic.vocabulary import CaseStatus, ClosingReason
from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER

TODAY = date.today()
COLLEAGUE = "kollega.demo"


def _closing(on: str, by: str = DEMO_USER, closed_from: str = "implementation") -> dict[str, Any]:
    return {"id": f"c-{uuid.uuid4().hex[:8]}", "status": "closed", "on": on, "by": by, "reason": "moved",
            "closed_from": closed_from}


def _reopening(on: str, status: str = "implementation", by: str = DEMO_USER) -> dict[str, Any]:
    return {"id": f"r-{uuid.uuid4().hex[:8]}", "status": status, "on": on, "by": by}


def _push_change(env: Env, device: Device, case_id: str, status: str, entry: dict[str, Any]) -> list[dict[str, Any]]:
    """What a laptop pushes for a status change: the status, then the history's new entry, each answered."""
    base = version_of(env, "case", case_id)
    answer = device.push([device.change(case_id, "status", status, base),
                          device.change(case_id, f"status_history/{entry['id']}", entry, base)])
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def _closed_case(env: Env, device: Device, on: str, by: str = DEMO_USER, which: int = 0) -> str:
    case_id = str(assigned_cases(env, DEMO_USER)[which]["case_id"])
    base = version_of(env, "case", case_id)
    device.push([device.change(case_id, "status", "implementation", base)])
    results = _push_change(env, device, case_id, "closed", _closing(on, by))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    return case_id


def _status(device: Device, case_id: str) -> tuple[str, str]:
    document = device.record("case", case_id)["document"]
    return document["status"], document["status_history"][-1]["status"]


def _refused(results: list[dict[str, Any]], rule: str) -> bool:
    return [r["status"] for r in results] == ["rejected", "rejected"] and all(rule in r["reason"] for r in results)


def test_a_reopening_late_dated_ahead_or_before_its_closing_is_rejected(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    case_id = _closed_case(env, device, "1900-01-01")  # the first day the model takes
    results = _push_change(env, device, case_id, "implementation", _reopening(TODAY.isoformat()))
    assert _refused(results, "a case can be opened again only within 30 days of its closing"), results
    assert "1900" not in " ".join(r["reason"] for r in results)
    results = _push_change(env, device, case_id, "implementation", _reopening("2099-12-31"))
    assert _refused(results, "a reopening is dated after today"), results
    results = _push_change(env, device, case_id, "implementation", _reopening("9999-12-31"))
    assert [r["status"] for r in results] == ["rejected", "rejected"], results
    assert _status(device, case_id) == ("closed", "closed")

    ahead = (TODAY + timedelta(days=1)).isoformat()  # the laptop's day may be a day ahead of the server's
    recent = _closed_case(env, device, ahead, which=1)
    results = _push_change(env, device, recent, "implementation", _reopening(TODAY.isoformat()))
    assert _refused(results, "a reopening is dated before the closing it takes back"), results
    results = _push_change(env, device, recent, "investigation", _reopening(ahead, "investigation"))
    assert _refused(results, "a reopening returns the case to the status it was closed from"), results
    assert _status(device, recent) == ("closed", "closed")


def test_a_status_history_pushed_out_of_order_or_a_bare_status_does_not_reopen(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    case_id = _closed_case(env, device, TODAY.isoformat())
    history = device.record("case", case_id)["document"]["status_history"]
    base = version_of(env, "case", case_id)
    behind = [*history[:-1], _reopening(TODAY.isoformat()), history[-1]]  # the reopening before the closing
    answer = device.push([device.change(case_id, "status", "implementation", base),
                          device.change(case_id, "status_history", behind, base)]).json()["results"]
    assert _refused(answer, "a closed case is opened again only by a reopening recorded after its closing"), answer
    bare = device.push([device.change(case_id, "status", "implementation", base)]).json()["results"]
    assert bare[0]["status"] == "rejected" and "recorded after its closing" in bare[0]["reason"], bare
    assert _status(device, case_id) == ("closed", "closed")
    results = _push_change(env, device, case_id, "implementation", _reopening(TODAY.isoformat()))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert _status(device, case_id) == ("implementation", "implementation")


def test_only_the_handlaggare_or_whoever_closed_it_reopens_in_either_spelling_of_the_id(env: Env) -> None:
    with connect(env.database_url) as conn:
        central.create_user(conn, COLLEAGUE, DEMO_UNIT)
    mine = env.enroll(DEMO_USER, "laptop-a")
    colleague = env.enroll(COLLEAGUE, "laptop-k")
    case_id = _closed_case(env, mine, TODAY.isoformat(), by="Demo-User")  # the profile's id as typed at set-up
    results = _push_change(env, colleague, case_id, "implementation", _reopening(TODAY.isoformat(), by=COLLEAGUE))
    assert _refused(results, "only the case's handläggare, or whoever closed it, can open it again"), results
    assert _status(mine, case_id) == ("closed", "closed")
    results = _push_change(env, mine, case_id, "implementation", _reopening(TODAY.isoformat()))
    assert [r["status"] for r in results] == ["applied", "applied"], results


def _closed_on_a_laptop(env: Env, tmp_path: Path, on: date) -> tuple[Any, str, CaseStatus]:
    """A laptop that closed its first case (dated ``on``) and synced it: the laptop, the case, the status before."""
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    case_id = str(assigned_cases(env, DEMO_USER)[0]["case_id"])
    held = laptop.profile.cases.load(case_id)
    was = held.status
    held.status = CaseStatus.CLOSED
    held.status_history.append(StatusChange(status=CaseStatus.CLOSED, on=on, by=DEMO_USER,
                                            reason=ClosingReason.MOVED, closed_from=was))
    laptop.profile.cases.save(held)
    assert laptop.sync().rejected == 0
    return laptop, case_id, was


def test_a_laptop_whose_reopening_the_server_refuses_counts_it_among_the_refused(env: Env, tmp_path: Path) -> None:
    laptop, case_id, was = _closed_on_a_laptop(env, tmp_path, date(2000, 1, 3))
    # As an old or tampered laptop stores it: the reopening of a closing long ago, the laptop's rule not asked.
    held = laptop.profile.cases.load(case_id)
    held.status = was
    held.status_history.append(StatusChange(status=was, on=TODAY, by=DEMO_USER))
    laptop.profile.cases.save(held)
    report = laptop.sync()
    assert report.rejected == 2, report
    assert all("within 30 days of its closing" in reason for reason in report.rejected_reasons)


def test_a_reopening_at_a_push_batch_s_end_travels_with_its_history_entry_and_applies(
        env: Env, tmp_path: Path) -> None:
    """A reopening is its status and its history's entry; a full batch that ended with the status (the entry in the
    next request) was refused as a bare status. The laptop keeps them in one request (storage.journal)."""
    from sync.client.push import push_pending
    from sync.progress import SyncReport

    laptop, case_id, was = _closed_on_a_laptop(env, tmp_path, TODAY)
    other_id = str(assigned_cases(env, DEMO_USER)[1]["case_id"])
    other = laptop.profile.cases.load(other_id)
    other.origin_note = "Ändrad före återöppningen"
    laptop.profile.cases.save(other)  # one entry before the reopening's two
    held = laptop.profile.cases.load(case_id)
    held.status = was
    held.status_history.append(StatusChange(status=was, on=TODAY, by=DEMO_USER))
    laptop.profile.cases.save(held)
    assert [c.path.split("/")[0] for c in laptop.profile.journal.pending()] == [
        "origin_note", "status", "status_history"]

    report = SyncReport()
    push_pending(laptop.session, laptop.profile, report, batch_size=2)  # a batch ends after the status
    assert (report.applied, report.rejected) == (3, 0), report
    assert laptop.profile.journal.pending_count() == 0


def test_a_status_change_made_before_a_colleague_s_closing_is_a_conflict_not_a_refused_reopening(env: Env) -> None:
    """s34: laptop B had not pulled A's closing when it moved the case on (its ops based on the version before the
    closing). The server took that as a reopening and refused both ops ("2 changes were refused"); B kept a history
    entry the server never got. Now both are a conflict on the status, the history's entry held back with it (a
    list append met no other path), nothing stored; the same change based on the closed case is a reopening again
    (refused: not to the status it was closed from), and the one the choice sends (a reopening, then B's status)
    applies."""
    with connect(env.database_url) as conn:
        central.create_user(conn, COLLEAGUE, DEMO_UNIT)
    a, b = env.enroll(DEMO_USER, "laptop-a"), env.enroll(DEMO_USER, "laptop-b")
    colleague = env.enroll(COLLEAGUE, "laptop-k")
    case_id = str(assigned_cases(env, DEMO_USER)[0]["case_id"])
    a.push([a.change(case_id, "status", "implementation", version_of(env, "case", case_id))])
    before_closing = version_of(env, "case", case_id)
    results = _push_change(env, a, case_id, "closed", _closing(TODAY.isoformat()))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    stored = b.record("case", case_id)["document"]["status_history"]
    closed_at = version_of(env, "case", case_id)

    for device in (b, colleague):  # the handläggare's other laptop, a colleague of the unit: the same answer
        entry = _reopening(TODAY.isoformat(), "investigation", by=device.user_id)  # nyprövning, on the case as it was
        answer = device.push([device.change(case_id, "status", "investigation", before_closing),
                              device.change(case_id, f"status_history/{entry['id']}", entry, before_closing)])
        assert answer.status_code == 200, answer.text
        results = answer.json()["results"]
        assert [r["status"] for r in results] == ["conflict", "conflict"], results
        assert [(r["server_value"], r["server_version"]) for r in results] == [("closed", closed_at), (None, closed_at)]
        assert b.record("case", case_id)["document"]["status_history"] == stored
        assert version_of(env, "case", case_id) == closed_at

    on_closed = _push_change(env, b, case_id, "investigation", _reopening(TODAY.isoformat(), "investigation"))
    assert _refused(on_closed, "a reopening returns the case to the status it was closed from"), on_closed
    reopening, mine = _reopening(TODAY.isoformat()), _reopening(TODAY.isoformat(), "investigation")
    kept = b.push([b.change(case_id, "status", "investigation", closed_at),
                   b.change(case_id, f"status_history/{reopening['id']}", reopening, closed_at),
                   b.change(case_id, f"status_history/{mine['id']}", mine, closed_at)]).json()["results"]
    assert [r["status"] for r in kept] == ["applied"] * 3, kept
    history = b.record("case", case_id)["document"]["status_history"]
    assert [h["status"] for h in history[-3:]] == ["closed", "implementation", "investigation"]
