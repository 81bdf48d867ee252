"""The push body SQLite makes from the journal (``ChangeJournal.encoded_pending``) is the JSON the body built from
``FieldChange`` objects was, value for value: an entry pushed by one and resent by the other after its answer was
lost is ``duplicate`` on the real server (same content hash), never a conflict, a rejection or a second apply.

Values of every kind a person can type or pick: quotes, backslashes, U+2028/2029, emoji, control characters, empty
text, long text, floats (-0.0, 0.1 + 0.2, 1e-07), nested elements set whole, and removes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sync_support import Env, Laptop, assert_exactly_once_and_converged, make_laptop

from ibic.decisions import Proposal, Scope
from sync.client.progress import SyncReport
from sync.client.push import _EncodedPush, push_pending
from sync.protocol import PushRequest, PushResponse
from sync.server.dev import DEMO_USER

AWKWARD = 'Citat "så" \\ och \\" \\\\u0041 \t flik\nrad\r\u2028\u2029 \U0001f600 \x01\x1f\x7f \u00e5\u0308 </script> slut'


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
