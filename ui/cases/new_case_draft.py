"""The New case dialog's draft: what is typed into "Nytt ärende" before the case is created (the names, the
personnummer, the sex, how the case arose, who applied, the date) kept in the encrypted profile
(``storage.drafts.NewCaseDraft``), so a kill, a crash, a power loss or the OS session's end loses none of it.

Written with the autosave's debounce after an edit, and at once when a lock or the OS session's end closes the
dialog. Offered back at the next "Nytt ärende" (after a kill, a crash or the session's end; the unlock after a lock
reopens the dialog with what it kept in memory instead), typed into the fields with a notice in the dialog; nothing
is created until the person presses OK. It goes when the case is created (or a known person's case opened instead)
and when the person cancels the dialog (Avbryt, Escape, its close button): a cancel means "not this one". The search
field is not kept: it only finds people already here (docs/architecture.md, "Drafts").
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer

from ui.workspace.drafts import loaded

if TYPE_CHECKING:
    from ui.cases.new_case_dialog import NewCaseDialog

log = logging.getLogger(__name__)
# 2: Sökande's list starts with "– ingen ansökan –" (s29-probe2); a format-1 draft's applicant is one row further.
_FORMAT = 2
KEYS = ("given", "family", "number", "opened", "sex", "origin", "applicant")


class DraftStore(Protocol):
    """Where the draft is kept (``storage.drafts.NewCaseDraft``)."""

    def read(self) -> str: ...

    def keep(self, value: str) -> None: ...


def encode(draft: dict[str, str], blank: dict[str, str]) -> str:
    """The value stored for the dialog's ``draft``; "" when it holds nothing but the dialog's defaults (``blank``)."""
    if draft == blank:
        return ""
    return json.dumps({"format": _FORMAT, **{key: draft[key] for key in KEYS}}, ensure_ascii=False)


def decode(value: str) -> dict[str, str] | None:
    """The dialog's draft in ``value``; None for "" or a value this program cannot read (logged, without its text)."""
    if not value:
        return None
    try:
        data = _read(value)
        draft = {key: data[key] for key in KEYS}
        if not all(isinstance(text, str) for text in draft.values()):
            raise TypeError("a draft's text is not a string")
        for key in ("sex", "origin", "applicant"):
            int(draft[key])
        return draft
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        log.warning("new case draft not read", extra={"error_type": type(error).__name__})
        return None


def _read(value: str) -> dict[str, Any]:
    """The stored object, a format-1 draft's applicant moved to the row it chose then (ValueError: neither)."""
    try:
        return loaded(value, _FORMAT)
    except ValueError:
        data = loaded(value, 1)
        data["applicant"] = str(int(data["applicant"]) + 1)
        return data


class NewCaseDraftKeeper(QObject):
    """Keeps one New case dialog's text in the profile: after each edit (debounced), ``keep`` now, ``forget``."""

    def __init__(self, dialog: NewCaseDialog, store: DraftStore, debounce_ms: int) -> None:
        super().__init__(dialog)
        self._dialog, self._store = dialog, store
        self._blank = dialog.draft()  # the defaults: a dialog opened and left as it was keeps nothing
        self._written = ""
        self.aside = False  # closed by a lock or the session's end, not by the person: the draft stays
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self.keep)
        dialog.edited.connect(self.timer.start)
        dialog.rejected.connect(self._cancelled)

    def offer(self, in_memory: dict[str, str] | None) -> None:
        """Fill the dialog: with what a lock kept in memory, else with the stored draft and the notice."""
        try:
            self._written = self._store.read()
        except Exception as error:  # a damaged or full store: the dialog opens empty, as before drafts
            log.warning("new case draft not read", extra={"error_type": type(error).__name__})
        if in_memory is not None:
            self._dialog.restore(in_memory)
            return
        stored = decode(self._written)
        if stored is not None:
            self._dialog.restore(stored)
            self._dialog.say_restored()

    def keep(self) -> None:
        """Replace the stored draft with what the dialog holds now."""
        self.timer.stop()
        self._write(encode(self._dialog.draft(), self._blank))

    def set_aside(self) -> None:
        """A lock or the OS session's end closes the dialog: kept now, and not forgotten by that close."""
        self.aside = True
        self.keep()

    def forget(self) -> None:
        """The case was created (or a known person's opened) or the person cancelled: no draft any more."""
        self.timer.stop()
        self._write("")

    def _cancelled(self) -> None:
        if not self.aside:
            self.forget()

    def _write(self, value: str) -> None:
        if value == self._written:
            return
        try:
            self._store.keep(value)
        except Exception as error:  # a locked or full store: the text stays in the dialog, kept at the next write
            log.warning("new case draft not kept", extra={"error_type": type(error).__name__})
            return
        self._written = value
