"""Push and pull on a real server: per-op answers, duplicates, op-id reuse, conflicts by version, pull scope."""

from __future__ import annotations

import httpx
from sync_support import (
    Device,
    Env,
    assigned_cases,
    case_with_decision,
    creation_ops,
    new_case_document,
    new_person_document,
    version_of,
)

from sync.server.dev import DEMO_USER, OTHER_USER


def _device(env: Env, user: str, name: str) -> Device:
    return env.enroll(user, name)


def test_first_pull_brings_the_users_assigned_cases_and_their_persons_only(env: Env) -> None:
    mine = assigned_cases(env, DEMO_USER)
    assert mine, "the demo seeds cases for the demo user"
    changes, cursor = _device(env, DEMO_USER, "laptop-a").pull_all()
    pulled = {(c["record_type"], c["record_id"]) for c in changes}
    expected = {("case", r["case_id"]) for r in mine} | {("person", r["person_id"]) for r in mine}
    assert pulled == expected
    assert cursor == max(c["seq"] for c in changes)
    other_changes, _ = _device(env, OTHER_USER, "laptop-b").pull_all()
    assert other_changes == []


def test_pushing_twice_applies_once(env: Env) -> None:
    device = _device(env, DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    change = device.change(case_id, "origin_note", "Ny anteckning", base)
    first = device.push([change]).json()["results"][0]
    second = device.push([change]).json()["results"][0]
    assert first["status"] == "applied" and first["new_version"] == base + 1
    assert second == {**first, "status": "duplicate"}
    assert env.sql("SELECT count(*) AS n FROM change_log WHERE op_id = %s", (change.op_id,))[0]["n"] == 1
    assert device.record("case", case_id)["document"]["origin_note"] == "Ny anteckning"


def test_an_op_sent_again_after_another_device_changed_its_field_is_a_duplicate_not_a_conflict(env: Env) -> None:
    # The answer to A's push was lost; B changed the same field; A sends the same op again beside a new one.
    a = _device(env, DEMO_USER, "laptop-a")
    b = _device(env, DEMO_USER, "laptop-b")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    sent = a.change(case_id, "origin_note", "Från A", base)
    first = a.push([sent]).json()["results"][0]
    assert first["status"] == "applied"
    assert b.push([b.change(case_id, "origin_note", "Från B", base + 1)]).json()["results"][0]["status"] == "applied"
    fresh = a.change(case_id, "chosen_provider", "Utförare AB", base)
    again = a.push([sent, fresh]).json()["results"]
    assert [r["status"] for r in again] == ["duplicate", "applied"]
    assert again[0]["new_version"] == first["new_version"] and again[1]["new_version"] == base + 3
    assert env.sql("SELECT count(*) AS n FROM change_log WHERE op_id = %s", (sent.op_id,))[0]["n"] == 1
    assert a.record("case", case_id)["document"]["origin_note"] == "Från B"


def test_reused_op_id_with_other_content_is_refused_and_nothing_applied(env: Env) -> None:
    device = _device(env, DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    first = device.change(case_id, "origin_note", "Första", base)
    assert device.push([first]).json()["results"][0]["status"] == "applied"
    before = env.stored_counts()
    fresh = device.change(case_id, "chosen_provider", "Utförare AB", base)
    forged = device.change(case_id, "origin_note", "Andra", base, op_id=first.op_id)
    answer = device.push([fresh, forged])
    assert answer.status_code == 409
    assert answer.json()["error"] == "op_id_reused"
    assert env.stored_counts() == before
    assert device.record("case", case_id)["document"]["origin_note"] == "Första"


def test_edits_of_different_fields_merge_and_the_same_field_conflicts(env: Env) -> None:
    a = _device(env, DEMO_USER, "laptop-a")
    b = _device(env, DEMO_USER, "laptop-b")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    assert a.push([a.change(case_id, "origin_note", "Från A", base)]).json()["results"][0]["status"] == "applied"
    merged = b.push([b.change(case_id, "chosen_provider", "Från B", base)]).json()["results"][0]
    assert merged["status"] == "applied"
    conflict = b.push([b.change(case_id, "origin_note", "Från B", base)]).json()["results"][0]
    assert conflict["status"] == "conflict"
    assert conflict["server_value"] == "Från A"
    assert conflict["server_version"] == base + 2
    document = a.record("case", case_id)["document"]
    assert (document["origin_note"], document["chosen_provider"]) == ("Från A", "Från B")
    resolved = b.push([b.change(case_id, "origin_note", "Från B efter val", conflict["server_version"])])
    assert resolved.json()["results"][0]["status"] == "applied"


def test_a_devices_own_successive_edits_of_one_field_do_not_conflict(env: Env) -> None:
    a = _device(env, DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    batch = [a.change(case_id, "origin_note", "Ett", base), a.change(case_id, "origin_note", "Två", base)]
    assert [r["status"] for r in a.push(batch).json()["results"]] == ["applied", "applied"]
    assert a.record("case", case_id)["document"]["origin_note"] == "Två"


def test_a_parent_and_child_path_overlap_and_conflict(env: Env) -> None:
    a = _device(env, DEMO_USER, "laptop-a")
    b = _device(env, DEMO_USER, "laptop-b")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    received = a.change(case_id, "application/received_on", "2026-11-01", base)
    assert a.push([received]).json()["results"][0]["status"] == "applied"
    whole = b.push([b.change(case_id, "application", {"received_on": "2026-11-02"}, base)]).json()["results"][0]
    assert whole["status"] == "conflict"


def test_a_final_decision_cannot_be_changed_by_a_device(env: Env) -> None:
    a = _device(env, DEMO_USER, "laptop-a")
    case_id, decision = case_with_decision(env, DEMO_USER)
    path = f"decisions/{decision['id']}/outcome"
    result = a.push([a.change(case_id, path, "rejected", version_of(env, "case", case_id))]).json()["results"][0]
    assert result["status"] == "rejected"
    assert result["reason"] == "DecisionIsFinal"


def test_central_owned_field_cannot_be_overwritten_by_a_device(env: Env) -> None:
    a = _device(env, DEMO_USER, "laptop-a")
    case = assigned_cases(env, DEMO_USER)[0]
    result = a.push([a.change(case["case_id"], "person_id", "f" * 32, version_of(env, "case", case["case_id"]))])
    assert result.json()["results"][0]["status"] == "rejected"
    assert a.record("case", case["case_id"])["document"]["person_id"] == case["person_id"]


def test_a_case_created_on_the_laptop_is_stored_and_assigned_to_its_user(env: Env) -> None:
    a = _device(env, DEMO_USER, "laptop-a")
    person_id, case_id = "a" * 32, "b" * 32
    batch = creation_ops(a, "person", new_person_document(person_id))
    batch += creation_ops(a, "case", new_case_document(person_id, case_id, origin_note="Ny"))
    assert [r["status"] for r in a.push(batch).json()["results"]] == ["applied"] * len(batch)
    rows = env.sql("SELECT unit_id, assigned_user_id, person_id FROM case_access WHERE case_id = %s", (case_id,))
    assert rows == [{"unit_id": "demo-unit", "assigned_user_id": DEMO_USER, "person_id": person_id}]
    b = _device(env, DEMO_USER, "laptop-b")
    pulled = {(c["record_type"], c["record_id"]) for c in b.pull_all()[0]}
    assert {("case", case_id), ("person", person_id)} <= pulled


def test_pull_pages_in_order_without_gaps(env: Env) -> None:
    a = _device(env, DEMO_USER, "laptop-a")
    seqs: list[int] = []
    cursor = 0
    while True:
        body = a.post("/v1/pull", {"cursor": cursor, "limit": 7}).json()
        seqs.extend(c["seq"] for c in body["changes"])
        assert len(body["changes"]) <= 7
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    everything, _ = a.pull_all()
    assert seqs == sorted(seqs) == [c["seq"] for c in everything]
    again = a.post("/v1/pull", {"cursor": cursor, "limit": 7}).json()
    assert again["changes"] == [] and again["next_cursor"] == cursor


def test_enrollment_code_works_once(env: Env) -> None:
    Device(env.base_url, "laptop-a").enroll(env.codes[DEMO_USER])
    again = httpx.post(f"{env.base_url}/v1/enroll", json={"code": env.codes[DEMO_USER], "device_id": "laptop-z"})
    assert again.status_code == 401
    assert again.json()["error"] == "enrollment_refused"


def test_concurrent_pushes_of_one_field_apply_once_and_all_others_conflict(env: Env) -> None:
    import threading

    devices = [_device(env, DEMO_USER, f"laptop-{i}") for i in range(8)]
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    barrier = threading.Barrier(len(devices))
    statuses: list[str] = []

    def push(device: Device) -> None:
        change = device.change(case_id, "origin_note", f"från {device.device_id}", base)
        barrier.wait()
        statuses.append(device.push([change]).json()["results"][0]["status"])

    threads = [threading.Thread(target=push, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == ["applied"] + ["conflict"] * (len(devices) - 1)
    assert version_of(env, "case", case_id) == base + 1
    logged = env.sql("SELECT count(*) AS n FROM change_log WHERE record_id = %s AND path = 'origin_note'"
                     " AND device_id LIKE 'laptop-%%'", (case_id,))
    assert logged[0]["n"] == 1
