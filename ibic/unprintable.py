"""Text the printed documents cannot show, as findings in Kontroll.

The documents print in one typeface; a character it lacks (an emoji, Chinese, Thai…) prints as "�". The print
preview says how many there are, but only once a document is made: Kontroll now names the field before then, so the
handläggare can write them another way (a transcription) while the case is open. Which characters the typeface has
is the printing's to say (``can_print``, from ``ui.printing.coverage``); where the text stands is the case's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from ibic.cases import Case
from ibic.completeness import Finding
from ibic.document_paths import SEPARATOR
from ibic.field_labels import field_label
from ibic.messages import Term, message
from ibic.people import Person
from ibic.reference import ReferenceData

_PROPOSAL_PARTS = {"proposals", "communication", "decisions", "decision_notices", "provider_orders"}
# The area fields Kontroll can put the focus on (``ui.workspace.workspace._FINDING_FIELDS``, "need" and "goal" by name).
_AREA_FIELDS = {"own_description", "assessment", "need", "goal"}


def unprintable_findings(case: Case, person: Person, ref: ReferenceData,
                         can_print: Callable[[str], bool]) -> list[Finding]:
    """One finding a field whose text holds a character that prints as "�", in the order of the case."""
    found: dict[str, Finding] = {}
    texts = [*_texts(person, ("person",)), *_texts(case, ())]
    for path, text in texts:
        if can_print(text):
            continue
        where = SEPARATOR.join(_key(part) for part in path)
        if where in found:
            continue
        step, area_id, field = _place(path)
        item_id = getattr(path[1], "id", None) if step == "follow_up" and len(path) > 1 else None
        label = Term(field_label(where, ref, "sv"), field_label(where, ref, "en"))
        found[where] = Finding(
            "unprintable_text", step,
            message("%1: has characters the printed documents cannot show (an emoji, or a script such as Chinese "
                    "or Thai); they print as �. Write them another way.", label),
            area_id=area_id, field=field, item_id=item_id,
        )
    return list(found.values())


def _texts(value: object, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string of a model, with the path to it (a list element stands in the path as itself)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*path, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item, (*path, item))


def _key(part: object) -> str:
    """A path segment: a field's name, or a list element's area id or id (which ``field_label`` leaves out)."""
    if isinstance(part, str):
        return part
    return str(getattr(part, "area_id", None) or getattr(part, "id", None) or "")


def _place(path: tuple[Any, ...]) -> tuple[str, str | None, str | None]:
    """The workspace step (and life area and field) where the text at ``path`` is written."""
    head = path[0]
    if head == "investigation" and len(path) > 3 and path[1] == "assessments":
        field = path[3] if path[3] in _AREA_FIELDS else None
        return "areas", getattr(path[2], "area_id", None), field
    if head == "investigation":
        return "visit", None, None
    if head in _PROPOSAL_PARTS:
        return "proposal", None, None
    if head == "follow_ups":
        return "follow_up", None, None
    return "case", None, None
