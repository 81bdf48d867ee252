"""A push reads no more of a record than its ops need, over HTTP to a real server: a top-level entry set whole is
not read, and the field versions of a record not changed since the batch's base are not read. What must stay true:
a conflict still answers the current server value, and nothing of the document outside the ops is lost."""

from __future__ import annotations

from sync_support import Env, assigned_cases, version_of

from sync.server.dev import DEMO_USER


def _document(env: Env, case_id: str) -> dict[str, object]:
    return dict(env.sql("SELECT document FROM record_documents WHERE record_type = 'case' AND record_id = %s",
                        (case_id,))[0]["document"])


def test_a_stale_whole_entry_set_alone_in_its_batch_answers_the_current_value(env: Env) -> None:
    first, second = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    before = _document(env, case_id)

    answer = second.push([second.change(case_id, "origin_note", "Från den andra datorn", base)])
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "applied"
    stale = first.push([first.change(case_id, "origin_note", "Från den första datorn", base)])

    assert stale.status_code == 200
    result = stale.json()["results"][0]
    assert (result["status"], result["server_value"], result["server_version"]) == (
        "conflict", "Från den andra datorn", base + 1)
    assert _document(env, case_id) == {**before, "origin_note": "Från den andra datorn"}


def test_entries_set_whole_keep_every_other_entry_and_later_pushes_build_on_them(env: Env) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    before = _document(env, case_id)

    first = laptop.push([laptop.change(case_id, "origin_note", "Ett", base),
                         laptop.change(case_id, "discharge", {"hospital_ward": "nytt"}, base)])
    # Based on an older version than the record's now: its own earlier edits are no conflict.
    second = laptop.push([laptop.change(case_id, "origin_note", "Två \"citat\" och \\ å", base),
                          laptop.change(case_id, "discharge", None, base, op="remove")])

    assert [r["status"] for r in first.json()["results"] + second.json()["results"]] == ["applied"] * 4
    kept = {name: value for name, value in before.items() if name != "discharge"}
    assert _document(env, case_id) == {**kept, "origin_note": "Två \"citat\" och \\ å"}
    assert version_of(env, "case", case_id) == base + 4
