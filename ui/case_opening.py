"""The first opening of a case after the start: the domain's models and the workspace's modules come in then.

The unlocked list holds neither (issue 14, the memory row: pydantic and the models are ~10 MiB of the window). So
the models (plain Python: pydantic and ``ibic``'s model modules, ~100 ms of CPU) are imported on a worker as soon
as the person first lays a hand on the case list (a key or a click in one of its tables: the selection moving by
hand, ``watch_first_touch``) or asks to open a case, whichever comes first; then the workspace's modules on the UI
thread, which define Qt classes (PySide6 makes that safe there only: ``ui/unlock/preload.py``), and the case asked
for opens. A case asked for meanwhile waits, the event loop running on; the last one asked for is the one opened.
The keys typed while it waits (without Ctrl, Alt or Meta) are held and given to the case once it is shown, as when
it opened in the same turn: not to the list still on screen (its search field, its selection, hidden a moment later).
Not at the unlock, and not at the row a search selects by itself: the memory row measures the list searched
(``bench_start``), and a list only looked at never pays for the models.

Once the workspace is imported (after the first opening, or in a process that imported it before: the tests),
every opening is direct. Nothing here imports the models at import time.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QAbstractItemView

    from ui.common.worker import Job

log = logging.getLogger(__name__)

# What the workspace, and the opening and saving of a case, import that holds no Qt: on the worker, before the
# workspace's own modules (tests/ui/test_first_opening.py: importing the workspace after these brings no other
# module of the domain or the store).
MODEL_MODULES = (
    "ibic.cases",
    "ibic.people",
    "ibic.workflow",
    "ibic.case_actions",
    "ibic.reopening",
    "ibic.document_paths",
    "ibic.reference",  # and the reference data loaded (cached) for the session: ``_import_models``
    "ibic.notices",
    "ibic.documents.decision_documents",
    "ibic.documents.bestallning",
    "ibic.documents.beslutsmeddelande",
    "ibic.documents.uppfoljning",
    "ibic.documents.outline",
    "storage.repositories.known_people",
    "storage.drafts",
    "ui.printing.coverage",  # plain Python, for Kontroll (``ibic.unprintable``); reportlab only for rare text
    "ui.common.typed_run",  # plain Python, for the proposal's and the follow-up's figures
    "ibic.line_breaks",  # plain Python, for the text areas' pastes (``ui.common.text_area``)
)
# The workspace's own modules (they define Qt classes), leaf first: on the UI thread one a turn of the event loop
# (each 1-12 ms once the models are in; tests/ui/test_first_opening.py: each brings no other module), so the
# person's keys and the screen's updates are taken between them. The last is the one the window builds from.
WORKSPACE_MODULES = (
    "ui.common.text_area",
    "ui.common.binding",
    "ui.common.page_keys",
    "ui.assessment.others",
    "ui.assessment.sub_areas",
    "ui.assessment.life_area_form",
    "ui.workspace.autosave",
    "ui.workspace.closing_dialog",
    "ui.workspace.case_header",
    "ui.workspace.lists",
    "ui.workspace.person_section",
    "ui.workspace.consent_section",
    "ui.workspace.case_page",
    "ui.workspace.check_page",
    "ui.workspace.drafts",
    "ui.workspace.decision_documents_box",
    "ui.workspace.follow_up_boxes",
    "ui.workspace.proposal_editor",
    "ui.workspace.follow_up_time",
    "ui.workspace.leaving",
    "ui.workspace.underlag_dialog",
    "ui.workspace.follow_up_page",
    "ui.workspace.hyphenation",
    "ui.workspace.navigator",
    "ui.workspace.proposal_page",
    "ui.workspace.visit_page",
    "ui.workspace.workspace",
)
WORKSPACE_MODULE = WORKSPACE_MODULES[-1]


def workspace_imported() -> bool:
    return WORKSPACE_MODULE in sys.modules


def imported_class(module: str, name: str) -> type[Any] | None:
    """``module``'s class ``name`` if the module is imported, else None (no object of it can exist then): for the lock
    and the quit, which look for such dialogs but must not import beside the models' worker."""
    loaded = sys.modules.get(module)
    return None if loaded is None else cast("type[Any]", getattr(loaded, name))


class CaseOpening(QObject):
    """The window's one: ``when_ready(then)`` calls ``then`` once the workspace can be built (at once after the
    first time); ``watch_first_touch(tables)`` begins the models' import at the first key or click in them."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._job: Job | None = None  # the models' import on its worker, while it runs
        self._importing = False  # from the worker's start to the workspace's last module
        self._waiting: Callable[[], bool] | None = None  # the last opening asked for meanwhile
        self._watched: list[QObject] = []
        self._touches: tuple[QEvent.Type, ...] = ()  # the events that begin, once watched
        self._held: list[QKeyEvent] | None = None  # the keys typed while an opening waits (``_hold_keys``)
        self._held_keys: set[int] = set()  # the keys whose press was held: their release is held too

    def when_ready(self, then: Callable[[], bool]) -> None:
        """``then`` answers whether it showed the case (the keys held meanwhile go to it, else they are dropped)."""
        if workspace_imported():
            self._waiting = None  # asked before the last import step: this later request is the one opened
            then()
            return
        self._waiting = then  # an earlier request is replaced: the person asked for another case since
        self._hold_keys()
        self.begin()

    def cancel(self) -> None:
        """The lock or the quit: no opening waits any more, and the keys held for it are dropped (the passphrase
        typed next goes to the unlock page)."""
        self._waiting = None
        self._stop_holding()

    def begin(self) -> None:
        """Import the models on a worker (once; nothing when the workspace is in already)."""
        self._stop_watching()
        if self._importing or workspace_imported():
            return
        from ui.common.worker import run_in_background
        from ui.import_gate import ImportGate

        self._importing = True
        # From here this thread's imports of new modules (a report, a sync's end...) wait for the worker's: made on
        # a turn of the event loop, so this thread is inside no import (none of its module locks held) now.
        gate = ImportGate()

        def import_models() -> None:
            try:
                _import_models()
            finally:
                gate.open()

        self._job = run_in_background(self, import_models, lambda _none: self._models_in(), self._models_failed)

    def watch_first_touch(self, tables: list[QAbstractItemView]) -> None:
        """The first key or mouse press in one of ``tables`` (not a selection made by the program) begins."""
        if workspace_imported() or self._importing:
            return
        from PySide6.QtCore import QEvent  # here: the unlock page makes no Qt class it does not use (test_start_lazy)

        self._touches = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
        for table in tables:
            for watched in (table, table.viewport()):
                watched.installEventFilter(self)
                self._watched.append(watched)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._held is not None and self._holds(watched, event):
            return True
        if event.type() in self._touches:
            self.begin()  # before the table handles it: an arrow's Enter or a double click waits less
        return False

    def _hold_keys(self) -> None:
        app = QApplication.instance()
        if self._held is None and app is not None:
            _key_types()  # now: most often before the worker starts (Enter asked); see there
            self._held, self._held_keys = [], set()
            app.installEventFilter(self)

    def _holds(self, watched: QObject, event: QEvent) -> bool:
        """Whether ``event`` is a key to the window's focused widget (not in a dialog over it) without Ctrl, Alt or
        Meta: then it is kept (a press or the release of a kept press) or, a shortcut's override, taken (the key
        then comes as a press, kept, and acts once replayed: F6 to the navigator)."""
        QEvent, Qt, QKeyEvent = _key_types()  # the classes, under the names their import gives them

        # A key with one of these is a command (Ctrl+L locks, Ctrl+N a new case): it acts at once, never held.
        modifier = Qt.KeyboardModifier
        command = modifier.ControlModifier | modifier.AltModifier | modifier.MetaModifier
        kind = event.type()
        if (kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)
                or not isinstance(event, QKeyEvent) or watched is not QApplication.focusWidget()
                or not isinstance(watched, QWidget) or watched.window() is not self.parent()
                or event.modifiers() & command):
            return False  # not to its parent either: the Enter that asked, ignored by a search field, goes up
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if kind == QEvent.Type.KeyRelease and event.key() not in self._held_keys:
            return False  # the release of the Enter that asked for the case
        self._held_keys.add(event.key())
        assert self._held is not None
        self._held.append(QKeyEvent(kind, event.key(), event.modifiers(), event.text(), event.isAutoRepeat(),
                                    event.count()))
        return True

    def _stop_holding(self) -> list[QKeyEvent]:
        held, self._held = self._held, None
        app = QApplication.instance()
        if held is not None and app is not None:
            app.removeEventFilter(self)
        return held or []

    def _stop_watching(self) -> None:
        watched, self._watched = self._watched, []
        for target in watched:
            target.removeEventFilter(self)

    def _models_in(self) -> None:
        # The worker's imports are done: only now does this thread import (two threads importing at once lose
        # PySide6's import hook, PYSIDE-3054, and can meet CPython 3.11's module-lock faults).
        self._job = None
        self._import_step(list(WORKSPACE_MODULES))

    def _models_failed(self, error: BaseException) -> None:
        # The same imports on this thread raise it again where the window reports it (an unexpected error).
        log.warning("importing the domain's models failed", extra={"error_type": type(error).__name__})
        self._models_in()

    def _import_step(self, left: list[str]) -> None:
        """One of the workspace's modules this turn, the next on the next; then the opening asked for, on its own
        turn (building the workspace is the longest step)."""
        try:
            __import__(left[0])  # through PySide6's import hook, as an import statement goes
        except BaseException:
            self._importing = False  # the next opening tries again; this one is reported as an unexpected error
            self.cancel()
            raise
        if len(left) > 1:
            QTimer.singleShot(0, self, lambda: self._import_step(left[1:]))
            return
        self._importing = False
        QTimer.singleShot(0, self, self._open_waiting)

    def _open_waiting(self) -> None:
        waiting, self._waiting = self._waiting, None
        held = self._stop_holding()
        if waiting is None or not waiting():
            return
        window = self.parent()
        assert isinstance(window, QWidget)
        for event in held:  # to the case's focused field, through its shortcuts as a typed key goes
            QApplication.sendEvent(window.focusWidget() or window, event)


@functools.cache
def _key_types() -> tuple[type[QEvent], type[Qt], type[QKeyEvent]]:
    """Imported once, not in ``_holds``, which runs for every event of the application while keys are held, beside
    the models' worker: an import statement, even of a module loaded long ago, runs PySide6's import hook, which sets
    the process's import aside a moment (PYSIDE-3054, ``ui.import_gate``). Not at import: the unlock page builds no
    Qt enum it does not use."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    return QEvent, Qt, QKeyEvent


def _import_models() -> None:
    """On the worker: the plain modules only (none defines a Qt class)."""
    from ui.unlock.preload import forget_module_sources

    for name in MODEL_MODULES:
        __import__(name)
    from ibic.reference import load_reference_data

    load_reference_data()  # validated here, cached: the session's ``ref`` at the workspace's build takes it
    forget_module_sources()  # what PySide6's import hook read of them, if it is not wrapped (the preload's note)
