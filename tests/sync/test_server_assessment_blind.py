"""A life area's text set blind (its row merged into by its area key, not read first), over HTTP to a real server:
where the area is not in exactly one row the batch runs again with the rows read, and every answer, document, row
and change-log row is what the general path gives the same pushes (the blind path turned off on a twin case)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sync_support import (
    Device,
    Env,
    assigned_cases,
    backends_waiting_for_a_lock,
    creation_ops,
    new_case_document,
    new_person_document,
    version_of,
    waiting_on_the_change_log,
)

from ibic.investigation import LifeAreaAssessment
from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.ordering import CHANGE_LOG_LOCK


@pytest.fixture()
def env(env: Env) -> Iterator[Env]:
    with env.one_connection():
        yield env


@pytest.fixture()
def merges(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Each write's merged patches and whether they were each in one row (False: the batch ran again)."""
    from sync.server import assessment_rows  # the server runs in this process (ThreadServer)

    seen: list[tuple[int, bool]] = []
    real = assessment_rows.Writes.check_merged

    def check(self: Any, counts: list[int] | None) -> None:
        try:
            real(self, counts)
        except assessment_rows.NotInOneRow:
            seen.append((len(self.merges), False))
            raise
        if self.merges:
            seen.append((len(self.merges), True))

    monkeypatch.setattr(assessment_rows.Writes, "check_merged", check)
    return seen


def _area(area_id: str, text: str, **fields: Any) -> dict[str, Any]:
    return {**LifeAreaAssessment(area_id="d1", own_description=text, **fields).model_dump(mode="json"),
            "area_id": area_id}


def _document(env: Env, case_id: str) -> dict[str, Any]:
    return dict(env.sql("SELECT document FROM record_documents WHERE record_type = 'case' AND record_id = %s",
                        (case_id,))[0]["document"])


def _stored(env: Env, case_id: str, since: int) -> tuple[Any, ...]:
    """What a push stores of the case's investigation, versions counted from ``since``."""
    rows = [(r["position"], r["area_key"], r["value"]) for r in env.sql(
        "SELECT position, area_key, value FROM record_assessments WHERE record_type = 'case' AND record_id = %s"
        " ORDER BY position", (case_id,))]
    rows = [(position - rows[0][0], key, value) for position, key, value in rows]  # positions from the first row
    log = [(r["path"], r["op"], r["value"], r["version"] - since, r["device_id"]) for r in env.sql(
        "SELECT path, op, value, version, device_id FROM change_log WHERE record_type = 'case' AND record_id = %s"
        " AND version > %s ORDER BY seq", (case_id, since))]
    rest = env.sql("SELECT document_rest -> 'investigation' AS rest FROM records WHERE record_type = 'case'"
                   " AND record_id = %s", (case_id,))[0]["rest"]
    investigation = _document(env, case_id).get("investigation")
    return investigation, rows, log, rest, version_of(env, "case", case_id) - since


def _answer(result: dict[str, Any], since: int) -> tuple[Any, ...]:
    versions = tuple(None if result.get(k) is None else result[k] - since for k in ("new_version", "server_version"))
    return result["status"], result.get("reason"), result.get("server_value"), *versions


def _twins(env: Env, laptop: Device, areas: list[dict[str, Any]]) -> list[str]:
    """Two cases with the same investigation, its assessments ``areas`` in that order (set whole once each)."""
    cases = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:2]]
    same = {**_document(env, cases[0])["investigation"], "assessments": areas}
    for case_id in cases:
        answer = laptop.push([laptop.change(case_id, "investigation", same, version_of(env, "case", case_id))])
        assert answer.json()["results"][0]["status"] == "applied"
    return cases


def _same_as_the_general_path(
    env: Env, monkeypatch: pytest.MonkeyPatch, laptop: Device, cases: list[str], ops: list[tuple[str, Any, str]],
    *, before: Device | None = None, behind: bool = False,
) -> list[tuple[Any, ...]]:
    """``ops`` (path, value, op) pushed to the first case as is and to the second with the blind path off, each
    after ``before``'s edit of d1's need when given (the laptop's base before it when ``behind``): the same
    answers and the same stored; the answers returned."""
    from sync.server import assessment_rows

    real_set_alone = assessment_rows.set_alone
    answers, stored = [], []
    for case_id, blind in zip(cases, (True, False), strict=True):
        monkeypatch.setattr(assessment_rows, "set_alone", real_set_alone if blind else lambda *_: False)
        since = version_of(env, "case", case_id)
        if before is not None:
            edit = before.push([before.change(case_id, "investigation/assessments/d1/need", "Andra", since)])
            assert edit.json()["results"][0]["status"] == "applied"
        base = since if behind else version_of(env, "case", case_id)
        answer = laptop.push([laptop.change(case_id, path, value, base, op=op) for path, value, op in ops])
        assert answer.status_code == 200, answer.text
        answers.append([_answer(r, since) for r in answer.json()["results"]])
        stored.append(_stored(env, case_id, since))
    monkeypatch.setattr(assessment_rows, "set_alone", real_set_alone)
    assert answers[0] == answers[1]
    assert stored[0] == stored[1]
    return answers[0]


def test_a_text_of_an_area_the_case_does_not_hold_is_answered_as_the_general_path_does(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    cases = _twins(env, laptop, [_area("d4", "Om d4"), _area("d1", "Om d1")])

    answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        ("investigation/assessments/d1/own_description", "Ny d1", "set"),
        ("investigation/assessments/d9/own_description", "Nytt område", "set"),
    ])

    assert merges == [(2, False)]  # tried blind, d9 in no row: the batch again, its rows read
    assert [a[0] for a in answers] == ["applied", "rejected"]
    assert _document(env, cases[0])["investigation"]["assessments"][1]["own_description"] == "Ny d1"


def test_a_text_of_an_area_another_laptop_removed_is_answered_as_the_general_path_does(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    cases = _twins(env, laptop, [_area("d4", "Om d4"), _area("d1", "Om d1")])
    for case_id in cases:
        gone = other.push([other.change(case_id, "investigation/assessments/d1", None,
                                        version_of(env, "case", case_id), op="remove")])
        assert gone.json()["results"][0]["status"] == "applied"

    answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        ("investigation/assessments/d1/own_description", "Efter borttaget", "set")])

    assert merges == [(1, False)]
    assert answers[0][0] == "rejected"
    assert [a["area_id"] for a in _document(env, cases[0])["investigation"]["assessments"]] == ["d4"]


def test_an_area_removed_and_its_text_set_in_one_batch_is_not_set_blind(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    cases = _twins(env, laptop, [_area("d4", "Om d4"), _area("d1", "Om d1")])

    answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        ("investigation/assessments/d1", None, "remove"),
        ("investigation/assessments/d4/own_description", "Ny d4", "set"),
        ("investigation/assessments/d1/own_description", "Efter borttaget", "set"),
    ])

    assert merges == []
    assert [a[0] for a in answers] == ["applied", "applied", "rejected"]


def test_a_new_area_and_a_text_of_it_in_one_batch_are_answered_as_the_general_path_does(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    cases = _twins(env, laptop, [_area("d4", "Om d4")])

    answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        ("investigation/assessments/d7", _area("d7", ""), "set"),
        ("investigation/assessments/d7/own_description", "Nytt område", "set"),
    ])

    assert merges == []
    assert [a[0] for a in answers] == ["applied", "applied"]
    assert _document(env, cases[0])["investigation"]["assessments"][1] == _area("d7", "Nytt område")


def test_a_text_of_an_area_held_twice_goes_to_the_first_as_the_general_path_does(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    cases = _twins(env, laptop, [_area("d2", "Första"), _area("d4", "Om d4"), _area("d2", "Andra")])

    _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        ("investigation/assessments/d2/own_description", "Ändrad", "set")])

    assert merges == [(1, False)]  # two rows merged into: the batch again, its rows read
    texts = [a["own_description"] for a in _document(env, cases[0])["investigation"]["assessments"]]
    assert texts == ["Ändrad", "Om d4", "Andra"]


def test_a_text_beside_an_area_without_a_key_is_merged_blind_into_its_own_row_only(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    cases = _twins(env, laptop, [_area("", "Utan nyckel"), _area("d4", "Om d4"), _area("", "Också utan")])

    answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        ("investigation/assessments/d4/own_description", "Ny d4", "set"),
        ("investigation/assessments/d4/need", "Behov", "set")])

    assert merges == [(1, True)]  # one area, two fields: one row merged into, no second attempt
    assert [a[0] for a in answers] == ["applied", "applied"]
    assessments = _document(env, cases[0])["investigation"]["assessments"]
    assert [(a["area_id"], a["own_description"]) for a in assessments] == [
        ("", "Utan nyckel"), ("d4", "Ny d4"), ("", "Också utan")]
    assert assessments[1]["need"] == "Behov"


def test_a_text_behind_another_laptops_edit_of_its_area_conflicts_as_the_general_path_does(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    cases = _twins(env, laptop, [_area("d4", "Om d4"), _area("d1", "Om d1")])

    answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        ("investigation/assessments/d1/need", "Första", "set"),
        ("investigation/assessments/d4/own_description", "Ny d4", "set")], before=other, behind=True)

    assert merges == [(1, True)]  # the other laptop's edit; this one, behind the case's version, never blind
    assert answers[0] == ("conflict", "", "Andra", None, 1)
    assert answers[1][0] == "applied"


def test_a_batch_with_one_case_blind_and_one_area_missing_is_answered_whole_as_the_general_path_does(
    env: Env, merges: list[tuple[int, bool]]
) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    first, second = _twins(env, laptop, [_area("d4", "Om d4")])
    bases = [version_of(env, "case", c) for c in (first, second)]

    answer = laptop.push([
        laptop.change(first, "investigation/assessments/d4/own_description", "Ny d4", bases[0]),
        laptop.change(second, "investigation/assessments/d9/own_description", "Saknas", bases[1]),
    ])

    assert [r["status"] for r in answer.json()["results"]] == ["applied", "rejected"]
    assert merges == [(2, False)]
    assert _document(env, first)["investigation"]["assessments"][0]["own_description"] == "Ny d4"
    assert [version_of(env, "case", c) - b for c, b in zip((first, second), bases, strict=True)] == [1, 0]
    assert len(env.sql("SELECT 1 AS x FROM change_log WHERE record_id = %s AND version > %s", (first, bases[0]))) == 1


def test_a_text_the_document_checks_refuse_is_not_merged_and_answered_as_the_general_path_does(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    cases = _twins(env, laptop, [_area("d4", "Om d4")])

    answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        ("investigation/assessments/d4/own_description", {"inte": "text"}, "set"),
        ("investigation/assessments/d4/own_description", 12, "set")])

    assert merges == []
    assert [a[0] for a in answers] == ["rejected", "rejected"]
    assert "domain model" in answers[0][1]
    assert _document(env, cases[0])["investigation"]["assessments"][0]["own_description"] == "Om d4"


# Keys a path names exactly, by its characters (PostgreSQL's deterministic text equality, Python's ==): another case,
# the other Unicode form of one letter, a quote, a backslash, LIKE's wildcards and JSON-looking text are other areas.
_ODD_KEYS = ["D1", "d1", "\u00d6", "O\u0308x", "a'b\"c\\d", "%_", '{"area_id": "d1"}', "null", " d1"]


def test_area_keys_that_differ_in_case_or_unicode_form_or_hold_quotes_are_told_apart_as_the_general_path_does(
    env: Env, monkeypatch: pytest.MonkeyPatch, merges: list[tuple[int, bool]]
) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    cases = _twins(env, laptop, [_area(key, f"Om {key}") for key in _ODD_KEYS])

    answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
        (f"investigation/assessments/{key}/own_description", f"Ny {n}", "set") for n, key in enumerate(_ODD_KEYS)])

    assert merges == [(len(_ODD_KEYS), True)]  # each key in one row of its own: merged blind, not run again
    assert [a[0] for a in answers] == ["applied"] * len(_ODD_KEYS)
    stored = _document(env, cases[0])["investigation"]["assessments"]
    assert [(a["area_id"], a["own_description"]) for a in stored] == [
        (key, f"Ny {n}") for n, key in enumerate(_ODD_KEYS)]

    for near in ("\u00d6x", "o\u0308x", "d1 ", "%"):  # stored as O + U+0308 + x; as " d1"; a wildcard's "%_"
        merges.clear()
        answers = _same_as_the_general_path(env, monkeypatch, laptop, cases, [
            ("investigation/assessments/d1/need", f"Behov {near}", "set"),
            (f"investigation/assessments/{near}/own_description", "Inget sådant område", "set")])

        assert merges == [(2, False)]  # a key no row holds: the batch again, its rows read
        assert [a[0] for a in answers] == ["applied", "rejected"]
    assert [a.get("need") for a in _document(env, cases[0])["investigation"]["assessments"]] == [
        "Behov %" if key == "d1" else "" for key in _ODD_KEYS]


def _one_behind_the_other(env: Env, first: Callable[[], httpx.Response],
                          second: Callable[[], httpx.Response]) -> tuple[httpx.Response, httpx.Response]:
    """``first`` push held at its last step (its case locked, its rows written, the change log's lock taken
    elsewhere) while ``second`` waits for the case's lock; both answers once the first is let go."""
    answers: dict[str, httpx.Response] = {}
    with connect(env.database_url) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (CHANGE_LOG_LOCK,))
        threads = [threading.Thread(target=lambda: answers.update(first=first()))]
        threads[0].start()
        waiting_on_the_change_log(env, 1)
        threads.append(threading.Thread(target=lambda: answers.update(second=second())))
        threads[1].start()
        backends_waiting_for_a_lock(env, 2)  # the first at the change log, the second at the case's row
        holder.execute("SELECT pg_advisory_unlock(%s)", (CHANGE_LOG_LOCK,))
    for thread in threads:
        thread.join(timeout=60)
    return answers["first"], answers["second"]


def test_two_laptops_texts_of_one_area_side_by_side_keep_both_the_second_reading_the_first(
    env: Env, merges: list[tuple[int, bool]]
) -> None:
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    case_id = _twins(env, laptop, [_area("d4", "Om d4"), _area("d1", "Om d1")])[0]
    base = version_of(env, "case", case_id)

    first, second = _one_behind_the_other(
        env, lambda: laptop.push([laptop.change(case_id, "investigation/assessments/d1/own_description", "Först",
                                                base)]),
        lambda: other.push([other.change(case_id, "investigation/assessments/d1/need", "Sedan", base)]))

    assert [r["status"] for r in first.json()["results"]] == ["applied"]
    assert [r["status"] for r in second.json()["results"]] == ["applied"]  # another field: no conflict
    assert merges == [(1, True)]  # the first blind; the second, behind the version it waited for, reads its rows
    assert [(r["new_version"] - base) for r in (first.json()["results"][0], second.json()["results"][0])] == [1, 2]
    d1 = _document(env, case_id)["investigation"]["assessments"][1]
    assert (d1["own_description"], d1["need"]) == ("Först", "Sedan")
    assert [r["version"] - base for r in env.sql(
        "SELECT version FROM change_log WHERE record_id = %s AND version > %s ORDER BY seq", (case_id, base))] == [1, 2]


def test_a_text_waiting_for_a_batch_that_removes_its_area_is_refused_as_the_general_path_does(
    env: Env, merges: list[tuple[int, bool]]
) -> None:
    """Based on the version the batch it waits for leaves (a base the server has not reached yet is taken as it
    is): blind after the wait, and the row it would merge into gone when its write runs."""
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    case_id = _twins(env, laptop, [_area("d4", "Om d4"), _area("d1", "Om d1")])[0]
    base = version_of(env, "case", case_id)

    removed, text = _one_behind_the_other(
        env, lambda: other.push([other.change(case_id, "investigation/assessments/d1", None, base, op="remove")]),
        lambda: laptop.push([laptop.change(case_id, "investigation/assessments/d1/own_description", "För sent",
                                           base + 1)]))

    assert [r["status"] for r in removed.json()["results"]] == ["applied"]
    assert [r["status"] for r in text.json()["results"]] == ["rejected"]
    assert merges == [(1, False)]  # tried blind after the wait, no row: the batch again, its rows read
    assert [a["area_id"] for a in _document(env, case_id)["investigation"]["assessments"]] == ["d4"]
    assert env.sql("SELECT area_key FROM record_assessments WHERE record_id = %s", (case_id,)) == [
        {"area_key": "d4"}]
    assert version_of(env, "case", case_id) == base + 1
    assert len(env.sql("SELECT 1 AS x FROM change_log WHERE record_id = %s AND version > %s", (case_id, base))) == 1


def test_a_batch_creating_a_case_beside_a_text_of_a_missing_area_is_run_again_and_stores_the_case_once(
    env: Env, merges: list[tuple[int, bool]]
) -> None:
    """The first attempt (its case and person rows inserted, the new case's areas written as rows) is rolled back
    whole: the second stores each record, its access row and each op's change-log row once."""
    laptop = env.enroll(DEMO_USER, "laptop-one")
    blind_case = _twins(env, laptop, [_area("d4", "Om d4")])[0]
    base, stored = version_of(env, "case", blind_case), env.stored_counts()
    person = new_person_document()
    case = new_case_document(person["id"], investigation={"assessments": [_area("d1", "Ny i nytt ärende")]})
    batch = [*creation_ops(laptop, "person", person), *creation_ops(laptop, "case", case),
             laptop.change(case["id"], "investigation/assessments/d1/need", "Behov", 0),
             laptop.change(blind_case, "investigation/assessments/d4/own_description", "Ny d4", base),
             laptop.change(blind_case, "investigation/assessments/d9/own_description", "Saknas", base)]

    answer = laptop.push(batch)

    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == ["applied"] * (len(batch) - 1) + ["rejected"]
    assert merges == [(2, False)]  # the existing case's two areas tried blind, d9 in no row: the batch again
    after = env.stored_counts()
    assert {name: after[name] - stored[name] for name in ("records", "case_access", "applied_ops")} == {
        "records": 2, "case_access": 1, "applied_ops": len(batch) - 1}
    assert len(env.sql("SELECT 1 AS x FROM change_log WHERE op_id = ANY(%s)", ([c.op_id for c in batch],))) == len(
        batch) - 1
    created = _document(env, case["id"])["investigation"]["assessments"]
    assert [(a["area_id"], a["own_description"], a["need"]) for a in created] == [("d1", "Ny i nytt ärende", "Behov")]
    assert env.sql("SELECT area_key FROM record_assessments WHERE record_id = %s", (case["id"],)) == [
        {"area_key": "d1"}]
    assert _document(env, blind_case)["investigation"]["assessments"][0]["own_description"] == "Ny d4"
    assert [laptop.push(batch).json()["results"][i]["status"] for i in (0, len(batch) - 2)] == ["duplicate"] * 2
