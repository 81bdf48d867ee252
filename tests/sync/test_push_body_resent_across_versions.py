"""The push body SQLite makes from the journal (``ChangeJournal.encoded_pending``) is the JSON the body built from
``FieldChange`` objects was, value for value: an entry pushed by one and resent by the other after its answer was
lost is ``duplicate`` on the real server (same content hash), never a conflict, a rejection or a second apply.

Values of every kind a person can type or pick: quotes, backslashes, U+2028/2029, emoji, control characters, empty
text, long text, floats (-0.0, 0.1 + 0.2, 1e-07), nested elements set whole, and removes. And a laptop killed
(SIGKILL) inside the recording of an answer (also in the middle of the usual answer's own path, with or without an
fsync) resends that answer's entries and records them as ``duplicate``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sync_support import PASSPHRASE, REPO, Env, Laptop, assert_exactly_once_and_converged, make_laptop

from ibic.decisions import Proposal, Scope
from ibic.limits import LONG_TEXT_MAX
from storage.profile import unlock_profile
from sync.client.push import _EncodedPush, push_pending
from sync.progress import SyncReport
from sync.protocol import MAX_BODY_BYTES, PushRequest, PushResponse
from sync.server.dev import DEMO_USER

AWKWARD = ('Citat "så" \\ och \\" \\\\u0041 \t flik\nrad\r\u2028\u2029 \U0001f600 \x01\x1f\x7f \u00e5\u0308'
           ' </script> slut')


def _edits(laptop: Laptop) -> set[str]:
    """Entries of every kind on two cases; returns their op ids."""
    first, second = (s.case_id for s in laptop.profile.cases.list_summaries()[:2])
    case = laptop.profile.cases.load(first)
    case.origin_note = AWKWARD + "x" * 150_000
    case.caseworker = ""
    case.proposals = [*case.proposals, Proposal(scope=Scope(amount=-0.0), motivation=AWKWARD),
                      Proposal(scope=Scope(amount=0.1 + 0.2)), Proposal(scope=Scope(amount=1e-07))]
    laptop.profile.cases.save(case)
    case = laptop.profile.cases.load(first)
    case.proposals = case.proposals[:-1]  # a remove
    case.proposals[-1].scope.amount = 9999.999999999998
    laptop.profile.cases.save(case)
    case = laptop.profile.cases.load(second)
    case.chosen_provider = "\u2028"
    laptop.profile.cases.save(case)
    pending = laptop.profile.journal.pending(limit=1000)
    assert {change.op for change in pending} == {"set", "remove"}
    return {change.op_id for change in pending}


def _old_body(laptop: Laptop) -> PushRequest:
    """The request as the push built it before (383e90d): ``FieldChange`` objects, dumped by pydantic."""
    return PushRequest(changes=laptop.profile.journal.pending(limit=1000))


def _new_body(laptop: Laptop) -> PushRequest:
    return _EncodedPush.of(laptop.profile.journal.encoded_pending(limit=1000))


def _resent(env: Env, tmp_path: Path, first: Callable[[Laptop], PushRequest],
            second: Callable[[Laptop], PushRequest]) -> None:
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    expected = _edits(a)
    answer = a.session.post("/v1/push", first(a), PushResponse)  # the answer is lost: nothing recorded
    assert {r.status for r in answer.results} == {"applied"} and len(answer.results) == len(expected)
    assert a.profile.journal.pending_count() == len(expected)
    again = a.session.post("/v1/push", second(a), PushResponse)
    assert [(r.op_id, r.status, r.new_version) for r in again.results] == [
        (r.op_id, "duplicate", r.new_version) for r in answer.results]
    report = SyncReport()
    push_pending(a.session, a.profile, report)  # the new code records the duplicates
    assert (report.pushed, report.applied, report.duplicates, report.conflicts, report.rejected) == (
        len(expected), 0, len(expected), 0, 0)
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    case = a.profile.cases.load(a.profile.cases.list_summaries()[0].case_id)
    assert case.origin_note.startswith(AWKWARD)


def test_an_entry_pushed_by_the_old_body_and_resent_by_the_new_one_is_a_duplicate(env: Env, tmp_path: Path) -> None:
    _resent(env, tmp_path, _old_body, _new_body)


def test_an_entry_pushed_by_the_new_body_and_resent_by_the_old_one_is_a_duplicate(env: Env, tmp_path: Path) -> None:
    _resent(env, tmp_path, _new_body, _old_body)


KILLED_WHILE_RECORDING = """
import sys, threading
from pathlib import Path
import storage.sync_state as sync_state
from storage.profile import unlock_profile
from sync.client.engine import open_session
from sync.progress import SyncReport
from sync.client.push import push_pending
profile = unlock_profile(Path(sys.argv[1]), sys.argv[2])
session = open_session(profile)
record, calls = sync_state.record_outcomes, []
def recorded_then_killed(connection, outcomes, **options):
    record(connection, outcomes, **options)  # written in the transaction, never committed: the parent kills it
    calls.append(len(outcomes))
    if len(calls) == int(sys.argv[3]):
        print("recorded", flush=True)
        threading.Event().wait()
sync_state.record_outcomes = recorded_then_killed
push_pending(session, profile, SyncReport(), batch_size=2)
print("finished", flush=True)
"""


def test_a_laptop_killed_while_recording_an_answer_resends_and_gets_duplicates(env: Env, tmp_path: Path) -> None:
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    expected = _edits(a)
    a.profile.lock()
    child = subprocess.Popen([sys.executable, "-c", KILLED_WHILE_RECORDING, str(a.directory), PASSPHRASE, "2"],
                             cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "recorded"
    child.send_signal(signal.SIGKILL)
    child.wait()
    profile = unlock_profile(a.directory, PASSPHRASE)
    try:
        left = profile.journal.pending_count()
        assert 0 < left < len(expected)  # the first answer was committed, the second was not
        report = SyncReport()
        push_pending(a.session, profile, report)
        assert (report.applied + report.duplicates, report.conflicts, report.rejected) == (left, 0, 0)
        assert report.duplicates >= 1  # the answer lost with the kill: applied once, answered duplicate now
        assert_exactly_once_and_converged(env, profile.device_id, expected, Laptop(profile, a.session, a.directory))
    finally:
        profile.lock()


KILLED_INSIDE_THE_SETTLED_PATH = """
import sys, threading
from pathlib import Path
import storage.push_outcomes as push_outcomes
from storage.profile import unlock_profile
from sync.client.engine import open_session
from sync.progress import SyncReport
from sync.client.push import push_pending
profile = unlock_profile(Path(sys.argv[1]), sys.argv[2])
session = open_session(profile)
still_pending, calls = push_outcomes._still_pending, []
def acknowledged_then_killed(connection, keys):  # the settled path's entries acknowledged, no version moved yet
    calls.append(connection.execute("PRAGMA synchronous").fetchone()[0])
    if len(calls) == int(sys.argv[3]):
        print("inside", calls[-1], flush=True)
        threading.Event().wait()
    return still_pending(connection, keys)
push_outcomes._still_pending = acknowledged_then_killed
push_pending(session, profile, SyncReport(), batch_size=2)
print("finished", flush=True)
"""


def test_a_laptop_killed_inside_the_settled_recording_of_an_answer_that_rebases_resends_it(env: Env,
                                                                                          tmp_path: Path) -> None:
    """The first answer settles two entries of a case whose other entries are still pending: its recording
    without an fsync is refused (``RebaseNotDurable``) and made again with one. A SIGKILL in the middle of the
    settled path (``push_outcomes._record_settled``), in either transaction, keeps none of it: the next push sends
    every entry again, the ones the server holds come back ``duplicate``, and both sides end equal."""
    for kill_at, synchronous in ((1, "1"), (2, "2")):  # NORMAL: the attempt without an fsync; FULL: the retry
        a = make_laptop(env, tmp_path / f"a{kill_at}", DEMO_USER)
        a.sync()
        expected = _edits(a)
        a.profile.lock()
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_INSIDE_THE_SETTLED_PATH, str(a.directory), PASSPHRASE, str(kill_at)],
            cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert child.stdout is not None
        assert child.stdout.readline().split() == ["inside", synchronous]
        child.send_signal(signal.SIGKILL)
        child.wait()
        profile = unlock_profile(a.directory, PASSPHRASE)
        try:
            assert profile.journal.pending_count() == len(expected)
            report = SyncReport()
            push_pending(a.session, profile, report)
            assert (report.applied + report.duplicates, report.conflicts, report.rejected) == (len(expected), 0, 0)
            assert report.duplicates >= 2  # the first batch, applied by the server before the kill
            assert_exactly_once_and_converged(env, profile.device_id, expected, Laptop(profile, a.session,
                                                                                     a.directory))
        finally:
            profile.lock()


def test_long_texts_filling_a_batch_past_the_servers_body_limit_go_in_more_requests(env: Env, tmp_path: Path) -> None:
    """Eleven long texts of one case (200,000 characters each, the most a long text holds; 800 KB as UTF-8) are
    9 MB of changes: one request of them was refused with 413 at every sync, and the case never reached the server."""
    long_text = "\U0001f600" * LONG_TEXT_MAX
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    case = a.profile.cases.load(a.profile.cases.list_summaries()[0].case_id)
    case.origin_note = long_text
    investigation = case.investigation
    investigation.situation = investigation.information_given = long_text
    factors = investigation.related_factors
    factors.health_condition = factors.body_functions = factors.environment = factors.personal_factors = long_text
    for area_id in ("d4", "d5"):
        assessment = investigation.ensure_assessment(area_id)
        assessment.own_description = assessment.assessment = long_text
    a.profile.cases.save(case)
    expected = {change.op_id for change in a.profile.journal.pending(limit=1000)}
    assert len(a.profile.journal.encoded_pending(limit=1000).changes.encode()) > MAX_BODY_BYTES
    report = SyncReport()
    push_pending(a.session, a.profile, report)
    assert (report.pushed, report.applied, report.conflicts, report.rejected) == (len(expected), len(expected), 0, 0)
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
