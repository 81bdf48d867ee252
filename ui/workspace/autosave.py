"""What changed in the open case since its last save, so the autosave diffs only that (issue 14).

An edit a ``Binder`` announces names the object it changed (``ui.common.binding.announced_change``); any other
edit (a list editor, a button, a page that created a record while loading) makes the set unknown, and the next save
diffs the whole document as before. Storage falls back to the whole diff by itself whenever a named object is not
where the diff would address it.
"""

from __future__ import annotations

from typing import Any

from ibic.document_paths import FieldsOf
from ui.common.binding import announced_change, announced_field


class EditedObjects:
    """The objects edited since the last save, each with the fields edited (None: the whole object may have
    changed); ``objects`` is None once an edit came that named no object."""

    def __init__(self) -> None:
        self._objects: list[tuple[Any, set[str] | None]] | None = []

    @property
    def objects(self) -> list[Any] | None:
        """What the next save must diff: objects, and ``FieldsOf`` where only some fields of one were edited."""
        if self._objects is None:
            return None
        return [held if fields is None else FieldsOf(held, frozenset(fields)) for held, fields in self._objects]

    def edited(self) -> None:
        """An edit arrived: remember the object (and field) the binder announced, or that this save must diff
        everything."""
        changed, field = announced_change(), announced_field()
        if changed is None:
            self._objects = None
            return
        if self._objects is None:
            return
        for index, (held, fields) in enumerate(self._objects):
            if held is changed:
                if fields is not None:
                    self._objects[index] = (held, None if field is None else fields | {field})
                return
        self._objects.append((changed, None if field is None else {field}))

    def unknown(self) -> None:
        """Something changed the case without naming it (e.g. a page created a record when it loaded)."""
        self._objects = None

    def saved(self) -> None:
        self._objects = []
