"""Why a case was closed (avslutsorsak), and a case closed by mistake opened again (ibic.cases, ibic.reopening).

A closing says why (a reason of the reference data's list; "annat" with a short text); a case closed before the
closing asked keeps loading. Reopening returns the case to the status it was closed from, recorded after the
closing, which stays; only the case's handläggare or whoever closed it, within the rules' days. Att göra and the
reminders come back as for any open case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from test_deadlines import case_with, decision

from ibic.cases import Case, StatusChange, change_status, closed_from, closing, reopened
from ibic.errors import InvalidTransition
from ibic.reference import ReferenceData
from ibic.reopening import reopen_case, reopen_problem
from ibic.vocabulary import CaseStatus, ClosingReason
from ibic.work_list import work_list

TODAY = date(2026, 11, 23)
ME, COLLEAGUE = "Handläggare Test", "Handläggare Kollega"
DAYS = 30


def closed_case(by: str = ME, caseworker: str = ME, on: date = TODAY) -> Case:
    """A case in verkställighet with a decision ending in ten days (reminded of while open), closed on ``on``."""
    case = case_with(decision(ends_on=TODAY + timedelta(days=10)), caseworker=caseworker, case_number="T-1",
                     status_history=[StatusChange(status=CaseStatus.IMPLEMENTATION, on=on - timedelta(days=60))])
    change_status(case, CaseStatus.CLOSED, on, by, reason=ClosingReason.MOVED)
    return case


def test_a_closing_without_a_reason_is_refused_and_changes_nothing() -> None:
    case = case_with(decision())
    with pytest.raises(InvalidTransition, match="closed with a reason"):
        change_status(case, CaseStatus.CLOSED, TODAY, ME)
    assert case.status == CaseStatus.IMPLEMENTATION and case.status_history == []


def test_other_needs_a_text_that_says_something_and_no_other_reason_takes_one() -> None:
    case = case_with(decision())
    for note in ("", "   ", "\u200b"):  # a zero-width space says nothing either
        with pytest.raises(InvalidTransition, match="needs a short text"):
            change_status(case, CaseStatus.CLOSED, TODAY, ME, reason=ClosingReason.OTHER, note=note)
    with pytest.raises(InvalidTransition, match="only with the reason 'other'"):
        change_status(case, CaseStatus.CLOSED, TODAY, ME, reason=ClosingReason.DIED, note="Text")
    assert case.status == CaseStatus.IMPLEMENTATION and case.status_history == []
    change_status(case, CaseStatus.CLOSED, TODAY, ME, reason=ClosingReason.OTHER, note="Bor hos dottern i Norge")
    assert (case.status_history[-1].reason, case.status_history[-1].reason_note) == (
        ClosingReason.OTHER, "Bor hos dottern i Norge")


def test_only_a_closing_has_a_reason() -> None:
    with pytest.raises(ValueError, match="only a closing has a reason"):
        StatusChange(status=CaseStatus.INVESTIGATION, on=TODAY, reason=ClosingReason.DIED)


def test_a_case_closed_before_the_reason_was_asked_still_loads_and_says_none() -> None:
    stored = {"person_id": "p", "opened_on": "2026-01-05", "status": "closed", "status_history": [
        {"id": "s1", "status": "actualised", "on": "2026-01-05", "by": ME},
        {"id": "s2", "status": "closed", "on": "2026-02-01", "by": ME}]}
    case = Case.model_validate(stored)
    closed = closing(case)
    assert closed is not None and closed.reason is None and closed.reason_note == ""
    assert closed_from(case) == CaseStatus.ACTUALISED


def test_reopening_returns_to_the_status_it_was_closed_from_and_keeps_the_closing(ref: ReferenceData) -> None:
    case = closed_case()
    assert work_list([case], TODAY, ref.rules) == [], "a closed case has nothing in Att göra"
    later = TODAY + timedelta(days=2)
    assert reopen_case(case, later, ME, DAYS) == CaseStatus.IMPLEMENTATION
    assert case.status == CaseStatus.IMPLEMENTATION
    assert [(c.status, c.on, c.by, c.reason, c.closed_from) for c in case.status_history] == [
        (CaseStatus.IMPLEMENTATION, TODAY - timedelta(days=60), "", None, None),
        (CaseStatus.CLOSED, TODAY, ME, ClosingReason.MOVED, CaseStatus.IMPLEMENTATION),
        (CaseStatus.IMPLEMENTATION, later, ME, None, None),
    ]
    pair = reopened(case)
    assert pair is not None and pair[0].reason == ClosingReason.MOVED and pair[1].on == later
    assert closing(case) is None
    # Att göra as for any open case: the decision ending soon is reminded of again.
    assert [row.case_number for row in work_list([case], later, ref.rules)] == ["T-1"]


def test_a_reopened_case_closes_again_with_a_new_reason_and_reopens_from_its_latest_closing() -> None:
    case = closed_case()
    reopen_case(case, TODAY, ME, DAYS)
    change_status(case, CaseStatus.INVESTIGATION, TODAY, ME)
    change_status(case, CaseStatus.CLOSED, TODAY, ME, reason=ClosingReason.DIED)
    assert closed_from(case) == CaseStatus.INVESTIGATION
    assert reopen_case(case, TODAY, ME, DAYS) == CaseStatus.INVESTIGATION
    assert [c.reason for c in case.status_history if c.status == CaseStatus.CLOSED] == [
        ClosingReason.MOVED, ClosingReason.DIED]


def test_whoever_closed_it_or_its_handlaggare_may_reopen_no_one_else() -> None:
    assert reopen_problem(closed_case(by=COLLEAGUE, caseworker=ME), TODAY, ME, DAYS) is None
    assert reopen_problem(closed_case(by=ME, caseworker=COLLEAGUE), TODAY, "  handläggare   TEST", DAYS) is None
    case = closed_case(by=COLLEAGUE, caseworker=COLLEAGUE)
    problem = reopen_problem(case, TODAY, ME, DAYS)
    assert problem is not None and problem.sv == (
        "Bara ärendets egen handläggare, eller den som avslutade det, kan öppna det igen.")
    with pytest.raises(InvalidTransition, match="Only the case's own handläggare"):
        reopen_case(case, TODAY, ME, DAYS)
    assert case.status == CaseStatus.CLOSED and len(case.status_history) == 2


def test_reopening_is_possible_for_the_rules_days_after_the_closing_then_refused() -> None:
    case = closed_case(on=TODAY - timedelta(days=DAYS))
    assert reopen_problem(case, TODAY, ME, DAYS) is None
    late = closed_case(on=TODAY - timedelta(days=DAYS + 1))
    problem = reopen_problem(late, TODAY, ME, DAYS)
    assert problem is not None and problem.sv == (
        f"Ärendet avslutades {(TODAY - timedelta(days=31)).isoformat()}, för mer än 30 dagar sedan, och kan inte "
        "längre öppnas igen. Behöver den enskilde hjälp igen, öppna ett nytt ärende.")


def test_the_closing_names_the_status_it_closed_from_where_the_history_holds_nothing_before_it() -> None:
    """A case registered centrally in verkställighet has no status change before its closing: the closing itself
    says where it came from."""
    case = case_with(decision(), caseworker=ME)
    assert case.status_history == []
    change_status(case, CaseStatus.CLOSED, TODAY, ME, reason=ClosingReason.NEEDS_NO_HELP)
    assert closed_from(case) == CaseStatus.IMPLEMENTATION
    assert reopen_case(case, TODAY, ME, DAYS) == CaseStatus.IMPLEMENTATION
    with pytest.raises(ValueError, match="only a closing names"):
        StatusChange(status=CaseStatus.INVESTIGATION, on=TODAY, closed_from=CaseStatus.ACTUALISED)
    with pytest.raises(ValueError, match="only a closing names"):
        StatusChange(status=CaseStatus.CLOSED, on=TODAY, closed_from=CaseStatus.CLOSED)


def test_a_case_whose_history_does_not_say_where_it_was_closed_from_is_not_reopened() -> None:
    bare = Case(person_id="p", opened_on=TODAY, status=CaseStatus.CLOSED, caseworker=ME)
    only = Case(person_id="p", opened_on=TODAY, status=CaseStatus.CLOSED, caseworker=ME,
                status_history=[StatusChange(status=CaseStatus.CLOSED, on=TODAY, by=ME)])
    for case in (bare, only):
        problem = reopen_problem(case, TODAY, ME, DAYS)
        assert problem is not None and "verksamhetssystemet" in problem.sv
    open_case = case_with(decision(), caseworker=ME)
    problem = reopen_problem(open_case, TODAY, ME, DAYS)
    assert problem is not None and problem.sv == "Ärendet är inte avslutat."


def test_the_rules_days_come_from_the_reference_data(ref: ReferenceData) -> None:
    assert ref.rules.deadlines.reopen_within_days == 30


def test_the_handlaggare_is_the_same_in_the_id_typed_at_set_up_and_in_the_servers_spelling() -> None:
    """The profile made as "Anna.Berg" is IT's "anna.berg" once enrolled; a case it made, or closed, before names the
    first: both are its own (the server's check of a push asks the same function, ``pushed_reopening_problem``)."""
    assert reopen_problem(closed_case(by="Anna.Berg", caseworker=COLLEAGUE), TODAY, "anna.berg", DAYS) is None
    assert reopen_problem(closed_case(by=COLLEAGUE, caseworker="anna.berg"), TODAY, "Anna.Berg", DAYS) is None
    assert reopen_problem(closed_case(by=COLLEAGUE, caseworker=""), TODAY, "", DAYS) is not None, "no one is no one"
