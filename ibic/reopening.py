"""Opening a closed case again ("Öppna ärendet igen"): a closing made by mistake undone on the laptop.

Avslutad is the end of the process (``ALLOWED_TRANSITIONS`` leads nowhere from it); reopening is not a transition
but the closing taken back, to the status the case was closed from (``cases.closed_from``). It is recorded as a
status change of its own after the closing, so the history keeps who closed it, when and why, and who opened it
again. Who may, and until when (docs/seed-rules.md, "Öppna ärendet igen"):

- the case's handläggare, or whoever closed it: the one who can know the closing was a mistake; a colleague's case
  goes back through its handläggare or the central system;
- within ``DeadlineRules.reopen_within_days`` of the closing (30 by default): a mistake is found within days, while
  a person who needs help again later is a new aktualisering, a new case with its own investigation and number.

Who is compared by ``same_user``: the user is the profile's user id (as typed at set-up, then as the server spells it
once enrolled: "Anna.Berg" becomes IT's "anna.berg"); the case's handläggare and the closing's ``by`` hold the id of
whoever made them, in either spelling, or what the central system wrote. The server applies the same rule to a
laptop's push (``pushed_reopening_problem``), so a tampered or old laptop cannot reopen what this one refuses.
"""

from __future__ import annotations

from datetime import date, timedelta

from ibic.cases import Case, StatusChange, closed_from, closing
from ibic.errors import InvalidTransition
from ibic.messages import Message, message
from ibic.name_key import name_key
from ibic.ranges import EARLIEST_EVENT
from ibic.vocabulary import CaseStatus

# A laptop's day may be the server's next one (Swedish time ahead of the server's clock near midnight).
DAY_AHEAD = timedelta(days=1)


def same_user(a: str, b: str) -> bool:
    """Whether two user names name one handläggare: as a person reads them (``name_key``: case, spacing and Unicode
    form ignored), so the id typed at set-up ("Anna.Berg") is the one IT spells "anna.berg" (sync.protocol's
    ``same_user_id`` is the narrower rule for account ids; every id it takes as one, this takes as one too)."""
    return bool(a.strip()) and name_key(a) == name_key(b)


def is_own(case: Case, closed: StatusChange, user: str) -> bool:
    """Whether ``user`` is ``case``'s handläggare or whoever made its closing ``closed``."""
    return any(same_user(name, user) for name in (case.caseworker, closed.by))


def too_late(closed: StatusChange, on: date, within_days: int) -> bool:
    """Whether a reopening on ``on`` comes more than ``within_days`` after the closing ``closed``."""
    return (on - closed.on).days > within_days


def reopen_problem(case: Case, today: date, user: str, within_days: int) -> Message | None:
    """Why ``user`` may not open ``case`` again on ``today`` (None: they may)."""
    closed = closing(case)
    if case.status != CaseStatus.CLOSED:
        return message("The case is not closed.")
    if closed is None or closed_from(case) is None:
        return message("The case's history does not say which status it was closed from, so it cannot be opened "
                       "again here. Ask for it to be opened in the central case-management system.")
    if not is_own(case, closed, user):
        return message("Only the case's own handläggare, or whoever closed it, can open it again.")
    if closed.on > today + DAY_AHEAD:
        # A closing dated ahead (a laptop's clock a year on): the reopening, dated no earlier, would be refused by the
        # server as after its day (``_pushed_one``), the laptop then open and the server's case closed (s34-rrace).
        return message("The case's closing is dated %1, after today, so it cannot be opened again here. Ask for it "
                       "to be opened in the central case-management system.", closed.on)
    if too_late(closed, today, within_days):
        return message("The case was closed on %1, more than %2 days ago, and can no longer be opened again. If the "
                       "person needs help again, open a new case.", closed.on, within_days)
    return None


def pushed_reopening_problem(before: Case, after: Case, user: str, today: date, within_days: int) -> str:
    """Why the status and history ``after`` may not replace ``before``'s when ``user`` writes them (a laptop's push,
    checked by the server on its own ``today``); "" if they may. Names the rule, never a value.

    A closed case leaves Avslutad only by a reopening appended after its closing (the history before kept as it
    was); each reopening the write adds must pass ``reopen_problem`` on the day it records, return to the status the
    case was closed from, and be dated neither before its closing nor after ``today`` (a day's margin)."""
    kept = len(before.status_history)
    history = after.status_history
    if before.status == CaseStatus.CLOSED and after.status != CaseStatus.CLOSED and (
            len(history) == kept or history[:kept] != before.status_history):
        return "a closed case is opened again only by a reopening recorded after its closing"
    for index in range(max(kept, 1), len(history)):
        if history[index - 1].status == CaseStatus.CLOSED and history[index].status != CaseStatus.CLOSED:
            closed = before.model_copy(update={"status": CaseStatus.CLOSED, "status_history": history[:index]})
            problem = _pushed_one(closed, history[index], user, today, within_days)
            if problem:
                return problem
    return ""


def status_of(status: CaseStatus, history: list[StatusChange], caseworker: str) -> Case:
    """A case holding only what the rule reads (its status, history and handläggare), for a push's entries: the
    server holds no whole case there. Not validated (the entries were); no other field is ever read of it."""
    return Case.model_construct(status=status, status_history=history, caseworker=caseworker, person_id="",
                                opened_on=EARLIEST_EVENT)


def _pushed_one(closed: Case, reopening: StatusChange, user: str, today: date, within_days: int) -> str:
    """What is wrong with ``reopening`` of the case as ``closed`` ("" if nothing): ``reopen_problem``'s rule on the
    day the reopening records, that day bounded by the closing's and ``today``'s."""
    last = closed.status_history[-1]
    target = closed_from(closed)
    if reopening.on > today + DAY_AHEAD:
        return "a reopening is dated after today"
    if reopening.on < last.on:
        return "a reopening is dated before the closing it takes back"
    if target is None:
        return "the case's history does not say which status it was closed from"
    if reopening.status != target:
        return "a reopening returns the case to the status it was closed from"
    if not is_own(closed, last, user):
        return "only the case's handläggare, or whoever closed it, can open it again"
    if too_late(last, reopening.on, within_days):
        return f"a case can be opened again only within {within_days} days of its closing"
    return ""


def reopen_case(case: Case, on: date, by: str, within_days: int) -> CaseStatus:
    """Open ``case`` again to the status it was closed from, recording who did and when after the closing (which
    stays as it was); the status it returned to. InvalidTransition (``reopen_problem``'s reason) changes nothing."""
    problem = reopen_problem(case, on, by, within_days)
    target = closed_from(case)
    if problem is not None or target is None:
        raise InvalidTransition(problem.en if problem is not None else "the case cannot be opened again")
    closed = closing(case)
    case.status = target
    # Not before the closing it takes back: one dated tomorrow (a laptop's clock past midnight, within ``DAY_AHEAD``)
    # is taken back on its day, which the server's rule asks (s34-rrace: dated today, it was refused there).
    case.status_history.append(StatusChange(status=target, on=max(on, closed.on) if closed is not None else on, by=by))
    return target
