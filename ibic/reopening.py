"""Opening a closed case again ("Öppna ärendet igen"): a closing made by mistake undone on the laptop.

Avslutad is the end of the process (``ALLOWED_TRANSITIONS`` leads nowhere from it); reopening is not a transition
but the closing taken back, to the status the case was closed from (``cases.closed_from``). It is recorded as a
status change of its own after the closing, so the history keeps who closed it, when and why, and who opened it
again. Who may, and until when (docs/seed-rules.md, "Öppna ärendet igen"):

- the case's handläggare, or whoever closed it: the one who can know the closing was a mistake; a colleague's case
  goes back through its handläggare or the central system;
- within ``DeadlineRules.reopen_within_days`` of the closing (30 by default): a mistake is found within days, while
  a person who needs help again later is a new aktualisering, a new case with its own investigation and number.
"""

from __future__ import annotations

from datetime import date

from ibic.cases import Case, StatusChange, closed_from, closing
from ibic.errors import InvalidTransition
from ibic.messages import Message, message
from ibic.name_key import name_key
from ibic.vocabulary import CaseStatus


def reopen_problem(case: Case, today: date, user: str, within_days: int) -> Message | None:
    """Why ``user`` may not open ``case`` again on ``today`` (None: they may)."""
    closed = closing(case)
    if case.status != CaseStatus.CLOSED:
        return message("The case is not closed.")
    if closed is None or closed_from(case) is None:
        return message("The case's history does not say which status it was closed from, so it cannot be opened "
                       "again here. Ask for it to be opened in the central case-management system.")
    if name_key(user) not in {name_key(name) for name in (case.caseworker, closed.by) if name.strip()}:
        return message("Only the case's own handläggare, or whoever closed it, can open it again.")
    if (today - closed.on).days > within_days:
        return message("The case was closed on %1, more than %2 days ago, and can no longer be opened again. If the "
                       "person needs help again, open a new case.", closed.on, within_days)
    return None


def reopen_case(case: Case, on: date, by: str, within_days: int) -> CaseStatus:
    """Open ``case`` again to the status it was closed from, recording who did and when after the closing (which
    stays as it was); the status it returned to. InvalidTransition (``reopen_problem``'s reason) changes nothing."""
    problem = reopen_problem(case, on, by, within_days)
    target = closed_from(case)
    if problem is not None or target is None:
        raise InvalidTransition(problem.en if problem is not None else "the case cannot be opened again")
    case.status = target
    case.status_history.append(StatusChange(status=target, on=on, by=by))
    return target
