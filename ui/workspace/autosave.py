"""What changed in the open case since its last save, so the autosave diffs only that (issue 14).

An edit a ``Binder`` announces names the object it changed (``ui.common.binding.announced_change``); any other
edit (a list editor, a button, a page that created a record while loading) makes the set unknown, and the next save
diffs the whole document as before. Storage falls back to the whole diff by itself whenever a named object is not
where the diff would address it.
"""

from __future__ import annotations

from typing import Any

from ui.common.binding import announced_change


class EditedObjects:
    """The objects edited since the last save; ``objects`` is None once an edit came that named none."""

    def __init__(self) -> None:
        self._objects: list[Any] | None = []

    @property
    def objects(self) -> list[Any] | None:
        return None if self._objects is None else list(self._objects)

    def edited(self) -> None:
        """An edit arrived: remember the object the binder announced, or that this save must diff everything."""
        changed = announced_change()
        if changed is None:
            self._objects = None
        elif self._objects is not None and all(held is not changed for held in self._objects):
            self._objects.append(changed)

    def unknown(self) -> None:
        """Something changed the case without naming it (e.g. a page created a record when it loaded)."""
        self._objects = None

    def saved(self) -> None:
        self._objects = []
