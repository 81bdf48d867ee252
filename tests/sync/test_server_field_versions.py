"""Field versions read from the change log (migration 0010) on a real server: a stale edit meets the change another
device made at ANY version since its base, however many pushed ops and server-written rows came after it."""

from __future__ import annotations

from typing import Any

from sync_support import Device, Env, assigned_cases, version_of

from ibic.changes import FieldChange
from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER


def _results(device: Device, changes: list[FieldChange]) -> list[dict[str, Any]]:
    answer = device.push(changes)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def test_a_stale_edit_conflicts_with_the_oldest_change_since_its_base_past_later_ops_and_a_reassignment(
        env: Env) -> None:
    a = env.enroll(DEMO_USER, "laptop-a")
    b = env.enroll(DEMO_USER, "laptop-b")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)  # what laptop A last pulled
    # B changes origin_note once (base + 1), then other fields three times: the change A must meet is the OLDEST
    # pushed row since A's base, four versions back.
    assert [r["status"] for r in _results(b, [
        b.change(case_id, "origin_note", "Från B", base),
        b.change(case_id, "chosen_provider", "Utförare B", base + 1),
        b.change(case_id, "application/received_on", "2026-11-01", base + 2),
        b.change(case_id, "application/signed_by_person", True, base + 3),
    ])] == ["applied"] * 4
    # The case leaves the handläggare and comes back: the server sends it whole twice, a row per field (origin_note
    # among them) that it wrote itself. Those rows change no field: they must neither conflict nor hide B's change.
    with connect(env.database_url) as conn:
        central.assign_case(conn, case_id, DEMO_UNIT, None)
        central.assign_case(conn, case_id, DEMO_UNIT, DEMO_USER)
    server_rows = env.sql("SELECT count(*) AS n FROM change_log WHERE record_id = %s AND device_id = 'central'"
                          " AND version = %s", (case_id, base + 4))[0]["n"]
    assert server_rows > 8  # the case sent whole twice, after B's ops
    answers = _results(a, [
        a.change(case_id, "origin_note", "Från A", base),          # changed by B at base + 1: a conflict
        a.change(case_id, "application/received_on", "2026-11-11", base + 2),  # changed by B at base + 3: a conflict
        a.change(case_id, "application/withdrawn_on", "2026-11-13", base),      # nobody changed it: applied
        a.change(case_id, "caseworker", "A4", base),               # only the server's own rows touched it: applied
    ])
    assert [(r["status"], r.get("server_value")) for r in answers] == [
        ("conflict", "Från B"), ("conflict", "2026-11-01"), ("applied", None), ("applied", None)]
    document = a.record("case", case_id)["document"]
    application = document["application"]
    assert document["origin_note"] == "Från B" and (
        application["received_on"], application["signed_by_person"], application["withdrawn_on"]) == (
        "2026-11-01", True, "2026-11-13")


def test_a_stale_edit_conflicts_with_a_change_many_versions_back_and_with_a_path_changed_many_times(env: Env) -> None:
    a = env.enroll(DEMO_USER, "laptop-a")
    b = env.enroll(DEMO_USER, "laptop-b")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    # B: chosen_provider once, then origin_note 30 times; then A's own change of a third field.
    sent = [b.change(case_id, "chosen_provider", "B", base)]
    sent += [b.change(case_id, "origin_note", f"B{n}", base + 1 + n) for n in range(30)]
    assert {r["status"] for r in _results(b, sent)} == {"applied"}
    assert _results(a, [a.change(case_id, "caseworker", "A", base + 31)])[0]["status"] == "applied"
    answers = _results(a, [a.change(case_id, "chosen_provider", "A", base),      # B's, 32 versions back
                           a.change(case_id, "origin_note", "A", base + 3),      # B's, changed 28 times since
                           a.change(case_id, "caseworker", "A igen", base + 3)])  # A's own: not a conflict
    assert [(r["status"], r.get("server_value")) for r in answers] == [
        ("conflict", "B"), ("conflict", "B29"), ("applied", None)]
