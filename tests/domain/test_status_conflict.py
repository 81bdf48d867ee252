"""The choice in a conflict on a case's status (ibic.status_conflict.kept_status, s34): the history rebuilt on the
server's, the laptop's held entries dropped or put after it; one's own status against a closing is a reopening by
its rule, refused with why and the server's status kept; a closing not pulled yet cannot be checked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ibic.cases import StatusChange
from ibic.status_conflict import ClosingNotHere, kept_status
from ibic.vocabulary import CaseStatus, ClosingReason

TODAY = date(2026, 11, 23)
ME, COLLEAGUE, CASEWORKER = "demo-user", "kollega.demo", "Handläggare Demo"
FOLLOWED = StatusChange(id="f", status=CaseStatus.IMPLEMENTATION, on=TODAY - timedelta(days=90))


def _closing(on: date = TODAY, by: str = ME) -> StatusChange:
    return StatusChange(id="c", status=CaseStatus.CLOSED, on=on, by=by, reason=ClosingReason.MOVED,
                        closed_from=CaseStatus.IMPLEMENTATION)


def _mine(status: CaseStatus, on: date = TODAY - timedelta(days=2), **fields: object) -> StatusChange:
    return StatusChange(id=f"m-{status.value}", status=status, on=on, by=ME, **fields)  # type: ignore[arg-type]


def _kept(history: list[StatusChange], held: list[StatusChange], server: CaseStatus, chosen: CaseStatus,
          user: str = ME) -> tuple[CaseStatus, list[tuple[str, CaseStatus]], object]:
    kept = kept_status(history, {h.id for h in held}, server, chosen, CASEWORKER, user, TODAY, 30)
    assert kept.history[len(kept.history) - len(kept.added):] == kept.added
    return kept.status, [(h.id[:2], h.status) for h in kept.history], kept.refused


def test_theirs_drops_the_held_entries_wherever_the_pull_put_them() -> None:
    mine = _mine(CaseStatus.INVESTIGATION)
    for history in ([FOLLOWED, mine, _closing()], [FOLLOWED, _closing(), mine]):
        assert _kept(history, [mine], CaseStatus.CLOSED, CaseStatus.CLOSED) == (
            CaseStatus.CLOSED, [("f", CaseStatus.IMPLEMENTATION), ("c", CaseStatus.CLOSED)], None)


def test_mine_against_a_closing_is_a_reopening_after_it_then_mine_dated_not_before_it() -> None:
    mine = _mine(CaseStatus.INVESTIGATION)
    kept = kept_status([FOLLOWED, mine, _closing()], {mine.id}, CaseStatus.CLOSED, CaseStatus.INVESTIGATION,
                       CASEWORKER, ME, TODAY, 30)
    assert kept.status == CaseStatus.INVESTIGATION and kept.refused is None
    assert [(h.status, h.on, h.by) for h in kept.history[1:]] == [
        (CaseStatus.CLOSED, TODAY, ME), (CaseStatus.IMPLEMENTATION, TODAY, ME), (CaseStatus.INVESTIGATION, TODAY, ME)]
    assert kept.added[1].id == mine.id


@pytest.mark.parametrize(("closed", "user", "said"), [
    (_closing(by=COLLEAGUE), ME, "Only the case's own handläggare"),
    (_closing(on=TODAY - timedelta(days=31)), ME, "more than %2 days ago"),
])
def test_mine_against_a_closing_the_rule_refuses_keeps_the_server_s_with_why(
        closed: StatusChange, user: str, said: str) -> None:
    mine = _mine(CaseStatus.INVESTIGATION, on=closed.on)
    status, history, refused = _kept([FOLLOWED, closed, mine], [mine], CaseStatus.CLOSED, CaseStatus.INVESTIGATION,
                                     user)
    assert (status, history) == (CaseStatus.CLOSED, [("f", CaseStatus.IMPLEMENTATION), ("c", CaseStatus.CLOSED)])
    assert said in refused.key  # type: ignore[attr-defined]


def test_a_closing_not_pulled_yet_cannot_be_checked() -> None:
    mine = _mine(CaseStatus.INVESTIGATION)
    with pytest.raises(ClosingNotHere):
        kept_status([FOLLOWED, mine], {mine.id}, CaseStatus.CLOSED, CaseStatus.INVESTIGATION, CASEWORKER, ME, TODAY,
                    30)


def test_my_closing_kept_against_another_open_status_names_the_status_it_now_closes_from() -> None:
    theirs = StatusChange(id="t", status=CaseStatus.INVESTIGATION, on=TODAY)
    mine = _mine(CaseStatus.CLOSED, reason=ClosingReason.MOVED, closed_from=CaseStatus.IMPLEMENTATION)
    kept = kept_status([FOLLOWED, mine, theirs], {mine.id}, CaseStatus.INVESTIGATION, CaseStatus.CLOSED, CASEWORKER,
                       ME, TODAY, 30)
    assert kept.status == CaseStatus.CLOSED
    assert [(h.id, h.status, h.on) for h in kept.history] == [
        ("f", CaseStatus.IMPLEMENTATION, FOLLOWED.on), ("t", CaseStatus.INVESTIGATION, TODAY),
        (mine.id, CaseStatus.CLOSED, TODAY)]
    assert kept.history[-1].closed_from == CaseStatus.INVESTIGATION
