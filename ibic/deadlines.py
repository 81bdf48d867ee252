"""Deadlines and reminders: the clocks a handläggare must not miss.

Targets come from ``resources/reference/rules.toml`` (law values and municipal guideline values).
"""

from __future__ import annotations

from datetime import date, timedelta

from ibic.cases import Case, InForceSpan
from ibic.communication import Communication
from ibic.decisions import Decision, insats_name
from ibic.errors import DateOutOfRange
from ibic.follow_up_rules import is_made_by
from ibic.limits import DATE_RANGE_MESSAGE, in_event_range
from ibic.messages import Message, Number, Term, message
from ibic.name_key import name_key
from ibic.reference import Rules

# Plain (the case list reads them without the models): named here too, where callers found them.
from ibic.reminders import Reminder as Reminder
from ibic.reminders import ReminderKind as ReminderKind
from ibic.reminders import Urgency as Urgency
from ibic.reminders import months_later
from ibic.reminders import urgency_of as urgency_of
from ibic.vocabulary import CaseStatus, DecisionOutcome


def add_months(day: date, months: int) -> date:
    """Calendar months later, clamped to the month's last day (31 jan + 1 month = 28/29 feb).

    DateOutOfRange for a day outside the product's range (``ibic.limits``): a deadline is computed only from a date
    the domain accepts, so the result always exists (Python's dates end at 9999-12-31).
    """
    _require_in_range(day)
    return months_later(day, months)


def add_days(day: date, days: int) -> date:
    """``days`` later; DateOutOfRange for a day outside the product's range, as ``add_months``."""
    _require_in_range(day)
    return day + timedelta(days=days)


def _require_in_range(day: date) -> None:
    if not in_event_range(day):
        raise DateOutOfRange(DATE_RANGE_MESSAGE)


def _dated(day: date | None) -> date | None:
    """A date a reminder may be computed from: outside the range (a record stored before the range existed) the
    reminder is left out instead of failing the whole case list."""
    return day if day is not None and in_event_range(day) else None


def reminders(case: Case, today: date, rules: Rules, followed: dict[str, date] | None = None,
              spans: list[InForceSpan] | None = None) -> list[Reminder]:
    """Every reminder due for the case on ``today``, most urgent first; ``followed``: ``followed_on(case, today)``,
    and ``spans``: ``case.in_force_spans()``, where the caller has them already (a case's summary reads them for the
    hours and the decisions held too)."""
    if case.status == CaseStatus.CLOSED:
        return []
    found = [
        *_decision_reminders(case, today, rules, followed_on(case, today) if followed is None else followed,
                             case.decisions_in_force(today, spans)),
        *_application_reminders(case, today, rules),
        *_discharge_reminders(case, today, rules),
        *_communication_reminders(case, today, rules),
    ]
    return sorted(found, key=lambda r: (-r.urgency, r.due))


def next_deadline(case: Case, today: date, rules: Rules) -> Reminder | None:
    """The reminder that matters most, for the case list."""
    found = reminders(case, today, rules)
    return found[0] if found else None


def _decision_reminders(case: Case, today: date, rules: Rules, followed: dict[str, date],
                        in_force: list[Decision]) -> list[Reminder]:
    out: list[Reminder] = []
    d = rules.deadlines
    for decision in in_force:
        if decision.ends_on is not None:
            urgency = urgency_of(decision.ends_on, today, d.decision_expiry_reminder_days)
            # Not once answered by a new decision (as ``_lapsed``): a successor decided to start when this one ends
            # left "Beslutet … upphör" on the work list until the end day, though nothing was left to do (s25-probe).
            if urgency and not _answered(case, decision, d.decision_expiry_reminder_days):
                out.append(
                    Reminder(
                        ReminderKind.DECISION_EXPIRING,
                        decision.ends_on,
                        urgency,
                        message("The decision on %1 ends %2.", _name(decision), decision.ends_on),
                        decision.id,
                    )
                )
        out.extend(_reassessment_reminder(case, decision, today, rules, followed))
        out.extend(_large_decision_reminder(decision, today, rules, followed))
    out.extend(
        Reminder(ReminderKind.DECISION_EXPIRING, ended, Urgency.OVERDUE,
                 message("The decision on %1 ended %2 and no new decision has been made.", _name(decision), ended),
                 decision.id)
        for decision, ended in _lapsed(case, today, d.decision_expiry_reminder_days)
    )
    return out


def _reassessment_reminder(
    case: Case, decision: Decision, today: date, rules: Rules, followed: dict[str, date]
) -> list[Reminder]:
    """Nyprövning "sker oftast en gång per år" (seed 001): a year after the decision, then a year after each
    follow-up held (main reminded once; after the first follow-up, never again). A time-limited decision too, when
    the year comes before its end is reminded of: one running two years was reminded of only 30 days before its
    end (s27-probe). The new decision its end asks for answers the nyprövning too (``_end_stands_for_it``)."""
    d = rules.deadlines
    if not _dated(decision.decided_on):
        return []
    since = max(decision.decided_on, followed.get(decision.id, decision.decided_on))
    due = add_months(since, d.reassessment_interval_months)
    urgency = urgency_of(due, today, d.reassessment_reminder_days)
    ends = _dated(decision.ends_on)
    # Urgency first: the day's refresh summarises every open case, and ``_answered`` walks the case's decisions.
    if urgency is None or (
        ends is not None and _end_stands_for_it(case, decision, ends, due, today, d.decision_expiry_reminder_days)
    ):
        return []
    said = (message("Reassessment of %1 (decision until further notice).", _name(decision)) if ends is None
            else message("Reassessment of %1 (time-limited decision, ends %2).", _name(decision), ends))
    return [Reminder(ReminderKind.REASSESSMENT_DUE, due, urgency, said, decision.id)]


def _end_stands_for_it(
    case: Case, decision: Decision, ends: date, due: date, today: date, reminder_days: int
) -> bool:
    """Whether time-limited ``decision``'s end, not its nyprövning, is what the work list says: the year falls once
    its end is reminded of, or that reminder has begun (or a new decision answered it, ``_answered``). One new
    decision answers both, so one row: s27-probe's two made the case's next deadline a nyprövning overdue for a
    year, not the end in days, and kept it "Försenad" until the end day after a successor was decided."""
    reminded_from = ends - timedelta(days=reminder_days)
    return due >= reminded_from or today >= reminded_from or _answered(case, decision, reminder_days)


def followed_on(case: Case, today: date) -> dict[str, date]:
    """Each decision's latest follow-up held by ``today``. One dated later has not been held yet: a done date typed
    ahead (the planned day, by mistake) silenced the decision's reminders and hid the planned follow-up.

    Held means made (``follow_up_rules.is_made_by``: something the follow-up measured recorded), as Kontroll
    and Rapporter → Internkontroll count it: a done date alone took a 100-hour decision's reminder off Att göra while
    Kontroll said the follow-up "räknas inte som gjord" and the report listed it not followed up (s30-probe)."""
    latest: dict[str, date] = {}
    for follow_up in case.follow_ups:
        done = _dated(follow_up.done_on)
        if done is None or not is_made_by(follow_up, today):
            continue
        for decision_id in follow_up.decision_ids:
            latest[decision_id] = max(done, latest.get(decision_id, done))
    return latest


def _lapsed(case: Case, today: date, reminder_days: int) -> list[tuple[Decision, date]]:
    """Time-limited decisions that ran out before ``today`` and were not answered by another decision.

    Only a decision in force was reminded of, so the reminder of one ending went the day after its end, and the
    person was left without the insats and nothing on the list (an "overdue" expiry could never show). It stays,
    overdue, until a new decision on the insats is made, a status record ends it, or the case is closed. A decision
    granting any insats made once the end was reminded of (``reminder_days`` before it) answers it too: a
    korttidsvistelse ends as planned and the person goes home with hemtjänst, a hemtjänst ends as the person moves to
    a boende, and the handläggare has no other way to say so (a status record comes from the central system).
    """
    gone = case.stopped_or_replaced()
    out = []
    for decision in case.decisions:
        ended = _dated(decision.ends_on)
        if (ended is None or ended >= today or decision.outcome == DecisionOutcome.REFUSED
                or decision.id in gone):
            continue
        if not _answered(case, decision, reminder_days):
            out.append((decision, ended))
    return out


def _answered(case: Case, decision: Decision, reminder_days: int) -> bool:
    """Whether a new decision answers the end of time-limited ``decision`` (``_lapsed`` says which): one replacing
    it, a later one on the same insats, or one granting any insats made once its end was reminded of. An avslag on
    another insats continues nothing: it silenced "beslutet upphör" weeks before the end (s25-rprobe)."""
    ended = _dated(decision.ends_on)
    if ended is None:
        return False
    index = next(i for i, held in enumerate(case.decisions) if held is decision)
    answered_from = ended - timedelta(days=reminder_days)
    return any(other.replaces_decision_id == decision.id
               or (_same_insats(other, decision) and (other.decided_on, at) > (decision.decided_on, index))
               or (other.decided_on >= answered_from and other.outcome != DecisionOutcome.REFUSED)
               for at, other in enumerate(case.decisions) if at != index)


def _same_insats(a: Decision, b: Decision) -> bool:
    if a.insats_id is not None or b.insats_id is not None:
        return a.insats_id == b.insats_id
    return name_key(a.insats_text) == name_key(b.insats_text)


def _large_decision_reminder(
    decision: Decision, today: date, rules: Rules, followed: dict[str, date]
) -> list[Reminder]:
    if decision.id in followed or not requires_follow_up(decision, rules):
        return []
    start = _dated(decision.starts_on or decision.decided_on)
    if start is None:
        return []
    due = add_months(start, rules.follow_up.large_decision_follow_up_months)
    urgency = urgency_of(due, today, rules.deadlines.decision_expiry_reminder_days)
    if urgency is None:
        return []
    return [
        Reminder(
            ReminderKind.LARGE_DECISION_FOLLOW_UP,
            due,
            urgency,
            message("The decision on %1 covers at least %2 hours a month and must be followed up.", _name(decision),
                    Number(rules.follow_up.large_decision_hours_per_month, "g")),
            decision.id,
        )
    ]


def _name(decision: Decision) -> Term:
    return insats_name(decision.insats_id, decision.insats_text)


def requires_follow_up(decision: Decision, rules: Rules) -> bool:
    """Internal control (seed 004): decisions of about 100 hours a month or more must be followed up."""
    if decision.outcome == DecisionOutcome.REFUSED:
        return False
    hours = decision.scope.hours_per_month()
    return hours is not None and hours >= rules.follow_up.large_decision_hours_per_month


def _application_reminders(case: Case, today: date, rules: Rules) -> list[Reminder]:
    """FL 12 §'s six months from the application received, and the guideline's target for a decision ("skyndsamt",
    seed 001) from the day the application came in, else from the day the case arose: a case whose received day
    was never typed (one from an orosanmälan has no application at all) was reminded of by nothing, however long
    it stayed under utredning (s35-probedocs)."""
    application = case.application
    received = _dated(application.received_on)
    started = received or _dated(case.opened_on)
    if started is None or case.decisions or application.withdrawn_on is not None:
        return []
    if case.status not in (CaseStatus.ACTUALISED, CaseStatus.INVESTIGATION):
        return []
    d = rules.deadlines
    out: list[Reminder] = []
    if received is not None:  # FL 12 § speaks of an application: none typed, none reminded of
        six_months = add_months(received, d.undecided_application_months)
        urgency = urgency_of(six_months, today, d.undecided_application_warning_days)
        if urgency:
            out.append(
                Reminder(
                    ReminderKind.UNDECIDED_APPLICATION,
                    six_months,
                    urgency,
                    # Each reason in the tense of its date column: "Snart" beside "has not been decided within six
                    # months" said what had not happened yet (s26-probe).
                    message("The application has not been decided within six months: the person may demand a"
                            " decision within four weeks (FL 12 §).") if urgency == Urgency.OVERDUE
                    else message("The application will soon have been undecided for six months: the person may then"
                                 " demand a decision within four weeks (FL 12 §)."),
                )
            )
    target = add_days(started, d.investigation_target_days)
    urgency = urgency_of(target, today, 7)
    if urgency:
        out.append(Reminder(ReminderKind.INVESTIGATION_SLOW, target, urgency,
                            _target_reason(urgency == Urgency.OVERDUE, from_application=received is not None)))
    return out


def _target_reason(passed: bool, *, from_application: bool) -> Message:
    """The reason of the target for a decision, in the tense of its date. Counted from the day the case arose (no
    received day: a case from an orosanmälan has no application), it says so (s35-rui): the row said only "målet
    för beslut", and its date, a month from the orosanmälan, read as a month from an application nobody could find."""
    if from_application:
        return (message("The investigation must proceed without delay: the target date for a decision has passed.")
                if passed else
                message("The investigation must proceed without delay: the target date for a decision is near."))
    return (message("The investigation must proceed without delay: the target date for a decision, counted from the"
                    " day the case arose (no day the application came in is recorded), has passed.") if passed else
            message("The investigation must proceed without delay: the target date for a decision, counted from the"
                    " day the case arose (no day the application came in is recorded), is near."))


def _discharge_reminders(case: Case, today: date, rules: Rules) -> list[Reminder]:
    discharge = case.discharge
    ready = None if discharge is None else _dated(discharge.ready_for_discharge_on)
    if discharge is None or ready is None or discharge.discharged_on is not None:
        return []
    d = rules.deadlines
    out: list[Reminder] = []
    if discharge.sip_meeting_on is None:
        due = add_days(ready, d.discharge_sip_days)
        out.append(
            Reminder(
                ReminderKind.DISCHARGE_SIP,
                due,
                urgency_of(due, today, d.discharge_sip_days) or Urgency.UPCOMING,
                message("The SIP invitation must be sent within three days of the notice that the person is ready for"
                        " discharge."),
            )
        )
    payment = add_days(ready, d.discharge_payment_days)
    out.append(
        Reminder(
            ReminderKind.DISCHARGE_PAYMENT,
            payment,
            urgency_of(payment, today, d.discharge_payment_days) or Urgency.UPCOMING,
            message("The municipality pays for hospital days from %1 if the person cannot be discharged.", payment),
        )
    )
    return out


def communication_reply_due(c: Communication, today: date, rules: Rules) -> date | None:
    """The last day for the person's views on the kommunicerade material (FL 25 §): the day recorded, else the
    guideline's days from the day it was shown, or, on a draft printed to be shown, from ``today``."""
    recorded = _dated(c.reply_by)
    if recorded is not None:
        return recorded
    shown = _dated(c.done_on) or today
    try:
        return add_days(shown, rules.deadlines.communication_reply_days)
    except DateOutOfRange:
        return None


def _communication_reminders(case: Case, today: date, rules: Rules) -> list[Reminder]:
    c = case.communication
    if _dated(c.done_on) is None or c.response.strip() or case.decisions:
        return []
    due = communication_reply_due(c, today, rules)
    if due is None:
        return []
    urgency = urgency_of(due, today, 3)
    if urgency is None:
        return []
    return [
        Reminder(
            ReminderKind.COMMUNICATION_REPLY,
            due,
            urgency,
            message("The time to reply after kommunicering has run out; a decision can be made.")
            if urgency == Urgency.OVERDUE
            else message("The time to reply after kommunicering runs out; a decision can be made after that."),
        )
    ]
