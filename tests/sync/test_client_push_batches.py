"""A push of many batches: the laptop reads the next batch and records the last answer while the server applies
the batch on the wire, and independent batches are on the server side by side (sync/client/push.py). Every entry
reaches the server once, each record's in journal order, and a connection cut anywhere in the conversation loses
nothing and applies nothing twice."""

from __future__ import annotations

import functools
import gc
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from pathlib import Path

import pytest
from fault_proxy import Fault, FaultProxy
from sync_support import (
    Env,
    Laptop,
    assert_exactly_once_and_converged,
    edit_case,
    make_laptop,
    pushed_op_ids,
    server_documents,
)

import sync.client.engine as engine
import sync.client.push as push_module
from sync.client.push import push_pending
from sync.errors import DeviceRevoked, Offline
from sync.progress import SyncReport
from sync.server.dev import DEMO_USER

BATCH = 1  # one entry a batch: with the edits below, both the overlapped and the re-read step are taken


def _push(laptop: Laptop) -> SyncReport:
    report = SyncReport()
    push_pending(laptop.session, laptop.profile, report, batch_size=BATCH)
    return report


def _edit(laptop: Laptop, round_number: int) -> set[str]:
    """Two cases, two edits each: a batch follows one of the same case (re-read) and one of the other (overlapped)."""
    first, second = (s.case_id for s in laptop.profile.cases.list_summaries()[:2])
    edit_case(laptop.profile, first, origin_note=f"Anteckning {round_number}")
    edit_case(laptop.profile, first, chosen_provider=f"Utförare {round_number}")
    edit_case(laptop.profile, second, origin_note=f"Anteckning {round_number}")
    edit_case(laptop.profile, second, chosen_provider=f"Utförare {round_number}")
    return {change.op_id for change in laptop.profile.journal.pending(limit=10_000)}


def test_many_batches_reach_the_server_once_each_record_in_journal_order(env: Env, tmp_path: Path) -> None:
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    expected = _edit(a, 1)
    pending = a.profile.journal.pending(limit=10_000)
    journal_order = [change.op_id for change in pending]
    assert len(journal_order) == 4
    report = _push(a)
    logged = [r["op_id"] for r in env.sql(
        "SELECT op_id FROM change_log WHERE device_id = %s ORDER BY seq", (a.profile.device_id,))]
    assert sorted(logged) == sorted(journal_order)
    for record_id in {change.record_id for change in pending}:  # two records' batches may be applied side by side
        ops = {change.op_id for change in pending if change.record_id == record_id}
        assert [op for op in logged if op in ops] == [op for op in journal_order if op in ops]
    assert (report.pushed, report.applied, report.conflicts, report.rejected) == (len(journal_order),) * 2 + (0, 0)
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    for summary in a.profile.cases.list_summaries()[:2]:
        case = a.profile.cases.load(summary.case_id)
        assert (case.origin_note, case.chosen_provider) == ("Anteckning 1", "Utförare 1")


def test_a_batched_push_cut_at_any_point_applies_every_entry_once(env: Env, tmp_path: Path) -> None:
    proxy = FaultProxy(env.config.port).start()
    try:
        a = make_laptop(env, tmp_path / "a", DEMO_USER, base_url=f"http://127.0.0.1:{proxy.port}")
        a.sync()
        expected = _edit(a, 0)
        proxy.arm(Fault())
        _push(a)  # one clean batched push measures how many bytes it carries each way
        total_up, total_down = proxy.counted["up"], proxy.counted["down"]
        offsets = [("up", total_up * k // 7) for k in range(1, 7)] + [("down", total_down * k // 7) for k in range(7)]
        for round_number, (direction, offset) in enumerate(offsets, start=1):
            expected |= _edit(a, round_number)
            proxy.arm(Fault(direction, offset))  # type: ignore[arg-type]
            _push(a)
        assert proxy.cuts == len(offsets)
        a.sync()
        assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    finally:
        proxy.stop()


def test_typing_while_a_push_is_in_flight_is_sent_by_the_next_push(env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An entry a push has read is on its way under its op id: typing on in its field must not change it in place
    (the server would apply the old text and acknowledge the op id), but write a new entry the next push sends."""
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    case_id = a.profile.cases.list_summaries()[0].case_id
    edit_case(a.profile, case_id, origin_note="Skrivet före hämtningen")
    [first] = a.profile.journal.pending(limit=10_000)
    post = a.session.post
    typed: list[str] = []

    def post_while_typing(path, message, answer):  # type: ignore[no-untyped-def]
        if path == "/v1/push" and not typed:  # the batch holding ``first`` has been read and is being sent
            edit_case(a.profile, case_id, origin_note="Skrivet medan den skickades")
            typed.append(path)
        return post(path, message, answer)

    monkeypatch.setattr(a.session, "post", post_while_typing)
    _push(a)
    monkeypatch.setattr(a.session, "post", post)
    assert typed
    a.sync()
    with a.profile._db.reading() as connection:
        ops = {row[0] for row in connection.execute(
            "SELECT op_id FROM journal WHERE record_id = ? AND path = 'origin_note'", (case_id,))}
    assert first.op_id in ops and len(ops) == 2  # the entry sent, and the one typed while it was on its way
    assert_exactly_once_and_converged(env, a.profile.device_id, ops, a)
    assert a.profile.cases.load(case_id).origin_note == "Skrivet medan den skickades"
    assert server_documents(env, DEMO_USER)[("case", case_id)]["origin_note"] == "Skrivet medan den skickades"


def _watched_posts(laptop: Laptop, monkeypatch, hold_first: bool) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """Record each push request's start and end; with ``hold_first``, the first waits until the second has started
    (``("overlapped", 1)`` if it did, ``("overlapped", 0)`` if not within 20 s: the second waited for its answer)."""
    post = laptop.session.post
    events: list[tuple[str, int]] = []
    second_started = threading.Event()
    lock = threading.Lock()

    def watched(path, message, answer):  # type: ignore[no-untyped-def]
        if path != "/v1/push":
            return post(path, message, answer)
        with lock:
            number = sum(1 for event, _ in events if event == "start")
            events.append(("start", number))
        if number == 1:
            second_started.set()
        if hold_first and number == 0:
            overlapped = second_started.wait(timeout=20)
            with lock:
                events.append(("overlapped", int(overlapped)))
        try:
            return post(path, message, answer)
        finally:
            with lock:
                events.append(("end", number))

    monkeypatch.setattr(laptop.session, "post", watched)
    return events


def _two_cases_noted(env: Env, tmp_path: Path, first_note: str, second_note: str) -> tuple[Laptop, str, str, set[str]]:
    """A synced laptop with a new note in each of two cases: the laptop, the two case ids, the pending op ids."""
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    first, second = (s.case_id for s in a.profile.cases.list_summaries()[:2])
    edit_case(a.profile, first, origin_note=first_note)
    edit_case(a.profile, second, origin_note=second_note)
    return a, first, second, {change.op_id for change in a.profile.journal.pending(limit=10_000)}


def test_two_cases_batches_are_on_the_server_side_by_side(env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The second batch (another case's note) is sent before the first is answered, and both apply once."""
    note = "Första fallets anteckning \u2028 med radavgränsare"
    a, first, second, expected = _two_cases_noted(env, tmp_path, note, "")
    events = _watched_posts(a, monkeypatch, hold_first=True)
    report = _push(a)
    assert ("overlapped", 1) in events
    assert (report.pushed, report.applied) == (2, 2)
    monkeypatch.undo()
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    documents = server_documents(env, DEMO_USER)
    assert documents[("case", first)]["origin_note"] == note
    assert documents[("case", second)]["origin_note"] == ""


def test_a_batch_touching_a_person_waits_for_the_answer_before_it(env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A person's access comes from its cases' links: a batch with a person's field is never beside another."""
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    first, second = a.profile.cases.list_summaries()[:2]
    edit_case(a.profile, first.case_id, origin_note="Anteckning före personen")
    person = a.profile.people.load(a.profile.cases.load(second.case_id).person_id)
    person.phone = "+46 70-000 00 00"
    a.profile.people.save(person)
    expected = {change.op_id for change in a.profile.journal.pending(limit=10_000)}
    assert len(expected) == 2
    events = _watched_posts(a, monkeypatch, hold_first=False)
    report = _push(a)
    assert events == [("start", 0), ("end", 0), ("start", 1), ("end", 1)]
    assert (report.pushed, report.applied) == (2, 2)
    monkeypatch.undo()
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)


def _watched_pool(monkeypatch) -> tuple[list[Future[object]], threading.Event]:  # type: ignore[no-untyped-def]
    """The push's requests as futures, in the order sent, and an event set once two are."""
    submitted: list[Future[object]] = []
    both_submitted = threading.Event()

    class Watched(ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
            future = super().submit(fn, *args, **kwargs)
            submitted.append(future)
            if len(submitted) == 2:
                both_submitted.set()
            return future

    monkeypatch.setattr(push_module, "ThreadPoolExecutor", Watched)
    return submitted, both_submitted


def _counted_recordings(laptop: Laptop, monkeypatch) -> tuple[list[list[str]], threading.Event]:  # type: ignore[no-untyped-def]
    """The op ids of each recording of push answers, in the order recorded, and an event set once one is."""
    recordings: list[list[str]] = []
    one_recorded = threading.Event()
    record = laptop.profile.sync.record_push_outcomes

    def counted(outcomes):  # type: ignore[no-untyped-def]
        record(outcomes)
        recordings.append([outcome.op_id for outcome in outcomes])
        one_recorded.set()

    monkeypatch.setattr(laptop.profile.sync, "record_push_outcomes", counted)
    return recordings, one_recorded


def test_the_batch_beside_answered_first_is_recorded_while_the_first_is_on_the_server(
        env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two batches side by side, the second answered first: its answer is recorded at once, not after the first's
    (the last recording is on the push's critical path: only the first's answer is then left to record)."""
    a, _, _, expected = _two_cases_noted(env, tmp_path, "Första, besvarad sist", "Andra, besvarad först")
    first_op, second_op = (change.op_id for change in a.profile.journal.pending(limit=10))
    recordings, one_recorded = _counted_recordings(a, monkeypatch)
    post = a.session.post
    first_sent = threading.Event()
    seen_before_first_answer: list[list[list[str]]] = []

    def first_answered_after_the_second_is_recorded(path, message, answer):  # type: ignore[no-untyped-def]
        if path != "/v1/push" or first_sent.is_set():
            return post(path, message, answer)
        first_sent.set()
        answered = post(path, message, answer)
        one_recorded.wait(timeout=10)  # the second's answer recorded (before s18-pushlap: never, the push waited)
        seen_before_first_answer.append(list(recordings))
        return answered

    monkeypatch.setattr(a.session, "post", first_answered_after_the_second_is_recorded)
    report = _push(a)
    assert seen_before_first_answer == [[[second_op]]]
    assert recordings == [[second_op], [first_op]]
    assert (report.pushed, report.applied) == (2, 2)
    monkeypatch.undo()
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    assert a.profile.journal.pending(limit=10) == []


def test_two_batches_answered_together_are_recorded_in_one_transaction(env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """When the batch beside the first is answered by the time the push looks (here: it looks once both are
    answered), both answers are recorded at once."""
    a, _, _, expected = _two_cases_noted(env, tmp_path, "Första, besvarad sist", "Andra, besvarad först")
    monkeypatch.setattr(push_module, "wait", lambda futures, return_when: futures_wait(futures))
    submitted, both_submitted = _watched_pool(monkeypatch)
    post = a.session.post
    second_sent = threading.Event()

    def first_answered_last(path, message, answer):  # type: ignore[no-untyped-def]
        if path != "/v1/push" or second_sent.is_set():
            return post(path, message, answer)
        second_sent.set()
        answered = post(path, message, answer)
        assert both_submitted.wait(timeout=20)
        assert futures_wait([submitted[1]], timeout=20).done  # the second's answer is in before the first's
        return answered

    recordings, _ = _counted_recordings(a, monkeypatch)
    monkeypatch.setattr(a.session, "post", first_answered_last)
    report = _push(a)
    assert [len(ops) for ops in recordings] == [2]
    assert (report.pushed, report.applied) == (2, 2)
    monkeypatch.undo()
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)


def test_a_request_cut_beside_another_leaves_that_one_to_finish(env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two batches on the wire on one shared client: the first's connection is cut, the second's answer is on its
    way. The first is sent again on a new client; the second's request is not aborted (the old client is closed
    once it is done), so it is not sent again and answered ``duplicate``."""
    proxy = FaultProxy(env.config.port).start()
    try:
        a = make_laptop(env, tmp_path / "a", DEMO_USER, base_url=f"http://127.0.0.1:{proxy.port}")
        a.sync()
        first, second = (s.case_id for s in a.profile.cases.list_summaries()[:2])
        edit_case(a.profile, first, origin_note="Första, avbruten")
        edit_case(a.profile, second, origin_note="Andra, besvarad")
        expected = {change.op_id for change in a.profile.journal.pending(limit=10)}
        release = threading.Event()
        post = a.session.post
        calls: list[int] = []

        def first_cut_while_second_answers(path, message, answer):  # type: ignore[no-untyped-def]
            if path == "/v1/push" and not calls:
                calls.append(0)
                assert proxy.holding.wait(20)  # the second batch is applied, its answer held on its connection
                proxy.arm(Fault("up", 50))
            return post(path, message, answer)

        def sleep(seconds: float) -> None:  # the first batch's retry: the second's answer goes on now
            release.set()
            time.sleep(seconds)

        proxy.hold_next_answer(release)
        monkeypatch.setattr(a.session, "post", first_cut_while_second_answers)
        monkeypatch.setattr(a.session.transport, "_sleep", sleep)
        report = SyncReport()
        push_pending(a.session, a.profile, report, batch_size=1)
        assert proxy.cuts == 1
        assert (report.applied, report.duplicates) == (2, 0)
        monkeypatch.undo()
        assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    finally:
        release.set()
        proxy.stop()


def _three_cases_noted(env: Env, tmp_path: Path) -> tuple[Laptop, list[str]]:
    """A synced laptop with a new note in each of three cases: the laptop and the pending op ids in journal order
    (one a batch: the first two go side by side, the third after them)."""
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    for index, summary in enumerate(a.profile.cases.list_summaries()[:3]):
        edit_case(a.profile, summary.case_id, origin_note=f"Anteckning {index}")
    return a, [change.op_id for change in a.profile.journal.pending(limit=10)]


def _pending_ops(laptop: Laptop) -> set[str]:
    return {change.op_id for change in laptop.profile.journal.pending(limit=10_000)}


def test_a_batch_refused_beside_one_applied_leaves_only_its_own_entries_pending(env: Env, tmp_path: Path,
                                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """IT retires the device while two batches are on the server: the second is applied, the first refused (410).
    The second's answer is recorded on the way out, so what keeps the profile from being wiped is only the work
    the server lacks (not the second batch, which it has)."""
    a, ops = _three_cases_noted(env, tmp_path)
    submitted, both_submitted = _watched_pool(monkeypatch)
    post = a.session.post

    def first_refused_after_second(path, message, answer):  # type: ignore[no-untyped-def]
        if path == "/v1/push" and pushed_op_ids(message) == ops[:1]:
            assert both_submitted.wait(timeout=20)
            assert futures_wait([submitted[1]], timeout=20).done
            assert submitted[1].exception() is None  # the second batch is applied
            env.sql("UPDATE devices SET status = 'retired' WHERE id = %s", (a.profile.device_id,))
        return post(path, message, answer)

    monkeypatch.setattr(a.session, "post", first_refused_after_second)
    monkeypatch.setattr(engine, "push_pending", functools.partial(push_pending, batch_size=BATCH))
    with pytest.raises(DeviceRevoked) as revoked:
        a.sync()
    assert (revoked.value.wiped, revoked.value.pending) == (False, 2)
    assert _pending_ops(a) == {ops[0], ops[2]}
    logged = {r["op_id"] for r in env.sql("SELECT op_id FROM change_log WHERE device_id = %s", (a.profile.device_id,))}
    assert logged == {ops[1]}


def test_no_batch_is_sent_beside_one_that_failed(env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The second of two side-by-side batches gets no answer (the connection drops at every retry) while the first
    is still on the server: the first's answer is recorded and the error goes up; the third batch is not sent
    beside the failed one (before, it was applied by the server and left pending here)."""
    a, ops = _three_cases_noted(env, tmp_path)
    submitted, both_submitted = _watched_pool(monkeypatch)
    post = a.session.post
    pushed: list[list[str]] = []

    def second_fails_first(path, message, answer):  # type: ignore[no-untyped-def]
        if path != "/v1/push":
            return post(path, message, answer)
        batch = pushed_op_ids(message)
        pushed.append(batch)
        if batch == ops[1:2]:
            raise Offline("no answer from the sync server")
        if batch == ops[:1]:
            assert both_submitted.wait(timeout=20)
            futures_wait([submitted[1]], timeout=20)
            assert submitted[1].exception() is not None
        return post(path, message, answer)

    monkeypatch.setattr(a.session, "post", second_fails_first)
    with pytest.raises(Offline):
        push_pending(a.session, a.profile, SyncReport(), batch_size=BATCH)
    assert sorted(pushed) == sorted([ops[:1], ops[1:2]])
    assert _pending_ops(a) == {ops[1], ops[2]}
    monkeypatch.undo()
    a.sync()
    assert_exactly_once_and_converged(env, a.profile.device_id, set(ops), a)


def test_a_retirement_in_the_answer_beside_a_failed_batch_is_acted_on_in_the_same_sync(
        env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """IT retires the device while two batches are on the server: the second is answered with its results and the
    retire instruction, the first gets no answer. The instruction takes effect in this sync (before, the batch's
    error went up alone and it waited for the next): the device is told it is retired, and the work the server
    lacks keeps the profile (nothing is wiped); the next sync pushes it and wipes."""
    from sync.server import central
    from sync.server.db import connect

    a, ops = _three_cases_noted(env, tmp_path)
    submitted, both_submitted = _watched_pool(monkeypatch)
    post = a.session.post

    def first_lost_second_retired(path, message, answer):  # type: ignore[no-untyped-def]
        batch = pushed_op_ids(message) if path == "/v1/push" else []
        if batch == ops[1:2]:
            with connect(env.database_url) as conn:
                central.revoke_device(conn, a.profile.device_id, "retire")  # IT, while the batch is sent
        if batch == ops[:1]:
            assert both_submitted.wait(timeout=20)
            futures_wait([submitted[1]], timeout=20)
            assert submitted[1].exception() is None  # the second is answered, with the instruction
            raise Offline("no answer from the sync server")
        return post(path, message, answer)

    monkeypatch.setattr(a.session, "post", first_lost_second_retired)
    monkeypatch.setattr(engine, "push_pending", functools.partial(push_pending, batch_size=BATCH))
    with pytest.raises(DeviceRevoked) as revoked:
        a.sync()
    assert (revoked.value.kind, revoked.value.wiped, revoked.value.pending) == ("retire", False, 2)
    assert _pending_ops(a) == {ops[0], ops[2]}  # the second's answer recorded; the rest kept
    monkeypatch.undo()
    with pytest.raises(DeviceRevoked) as revoked:
        a.sync()  # the work is pushed, then the profile wiped
    assert revoked.value.wiped
    logged = {r["op_id"] for r in env.sql("SELECT op_id FROM change_log WHERE device_id = %s", (a.profile.device_id,))}
    assert logged == set(ops)


def test_the_cycle_collector_is_held_back_during_a_push_and_as_before_after_it(env: Env, tmp_path: Path) -> None:
    """The push's answers hold no cycles: from its first progress report to its last the collector's young
    generation waits for ``YOUNG_COLLECTION`` new objects (here it would run at every allocation), and the
    thresholds are as before once it ends."""
    a, _ = _three_cases_noted(env, tmp_path)
    expected = _pending_ops(a)
    reports: list[int] = []
    collections: list[int] = []
    thresholds_in_push: list[tuple[int, ...]] = []

    def progress(step) -> None:  # type: ignore[no-untyped-def]
        reports.append(len(collections))
        thresholds_in_push.append(gc.get_threshold())

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and reports:
            collections.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.set_threshold(1, 1, 1)
    gc.callbacks.append(collected)
    try:
        push_pending(a.session, a.profile, SyncReport(), progress, batch_size=BATCH)
        after = gc.get_threshold()
    finally:
        gc.callbacks.remove(collected)
        gc.set_threshold(*thresholds)
    assert len(reports) >= 3 and reports[-1] == 0
    assert set(thresholds_in_push) == {(push_module.YOUNG_COLLECTION, 1, 1)}
    assert after == (1, 1, 1)
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)


def test_the_first_answer_is_recorded_when_the_batch_beside_it_came_back_unsettled(
        env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The second batch's answer comes first and settles none of its entries (a server answering without a result
    for them): the push stops with ``push_not_settled``, but only after the first batch's answer, which the server
    applied, is recorded (s18-pushlap: the unsettled entries were sent on before that recording, and the stop left
    the first's answer unrecorded: its entry pending, counted as waiting, pushed again)."""
    from sync.errors import ServerRejected

    a, _, _, _ = _two_cases_noted(env, tmp_path, "Första, besvarad sist", "Andra, besvarad utan resultat")
    first_op, second_op = (change.op_id for change in a.profile.journal.pending(limit=10))
    _, one_recorded = _counted_recordings(a, monkeypatch)
    post = a.session.post
    first_sent = threading.Event()

    def second_unsettled_and_first(path, message, answer):  # type: ignore[no-untyped-def]
        if path != "/v1/push":
            return post(path, message, answer)
        if not first_sent.is_set():
            first_sent.set()
            answered = post(path, message, answer)
            one_recorded.wait(timeout=20)  # the second's (empty) answer recorded first
            return answered
        return post(path, message, answer).model_copy(update={"results": []})

    monkeypatch.setattr(a.session, "post", second_unsettled_and_first)
    with pytest.raises(ServerRejected) as stopped:
        _push(a)
    assert stopped.value.code == "push_not_settled"
    monkeypatch.undo()
    assert [change.op_id for change in a.profile.journal.pending(limit=10)] == [second_op]
    assert a.profile.journal.pending_count() == 1
    logged = {r["op_id"] for r in env.sql("SELECT op_id FROM change_log WHERE device_id = %s",
                                          (a.profile.device_id,))}
    assert logged == {first_op, second_op}


def test_the_collector_is_as_before_after_overlapping_pushes_the_last_of_which_fails(
        env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two pushes overlap (two profiles in one process), the second ending last with a network error: the young
    threshold stays held back until the last push ends, and then is what it was before the first (not 700, not
    the held-back value the second found when it began)."""
    from sync.client.session import Session
    from sync.client.transport import RetryPolicy, Transport

    a, _, _, expected = _two_cases_noted(env, tmp_path / "first", "Första profilen", "")
    b = make_laptop(env, tmp_path / "b", DEMO_USER)
    b.sync()
    edit_case(b.profile, b.profile.cases.list_summaries()[0].case_id, origin_note="Andra profilen")
    with socket.socket() as closed:  # a port nobody listens on: the second profile's server is gone
        closed.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{closed.getsockname()[1]}"
    b.session = Session(Transport(gone, retry=RetryPolicy(attempts=3, base_seconds=0.05, cap_seconds=0.1)),
                        b.session.credentials)
    a_pushed, b_started = threading.Event(), threading.Event()
    seen: dict[str, tuple[int, ...]] = {}
    b_post, a_post = b.session.post, a.session.post

    def b_after_a(path, message, answer):  # type: ignore[no-untyped-def]
        b_started.set()
        assert a_pushed.wait(timeout=20)
        seen["b after a"] = gc.get_threshold()
        return b_post(path, message, answer)

    starting = threading.Lock()

    def a_beside_b(path, message, answer):  # type: ignore[no-untyped-def]
        with starting:  # the first of the first profile's requests (two go side by side) starts the second push
            if not other.is_alive() and not b_started.is_set():
                other.start()
        assert b_started.wait(timeout=20)
        return a_post(path, message, answer)

    failures: list[BaseException] = []

    def push_b() -> None:
        try:
            _push(b)
        except BaseException as error:  # looked at below
            failures.append(error)

    other = threading.Thread(target=push_b)
    monkeypatch.setattr(b.session, "post", b_after_a)
    monkeypatch.setattr(a.session, "post", a_beside_b)
    thresholds = gc.get_threshold()
    gc.set_threshold(650, 11, 12)
    try:
        report = _push(a)
        seen["a done"] = gc.get_threshold()
        a_pushed.set()
        other.join(timeout=60)
        after = gc.get_threshold()
    finally:
        a_pushed.set()
        gc.set_threshold(*thresholds)
    assert not other.is_alive() and len(failures) == 1 and isinstance(failures[0], Offline)
    assert seen["a done"] == seen["b after a"] == (push_module.YOUNG_COLLECTION, 11, 12)
    assert after == (650, 11, 12)
    assert report.applied == 2
    monkeypatch.undo()
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    assert b.profile.journal.pending_count() == 1
