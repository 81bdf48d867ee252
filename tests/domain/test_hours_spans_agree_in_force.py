"""The hours in force (``ibic.granted_hours.hours_spans``, the spans Att göra sums from each case's stored column)
and ``Case.decisions_in_force`` (the reminders, the uppdrag, Ny ärende's note) say the same decisions on every day:
the two once each restated when a decision stops (an end, "tills vidare", a status revoking or ending it, a
successor replacing it), s30's read-back; both now read ``Case.in_force_spans``.

Many generated cases of fictitious decisions, each day of a stretch around them compared with the rule as written
for one day (below, ``_in_force_by_day``: as ``decisions_in_force`` read before the spans existed)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ibic.cases import Case
from ibic.decisions import Decision, DecisionStatusEntry, Scope
from ibic.granted_hours import hours_spans, in_force
from ibic.vocabulary import DecisionOutcome, DecisionStatusKind, ScopeUnit

FIRST = date(2026, 1, 1)
DAYS = 40  # every generated day falls in FIRST .. FIRST + DAYS - 1; the check runs two days either side
IDS = [f"d{n}" for n in range(6)]


def _day(offset: int | None) -> date | None:
    return None if offset is None else FIRST + timedelta(days=offset)


@st.composite
def _decision(draw: st.DrawFn, decision_id: str) -> Decision:
    offsets = st.none() | st.integers(0, DAYS - 1)
    starts, ends = _day(draw(offsets)), _day(draw(offsets))  # an end before the start too: never in force
    unit = draw(st.sampled_from([ScopeUnit.HOURS_PER_MONTH, ScopeUnit.HOURS_PER_WEEK, ScopeUnit.OCCASIONS_PER_WEEK]))
    amount = draw(st.none() | st.integers(0, 120).map(float))
    return Decision(
        id=decision_id, proposal_id="pr1", insats_id=None, insats_text="Hemtjänst – omvårdnad",
        outcome=draw(st.sampled_from(list(DecisionOutcome))), scope=Scope(amount=amount, unit=unit),
        starts_on=starts, ends_on=ends, law_reference_id="sol_4_1", motivation="", decided_on=FIRST,
        decided_by="Handläggare Test", replaces_decision_id=draw(st.none() | st.sampled_from(IDS)),
    )


@st.composite
def _cases(draw: st.DrawFn) -> Case:
    count = draw(st.integers(0, len(IDS)))
    decisions = [draw(_decision(decision_id)) for decision_id in IDS[:count]]
    statuses = [
        DecisionStatusEntry(decision_id=draw(st.sampled_from(IDS[:count])),
                            status=draw(st.sampled_from(list(DecisionStatusKind))),
                            on=FIRST + timedelta(days=draw(st.integers(0, DAYS - 1))))
        for _ in range(draw(st.integers(0, 4) if count else st.just(0)))
    ]
    return Case(person_id="p1", opened_on=FIRST, decisions=decisions, decision_statuses=statuses)


def _in_force_by_day(case: Case, day: date) -> list[str]:
    """A decision is in force on ``day``: not refused, started by it and not ended before it, no status revoking or
    ending it by then, and no successor (not refused) replacing it started by then."""
    stopped = {s.decision_id for s in case.decision_statuses if s.status in ("revoked", "ended") and s.on <= day}
    replaced = {d.replaces_decision_id for d in case.decisions if d.replaces_decision_id
                and d.starts_on is not None and d.starts_on <= day and d.outcome != DecisionOutcome.REFUSED}
    return [d.id for d in case.decisions
            if d.outcome != DecisionOutcome.REFUSED and d.starts_on is not None and d.starts_on <= day
            and (d.ends_on is None or day <= d.ends_on) and d.id not in stopped | replaced]


@settings(max_examples=400, derandomize=True, database=None)
@given(case=_cases())
def test_the_hours_in_force_and_the_decisions_in_force_agree_on_every_day(case: Case) -> None:
    spans = hours_spans(case, FIRST + timedelta(days=DAYS))
    hours_of = {d.id: d.scope.hours_per_month() for d in case.decisions}
    for offset in range(-2, DAYS + 2):
        day = FIRST + timedelta(days=offset)
        told = [d.id for d in case.decisions_in_force(day)]
        assert told == _in_force_by_day(case, day), day
        counting, hours = in_force(spans, day)
        with_hours = [i for i in told if hours_of[i] is not None]
        assert [s.decision_id for s in counting] == with_hours, day
        assert hours == sum(hours_of[i] or 0 for i in with_hours), day
