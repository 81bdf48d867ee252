"""ibic.granted_hours: a case's decisions with time as spans in force, the one rule Rapporter → Internkontroll and
Att göra sum a person's hours by (seed 004)."""

from __future__ import annotations

from datetime import date, timedelta

from ibic.cases import Case
from ibic.decisions import Decision, DecisionStatusEntry, Scope
from ibic.follow_up import FollowUp
from ibic.granted_hours import first_reached, followed_since, hours_spans, in_force, reached_on, reaches
from ibic.vocabulary import DecisionOutcome, DecisionStatusKind, ScopeUnit

START = date(2026, 1, 1)


def _decision(hours: float, starts_on: date, ends_on: date | None = None, replaces: str | None = None) -> Decision:
    return Decision(proposal_id="pr1", insats_id=None, insats_text="Hemtjänst", outcome=DecisionOutcome.GRANTED,
                    scope=Scope(amount=hours, unit=ScopeUnit.HOURS_PER_MONTH), starts_on=starts_on, ends_on=ends_on,
                    law_reference_id="sol_4_1", motivation="", decided_on=starts_on, decided_by="Handläggare",
                    replaces_decision_id=replaces)


def test_the_spans_are_in_force_on_exactly_the_days_the_case_says() -> None:
    """Ended by a status, replaced by a successor, run out: every day of a year agrees with decisions_in_force."""
    first, ended, lapsing = _decision(60, START), _decision(30, START), _decision(20, START, date(2026, 3, 31))
    successor = _decision(70, date(2026, 5, 1), replaces=first.id)
    refused = _decision(90, date(2026, 2, 1)).model_copy(update={"outcome": DecisionOutcome.REFUSED})
    case = Case(person_id="p1", opened_on=START, decisions=[first, ended, lapsing, successor, refused],
                decision_statuses=[DecisionStatusEntry(decision_id=ended.id, status=DecisionStatusKind.ENDED,
                                                       on=date(2026, 6, 15))])
    spans = hours_spans(case, START)
    for offset in range(365):
        day = START + timedelta(days=offset)
        counting, hours = in_force(spans, day)
        expected = case.decisions_in_force(day)
        assert [s.decision_id for s in counting] == [d.id for d in expected], day
        assert hours == sum(d.scope.hours_per_month() or 0 for d in expected)


def test_the_threshold_is_reached_at_100_not_at_99_9_and_from_the_day_the_sum_got_there() -> None:
    assert reaches(60 + 40.0, 100) and reaches(60 + 40.1, 100) and not reaches(60 + 39.9, 100)
    case = Case(person_id="p1", opened_on=START, decisions=[_decision(60, START), _decision(40, date(2026, 3, 1))])
    spans = hours_spans(case, date(2026, 6, 1))
    assert reached_on(spans, date(2026, 6, 1), 100) == date(2026, 3, 1)
    assert reached_on(spans, date(2026, 2, 1), 100) is None


def test_the_report_reaches_from_the_day_the_sum_got_there_even_before_its_period() -> None:
    """first_reached: the period's first day at the threshold and the day the stretch holding it began (s30-hours)."""
    case = Case(person_id="p1", opened_on=START, decisions=[_decision(60, START), _decision(40, date(2026, 3, 1))])
    spans = hours_spans(case, date(2026, 12, 31))
    for first in (date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2), date(2026, 7, 1)):
        day = max(first, date(2026, 3, 1))
        assert first_reached(spans, first, date(2026, 12, 31), 100) == (day, date(2026, 3, 1)), first
    assert first_reached(spans, START, date(2026, 2, 28), 100) is None
    assert first_reached(spans, START, date(2026, 2, 28), 0) == (START, START)
    assert first_reached(hours_spans(Case(person_id="p1", opened_on=START), START), START, START, 0) is None


def test_a_follow_up_counts_from_the_day_the_sum_reached_the_threshold() -> None:
    """followed_since: a follow-up held before the sum reached the threshold followed up a smaller grant."""
    small, more = _decision(60, START), _decision(40, date(2026, 3, 1))
    for held, expected in ((date(2026, 2, 28), None), (date(2026, 3, 1), date(2026, 3, 1))):
        follow_up = FollowUp(decision_ids=[small.id], done_on=held, how_person_wants_it="Hemma.")
        case = Case(person_id="p1", opened_on=START, decisions=[small, more], follow_ups=[follow_up])
        counting, _hours = in_force(hours_spans(case, date(2026, 6, 1)), date(2026, 6, 1))
        assert followed_since(counting, date(2026, 3, 1)) == expected, held
