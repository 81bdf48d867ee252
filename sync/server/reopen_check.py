"""The rule for opening a closed case again (``ibic.reopening``), applied to a laptop's push.

The laptop refuses a reopening by anyone but the case's handläggare or whoever closed it, or after
``reopen_within_days``; a tampered or old laptop could push one anyway, and the server took any status change. So
before a batch is applied, each case whose ``status`` or ``status_history`` it writes is looked at as it would be
after the batch's ops on those two entries, and ``ibic.reopening.pushed_reopening_problem`` decides, for the pushing
user on the server's day. Refused, every such op of that case is answered ``rejected`` with the rule in English (the
laptop counts it among the changes the server refused); the batch's other ops apply as they would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ibic import document_paths
from ibic.cases import Case, StatusChange
from ibic.changes import FieldChange
from ibic.errors import DomainError
from ibic.reference import load_reference_data
from ibic.reopening import pushed_reopening_problem, status_of
from ibic.vocabulary import CaseStatus

STATUS_TOPS = ("status", "status_history")
_READ = (*STATUS_TOPS, "caseworker")


@cache
def _adapters() -> tuple[TypeAdapter[CaseStatus], TypeAdapter[list[StatusChange]]]:
    return TypeAdapter(CaseStatus), TypeAdapter(list[StatusChange])


def refused_reopenings(changes: list[FieldChange], user: str, today: date,
                       stored: Callable[[tuple[str, str], str], Any]) -> dict[int, str]:
    """The indexes of ``changes`` refused by the rule, with why. ``stored(key, top)``: a case's top-level entry as
    stored before the batch (``document_paths.MISSING`` when it has none)."""
    by_case: dict[tuple[str, str], list[int]] = {}
    for index, change in enumerate(changes):
        if change.record_type == "case" and change.path.split(document_paths.SEPARATOR, 1)[0] in STATUS_TOPS:
            by_case.setdefault((change.record_type, change.record_id), []).append(index)
    refused: dict[int, str] = {}
    for key, indexes in by_case.items():
        before = {top: value for top in _READ if (value := stored(key, top)) is not document_paths.MISSING}
        problem = _problem(before, [changes[i] for i in indexes], user, today)
        if problem:
            refused.update((i, f"{changes[i].path}: {problem}") for i in indexes)
    return refused


def _problem(before: dict[str, Any], ops: list[FieldChange], user: str, today: date) -> str:
    """The rule's refusal of ``ops`` on a case whose entries were ``before`` ("" if none, or if the entries do not
    match the model: each op's own check refuses what is broken)."""
    after = copy.deepcopy(before)
    for change in ops:
        try:
            document_paths.apply_in_place(after, document_paths.FieldEdit(change.path, change.op, change.value))
        except DomainError:
            continue
    caseworker = str(before.get("caseworker", after.get("caseworker", "")))
    was = _case(before, caseworker)
    if was is None:
        return ""
    # A history the model refuses is refused by its own op's check and stays as it was: the status must not leave
    # Avslutad without it (a reopening dated 9999-12-31 with the status beside it).
    will = _case(after, caseworker) or _case({**after, "status_history": before.get("status_history", [])}, caseworker)
    if will is None:
        return ""
    within = load_reference_data().rules.deadlines.reopen_within_days
    return pushed_reopening_problem(was, will, user, today, within)


def _case(entries: dict[str, Any], caseworker: str) -> Case | None:
    status, history = _adapters()
    try:
        return status_of(status.validate_python(entries.get("status", CaseStatus.ACTUALISED.value)),
                         history.validate_python(entries.get("status_history", [])), caseworker)
    except ValidationError:
        return None
