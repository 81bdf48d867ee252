"""Odd but legal JSON values pushed over HTTP are stored and pulled exactly as sent: the push encodes its
parameters with pydantic's serializer (sync/server/push_service.py ``_jsonb``), not ``json.dumps``. Legal: the
domain model takes them (a value it refuses is rejected, test_server_push_checks)."""

from __future__ import annotations

from typing import Any

from sync_support import Env, assigned_cases, version_of

from sync.server.dev import DEMO_USER

TEXT = "Anteckning: \"citat\", \\ snedstreck, å ä ö, \u2028 radavgränsare, \U0001f600, \t tabb"
ODD: dict[str, Any] = {
    "hospital_ward": "", "admission_notice_on": "2026-11-23", "ready_for_discharge_on": None,
    "sip_meeting_on": None, "discharged_on": None,
}


def test_odd_values_are_stored_and_pulled_as_sent(env: Env) -> None:
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    _, cursor = other.pull_all()

    answer = laptop.push([laptop.change(case_id, "discharge", ODD, base),
                          laptop.change(case_id, "origin_note", TEXT, base)])

    assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"]
    document = laptop.record("case", case_id)["document"]
    assert (document["discharge"], document["origin_note"]) == (ODD, TEXT)
    pulled, _ = other.pull_all(cursor)
    assert [(c["path"], c["value"]) for c in pulled] == [("discharge", ODD), ("origin_note", TEXT)]
