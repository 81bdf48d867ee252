"""A pushed value of another JSON kind than the domain model takes, as the integration routes now refuse it
(test_integration_values_as_sent.py): is it stored as sent, as pydantic's lax reading made it, or refused?

Written by the second review of s22-probesrv to answer the author's suspicion that ``push_checks.op_problem`` read
values leniently: on main the op was applied and the server kept the value as the laptop sent it (``0`` where a
boolean or a date goes, ``"1704067200"`` where a date goes), which the next laptop to pull read as pydantic reads it.
Refused since s22-pushvals (``push_checks.as_sent_problem``, the integration's ``changed_places``)."""

from __future__ import annotations

from typing import Any

import pytest
from sync_support import Env, assigned_cases, version_of

from sync.server.dev import DEMO_USER


@pytest.mark.parametrize(("record_type", "path", "value"), [
    ("person", "patient_transport_entitled", 0),          # a number for a boolean, top level
    ("case", "opened_on", 0),                              # a number for a date
    ("case", "opened_on", "1704067200"),                   # a text that is no YYYY-MM-DD
    ("case", "application/signed_by_person", "yes"),       # a text for a boolean, below the top level
])
def test_a_pushed_value_of_another_kind_is_rejected_and_nothing_changes(
    env: Env, record_type: str, path: str, value: Any
) -> None:
    device = env.enroll(DEMO_USER, "laptop-kind")
    row = assigned_cases(env, DEMO_USER)[0]
    record_id = row["case_id"] if record_type == "case" else row["person_id"]
    before = device.record(record_type, record_id)["document"]
    change = device.change(record_id, path, value, version_of(env, record_type, record_id), record_type=record_type)
    answer = device.push([change])
    assert answer.status_code == 200, answer.text
    result = answer.json()["results"][0]
    stored = device.record(record_type, record_id)["document"][path.split("/")[0]]
    assert result["status"] == "rejected", (result["status"], stored)
    assert device.record(record_type, record_id)["document"] == before


def test_the_refused_value_keeps_its_place_and_the_values_beside_it_apply(env: Env) -> None:
    """A batch of an ISO date, a number for a yes/no and a real yes/no: only the middle op is refused, by its
    position, with the field and the kinds named (never the value), and the other two are stored."""
    device = env.enroll(DEMO_USER, "laptop-kind")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    version = version_of(env, "case", case_id)
    changes = [device.change(case_id, "opened_on", "2026-01-02", version),
               device.change(case_id, "application/signed_by_person", 1, version),
               device.change(case_id, "application/signed_by_person", True, version)]
    answer = device.push(changes)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"], results
    assert results[1]["op_id"] == changes[1].op_id
    assert results[1]["reason"] == ("application/signed_by_person: the value does not match the domain model "
                                    "(application/signed_by_person: a number where the model takes a boolean)")
    document = device.record("case", case_id)["document"]
    assert (document["opened_on"], document["application"]["signed_by_person"]) == ("2026-01-02", True)
