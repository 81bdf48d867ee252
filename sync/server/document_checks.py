"""Whole-model checks of the documents the central system sends, before anything is stored.

A laptop validates what it pulls and hides a record that breaks the model; the central system's documents are
checked here instead, so that a broken export is refused at the door with where it breaks (never the values:
they are personal data) rather than reaching a handläggare as a hidden case.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection
from typing import Any

from pydantic import BaseModel, ValidationError

from ibic import document_paths
from ibic.cases import Case, consistency_problems
from ibic.errors import DecisionIsFinal, DomainError
from ibic.people import Person, name_problems
from sync.server.errors import DocumentInvalid

MODELS: dict[str, type[BaseModel]] = {"case": Case, "person": Person}
# The domain's rules over several fields of a record, beyond what its model checks.
CONSISTENCY: dict[type[BaseModel], Callable[[Any], list[str]]] = {Case: consistency_problems, Person: name_problems}


def checked(
    model: type[BaseModel], document: dict[str, Any], what: str, standing: Collection[str] = ()
) -> dict[str, Any]:
    """The document as the model writes it (defaults filled in), or DocumentInvalid naming where it breaks.

    A problem in ``standing`` (the record's own before this write, ``standing_problems``) is let be: decisions and
    statuses are append-only, so an entry stored before a rule could never be corrected and would otherwise freeze
    the record to every later write."""
    try:
        valid = model.model_validate(document)
    except ValidationError as exc:
        raise DocumentInvalid(f"the {what} does not match the domain model ({where_it_breaks(exc)})") from None
    dumped = valid.model_dump(mode="json")
    problems = [p for p in _problems(model, valid, dumped) + changed_places(document, dumped) if p not in standing]
    if problems:
        raise DocumentInvalid(f"the {what} does not match the domain model ({'; '.join(problems[:10])})")
    return dumped


def standing_problems(model: type[BaseModel], document: dict[str, Any]) -> list[str]:
    """The rules' problems a stored record already has (none if it does not even match the model)."""
    try:
        valid = model.model_validate(document)
    except ValidationError:
        return []
    # A value changed from how it is stored (one a laptop pushed as 0 where a date goes) stands too: else every
    # central write to the record was refused naming a field the central system may not write.
    dumped = valid.model_dump(mode="json")
    return _problems(model, valid, dumped) + changed_places(document, dumped)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _kind(value: Any) -> str:
    if isinstance(value, bool):  # before int: a bool is an int to Python
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a text", type(None): "null", list: "an array", dict: "an object"}.get(type(value), "a value")


def changed_places(sent: Any, written: Any, where: tuple[str, ...] = ()) -> list[str]:
    """Where the model would store a value the sender did not send (field names and list positions, never values).

    pydantic's lax reading turned ``0`` into ``false``, ``true`` into ``1``, ``"3"`` into ``3``, and ``0`` or
    ``"1704067200"`` into a date (1970-01-01, 2024-01-01), and the server stored that as if the central system had
    sent it. A value of another JSON kind than the model writes is refused, and so is a date not written as
    YYYY-MM-DD (as a query's dates are: ``strict_json.NOTATIONS``). A text the model only tidies keeps being taken
    (a personnummer with its dash is stored as its twelve digits), as is a field the model reads under its new name
    (``sub_area_codes``)."""
    if isinstance(sent, dict) and isinstance(written, dict):
        return [place for key in sent if key in written
                for place in changed_places(sent[key], written[key], (*where, str(key)))]
    if isinstance(sent, list) and isinstance(written, list):
        if len(sent) != len(written):
            return []
        return [place for index, (one, other) in enumerate(zip(sent, written, strict=True))
                for place in changed_places(one, other, (*where, str(index)))]
    shown = "/".join(where) or "(the document)"
    if isinstance(written, str) and sent != written and _DATE.fullmatch(written):
        return [f"{shown}: write the date as YYYY-MM-DD"]
    if type(sent) is not type(written) and _kind(sent) != _kind(written):  # most values: the same type, no kinds
        return [f"{shown}: {_kind(sent)} where the model takes {_kind(written)}"]
    return []


def _problems(model: type[BaseModel], valid: BaseModel, dumped: dict[str, Any]) -> list[str]:
    problems = CONSISTENCY.get(model, lambda _valid: [])(valid)
    return problems + [f"{where}: an element's key may not hold '{document_paths.SEPARATOR}'"
                       for where in document_paths.unaddressable_keys(dumped)]


def where_it_breaks(exc: ValidationError, *under: str) -> str:
    """Where a document breaks the model and how (each place ``under`` the given path), at most ten places; never the
    values (personal data), nor a key the model does not have: that is the sender's text (a personnummer, U+0000),
    which pydantic names as the place (s29-rserver)."""
    return "; ".join(_one_place(error, under) for error in exc.errors()[:10])


def _one_place(error: Any, under: tuple[str, ...]) -> str:
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        return f"{'/'.join(str(p) for p in (*under, *loc[:-1])) or '(the document)'}: a field the model does not have"
    return f"{'/'.join(str(p) for p in (*under, *loc))}: {error['msg']}"


def check_after(record_type: str, document: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as the model writes them (defaults filled in), or DocumentInvalid unless ``document`` with
    ``values`` set at their paths is still a valid record.

    Stored as sent, a decision status without its optional note differed from what the laptop's model makes of it:
    the handläggare's next save of the case pushed the note and had it rejected (a status is never edited)."""
    after = copy.deepcopy(document)
    try:
        for path, value in values.items():
            document_paths.apply_in_place(after, document_paths.FieldEdit(path, "set", value))
    except DecisionIsFinal:
        raise DocumentInvalid("the write cannot be applied: decisions and their statuses are append-only") from None
    except DomainError as exc:
        # The reason alone: the message ends in the path, the sender's text (an element id may be anything).
        raise DocumentInvalid(f"the write cannot be applied: {str(exc).partition(':')[0]}") from None
    model = MODELS[record_type]
    written = checked(model, after, record_type, standing_problems(model, document))
    as_written = {path: document_paths.get(written, path) for path in values}
    return {path: value if as_written[path] is document_paths.MISSING else as_written[path]
            for path, value in values.items()}
