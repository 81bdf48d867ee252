"""A case reassigned away leaves the old laptop at its next sync; work done while it was theirs still arrives."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import Env, Laptop, assigned_cases, edit_case, make_laptop, server_documents

from storage.errors import RecordNotFound
from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_UNIT, OTHER_USER

COLLEAGUE = "colleague-user"


def _assign(env: Env, case_id: str, unit: str, user: str) -> None:
    with connect(env.database_url) as conn:
        central.assign_case(conn, case_id, unit, user)


def _synced_with_colleague(env: Env, tmp_path: Path) -> tuple[Laptop, str]:
    """A laptop that has pulled its cases, a colleague in the same unit, and the case to move between them."""
    with connect(env.database_url) as conn:
        central.create_user(conn, COLLEAGUE, DEMO_UNIT)
    mine = make_laptop(env, tmp_path / "a", DEMO_USER)
    mine.sync()
    return mine, assigned_cases(env, DEMO_USER)[0]["case_id"]


def test_a_case_moved_to_another_unit_leaves_the_laptop_and_reaches_the_new_one(env: Env, tmp_path: Path) -> None:
    mine = make_laptop(env, tmp_path / "a", DEMO_USER)
    mine.sync()
    case = assigned_cases(env, DEMO_USER)[0]
    _assign(env, case["case_id"], OTHER_UNIT, OTHER_USER)
    report = mine.sync()
    assert report.withdrawn_removed == 1
    with pytest.raises(RecordNotFound):
        mine.profile.cases.load(case["case_id"])
    assert case["case_id"] not in {s.case_id for s in mine.profile.cases.list_summaries()}
    theirs = make_laptop(env, tmp_path / "b", OTHER_USER)
    theirs.sync()
    assert theirs.profile.cases.load(case["case_id"]).id == case["case_id"]
    assert mine.sync().withdrawn_removed == 0  # told once: the cursor has passed it


def test_work_done_before_the_move_is_delivered_then_the_case_leaves(env: Env, tmp_path: Path) -> None:
    mine = make_laptop(env, tmp_path / "a", DEMO_USER)
    mine.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    note = "Skrivet på hembesöket innan ärendet flyttades"
    edit_case(mine.profile, case_id, origin_note=note)
    _assign(env, case_id, OTHER_UNIT, OTHER_USER)
    report = mine.sync()
    assert report.applied == 1 and report.withdrawn_removed == 1
    assert server_documents(env, OTHER_USER)[("case", case_id)]["origin_note"] == note
    with pytest.raises(RecordNotFound):
        mine.profile.cases.load(case_id)


def test_a_case_moved_to_a_colleague_and_back_stays(env: Env, tmp_path: Path) -> None:
    mine, case_id = _synced_with_colleague(env, tmp_path)
    _assign(env, case_id, DEMO_UNIT, COLLEAGUE)
    _assign(env, case_id, DEMO_UNIT, DEMO_USER)
    report = mine.sync()
    assert report.withdrawn_removed == 0
    assert mine.profile.cases.load(case_id).id == case_id


def test_a_case_moved_back_after_it_left_returns_whole_and_editable(env: Env, tmp_path: Path) -> None:
    mine, case_id = _synced_with_colleague(env, tmp_path)
    _assign(env, case_id, DEMO_UNIT, COLLEAGUE)
    assert mine.sync().withdrawn_removed == 1
    _assign(env, case_id, DEMO_UNIT, DEMO_USER)
    mine.sync()
    assert not mine.profile.withdrawals.is_removed(case_id) and mine.profile.withdrawals.kept() == []
    edit_case(mine.profile, case_id, origin_note="Tillbaka hos mig")
    assert mine.sync().applied == 1
    assert server_documents(env, DEMO_USER)[("case", case_id)]["origin_note"] == "Tillbaka hos mig"


def test_an_edit_made_after_the_move_is_refused_alone_and_sync_goes_on(env: Env, tmp_path: Path) -> None:
    mine = make_laptop(env, tmp_path / "a", DEMO_USER)
    mine.sync()
    moved, kept = (c["case_id"] for c in assigned_cases(env, DEMO_USER)[:2])
    _assign(env, moved, OTHER_UNIT, OTHER_USER)
    for case_id, note in ((moved, "Skrivet efter flytten"), (kept, "Vanlig ändring")):
        edit_case(mine.profile, case_id, origin_note=note)
    report = mine.sync()  # one batch with both: no 403 for the whole push
    assert report.applied == 1 and report.rejected == 1
    assert any(reason.startswith("case_withdrawn") for reason in report.rejected_reasons)
    assert server_documents(env, DEMO_USER)[("case", kept)]["origin_note"] == "Vanlig ändring"
    assert server_documents(env, OTHER_USER)[("case", moved)]["origin_note"] != "Skrivet efter flytten"
    assert report.withdrawn_removed == 1


def test_another_units_case_never_assigned_to_me_is_still_forbidden(env: Env, tmp_path: Path) -> None:
    outsider = env.enroll(OTHER_USER, "laptop-other")
    case = assigned_cases(env, DEMO_USER)[0]
    once_theirs = assigned_cases(env, DEMO_USER)[1]["case_id"]
    with connect(env.database_url) as conn:  # OTHER_USER once had another case: the rule is per user AND case
        central.assign_case(conn, once_theirs, OTHER_UNIT, OTHER_USER)
        central.assign_case(conn, once_theirs, DEMO_UNIT, DEMO_USER)
    answer = outsider.push([outsider.change(case["case_id"], "origin_note", "intrång", 0)])
    assert answer.status_code == 403


def test_a_person_edit_made_before_the_move_is_delivered_too(env: Env, tmp_path: Path) -> None:
    mine = make_laptop(env, tmp_path / "a", DEMO_USER)
    mine.sync()
    cases = assigned_cases(env, DEMO_USER)
    persons = [c["person_id"] for c in cases]
    case = next(c for c in cases if persons.count(c["person_id"]) == 1)  # no other case keeps the person reachable
    person = mine.profile.people.load(case["person_id"])
    person.phone = "070-000 00 00"
    mine.profile.people.save(person)
    _assign(env, case["case_id"], OTHER_UNIT, OTHER_USER)
    report = mine.sync()
    assert report.applied == 1 and report.rejected == 0 and report.withdrawn_removed == 1
    assert server_documents(env, OTHER_USER)[("person", case["person_id"])]["phone"] == "070-000 00 00"
    with pytest.raises(RecordNotFound):
        mine.profile.people.load(case["person_id"])


def test_after_the_late_delivery_window_edits_are_refused_per_op_not_the_whole_push(env: Env, tmp_path: Path) -> None:
    mine = make_laptop(env, tmp_path / "a", DEMO_USER)
    mine.sync()
    moved, kept = (c["case_id"] for c in assigned_cases(env, DEMO_USER)[:2])
    late_note = "Skrivet innan flytten, men länge offline"
    edit_case(mine.profile, moved, origin_note=late_note)
    edit_case(mine.profile, kept, origin_note="Vanlig ändring")
    _assign(env, moved, OTHER_UNIT, OTHER_USER)
    env.sql("UPDATE case_withdrawals SET withdrawn_at = now() - interval '31 days'")  # the laptop was away long
    report = mine.sync()
    assert report.applied == 1 and report.rejected == 1
    assert server_documents(env, OTHER_USER)[("case", moved)]["origin_note"] != late_note


def test_a_backdated_op_cannot_read_or_overwrite_what_the_new_unit_wrote(env: Env) -> None:
    old = env.enroll(DEMO_USER, "laptop-old")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    _assign(env, case_id, OTHER_UNIT, OTHER_USER)
    with connect(env.database_url) as conn:
        central.central_write(conn, OTHER_UNIT, "case", case_id, {"origin_note": "Nya enhetens anteckning"})
    forged = old.change(case_id, "origin_note", "x", 0).model_copy(update={"hlc": f"{1:013d}-0000-{old.device_id}"})
    answer = old.push([forged]).json()["results"][0]
    assert answer["status"] == "rejected" and answer["server_value"] is None and answer["server_version"] is None
    too_new = old.change(case_id, "origin_note", "x", 10_000).model_copy(
        update={"hlc": f"{1:013d}-0000-{old.device_id}"})  # based on a version the old laptop cannot have seen
    assert old.push([too_new]).json()["results"][0]["status"] == "rejected"
    assert server_documents(env, OTHER_USER)[("case", case_id)]["origin_note"] == "Nya enhetens anteckning"


def test_an_edit_before_the_move_that_meets_the_new_units_edit_is_refused_and_told(env: Env, tmp_path: Path) -> None:
    mine = make_laptop(env, tmp_path / "a", DEMO_USER)
    mine.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    edit_case(mine.profile, case_id, origin_note="Skrivet innan flytten")
    _assign(env, case_id, OTHER_UNIT, OTHER_USER)
    with connect(env.database_url) as conn:
        central.central_write(conn, OTHER_UNIT, "case", case_id, {"origin_note": "Nya enhetens text"})
    report = mine.sync()
    assert report.rejected == 1 and mine.profile.sync.conflicts() == []  # no other unit's text on this laptop
    assert report.withdrawn_removed == 1
    assert server_documents(env, OTHER_USER)[("case", case_id)]["origin_note"] == "Nya enhetens text"


def test_reassigning_while_a_push_holds_the_case_waits_instead_of_deadlocking(env: Env) -> None:
    import threading
    import time

    from sync.server.ordering import lock_change_log

    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    failures: list[BaseException] = []
    with connect(env.database_url) as push:
        push.execute("SELECT 1 FROM records WHERE record_type = 'case' AND record_id = %s FOR UPDATE", (case_id,))

        def assign() -> None:
            try:
                _assign(env, case_id, OTHER_UNIT, OTHER_USER)
            except BaseException as exc:
                failures.append(exc)

        thread = threading.Thread(target=assign)
        thread.start()
        deadline = time.monotonic() + 30
        while not env.sql("SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
                          " AND wait_event_type = 'Lock'"):  # until the reassignment waits for a lock
            assert thread.is_alive() and time.monotonic() < deadline, "the reassignment never waited for the push"
            time.sleep(0.01)
        lock_change_log(push)  # what a push takes last; with the old order this was a deadlock
        push.commit()
        thread.join(30)
    assert failures == [] and not thread.is_alive()
    assert env.sql("SELECT assigned_user_id FROM case_access WHERE case_id = %s", (case_id,))[0][
        "assigned_user_id"] == OTHER_USER


def test_a_case_moved_between_two_pages_of_one_local_commit_still_leaves(env: Env, tmp_path: Path) -> None:
    from sync.client.pull import pull_changes
    from sync.progress import SyncReport

    mine = make_laptop(env, tmp_path / "a", DEMO_USER)
    mine.sync()
    cases = [c["case_id"] for c in assigned_cases(env, DEMO_USER)]
    moved = cases[0]
    with connect(env.database_url) as conn:
        for case_id in cases[:4]:
            central.central_write(conn, DEMO_UNIT, "case", case_id, {"origin_note": "ändrad centralt"})
    real_post, pages = mine.session.post, []

    def post(path: str, body: object, answer_type: object) -> object:
        answer = real_post(path, body, answer_type)
        pages.append(answer)
        if len(pages) == 1:  # reassigned while the laptop is between two pages of one group
            _assign(env, moved, OTHER_UNIT, OTHER_USER)
        return answer

    mine.session.post = post  # type: ignore[method-assign]
    report = SyncReport()
    pull_changes(mine.session, mine.profile, report, page_size=1, pages_per_commit=5)
    assert moved in {c.record_id for c in pages[0].changes} and report.withdrawn_removed == 1
    with mine.profile._db.reading() as connection:  # no hidden half-built copy left behind either
        assert connection.execute("SELECT count(*) FROM cases WHERE id = ?", (moved,)).fetchone()[0] == 0
    assert mine.profile.withdrawals.is_removed(moved)
