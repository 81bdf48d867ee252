"""A status change that races another writer's: one conflict on the case's status, its history's entries with it.

A case's status change is two writes, ``status`` and the history's new entry (``status_history/<id>``), made on the
case as the laptop last saw it. When another laptop (a colleague closing the case, say) changed the status after
that, the change was made without knowing the status it replaces: it is a conflict on ``status``, shown to the
handläggare as any other, and the history's entries that go with it are held back with it
(``ibic.status_paths.goes_with_status``), never applied on their own (s33: a closing met so was taken as a reopening
and both refused, and the laptop kept a history entry the server never got).

The choice (``kept_status``) then rebuilds the history on the server's:

- the server's status: the held entries go; the case is as the server has it;
- one's own against the server's closing: a reopening (``ibic.reopening``), allowed to the case's handläggare or
  whoever closed it within the days of the closing, recorded after the closing, then the own entries; refused, the
  case keeps the server's status (as above) and the refusal says why;
- one's own against another open status: the own entries after the server's, a closing among them naming the status
  it now closes the case from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from ibic.cases import StatusChange, closed_from, closing
from ibic.errors import DomainError
from ibic.messages import Message, message
from ibic.reopening import reopen_problem, status_of
from ibic.status_paths import is_status
from ibic.vocabulary import CaseStatus


class ClosingNotHere(DomainError):
    """The server's side is a closing this computer has not pulled yet: the choice cannot be checked (a sync first).
    ``reason``: what to tell the handläggare."""

    def __init__(self) -> None:
        super().__init__("the server's closing of the case has not been pulled yet")
        self.reason = message("The case's closing has not reached this computer yet. Sync, then choose again.")


@dataclass
class KeptStatus:
    """The case's status and history after a choice; ``added``: the entries to send (after the server's history);
    ``refused``: why one's own status was not kept (the server's then is), None when it was."""

    status: CaseStatus
    history: list[StatusChange]
    added: list[StatusChange] = field(default_factory=list)
    refused: Message | None = None


def reopens(record_type: str, path: str, mine: Any, theirs: Any) -> bool:
    """Whether keeping ``mine`` in a conflict at ``path`` opens a closed case again: one's own status against the
    server's closing (``kept_status``: a reopening by its rule), which the handläggare is told before choosing."""
    closed = CaseStatus.CLOSED.value
    return is_status(record_type, path) and theirs == closed and mine != closed


def statuses_of(history: list[Any], server: Any, chosen: Any) -> tuple[list[StatusChange], CaseStatus, CaseStatus]:
    """A stored history and the conflict's two statuses as the model reads them (ValueError if they do not fit)."""
    return _history().validate_python(history), CaseStatus(server), CaseStatus(chosen)


@cache
def _history() -> TypeAdapter[list[StatusChange]]:
    return TypeAdapter(list[StatusChange])


def kept_status(history: list[StatusChange], held: set[str], server: CaseStatus, chosen: CaseStatus,
                caseworker: str, user: str, today: date, within_days: int) -> KeptStatus:
    """The case after ``chosen`` was picked in the conflict on its status: ``history`` is the laptop's (the server's
    entries pulled, and the held entries ``held`` by id, wherever they stand), ``server`` the server's status.
    ClosingNotHere when a reopening is to be checked against a closing the laptop does not hold yet."""
    own = [entry for entry in history if entry.id in held]
    theirs = [entry for entry in history if entry.id not in held]
    as_server = KeptStatus(server, theirs)
    if chosen == server:
        return as_server
    if server == CaseStatus.CLOSED:
        closed = status_of(server, theirs, caseworker)
        if closing(closed) is None:
            raise ClosingNotHere()
        problem = reopen_problem(closed, today, user, within_days)
        if problem is not None:
            return KeptStatus(server, theirs, refused=problem)
        target = closed_from(closed)
        assert target is not None  # reopen_problem said so
        return _after(theirs, server, [StatusChange(status=target, on=today, by=user), *own], chosen)
    return _after(theirs, server, own, chosen)


def _after(theirs: list[StatusChange], server: CaseStatus, added: list[StatusChange],
           chosen: CaseStatus) -> KeptStatus:
    """``added`` behind ``theirs`` (the case at ``server``): none dated before the one it follows, a closing naming
    the status it now closes the case from."""
    rebuilt = list(theirs)
    current = server
    for entry in added:
        update: dict[str, object] = {}
        if rebuilt and entry.on < rebuilt[-1].on:
            update["on"] = rebuilt[-1].on
        if entry.status == CaseStatus.CLOSED and current != CaseStatus.CLOSED:
            update["closed_from"] = current
        rebuilt.append(entry.model_copy(update=update) if update else entry)
        current = entry.status
    return KeptStatus(chosen, rebuilt, rebuilt[len(theirs):])
