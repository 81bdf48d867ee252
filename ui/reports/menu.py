"""The Rapporter menu: one action per report; each opens the report dialog over the main window.

The main window only adds the menu and enables its actions with the other session actions; the dialog is its child,
so the idle lock closes it with every other dialog.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from ui.common.widgets import text_action
from ui.i18n import tr
from ui.reports.kinds import ReportKind, report_kinds


class ReportsMenu(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: Any = None  # the report dialog last opened (tests read it)
        self.menu: QMenu = window.menuBar().addMenu(tr("&Reports"))
        self.menu.setObjectName("reportsMenu")
        self.actions: dict[str, QAction] = {}
        for kind in report_kinds():
            action = text_action(kind.menu_text, window)
            action.setObjectName(f"reportAction_{kind.key}")
            action.triggered.connect(lambda _checked=False, k=kind: self.open(k))
            self.menu.addAction(action)
            self.actions[kind.key] = action

    def open(self, kind: ReportKind) -> None:
        session = getattr(self._window, "session", None)
        if session is None:
            return
        workspace = getattr(self._window, "workspace", None)
        if workspace is not None:
            workspace.save_now()  # the report reads the store: what was just typed counts
        from storage.errors import StorageError
        from ui.reports.report_dialog import ReportDialog

        try:
            session.profile.audit.record("report", detail=kind.key)
        except StorageError as error:  # not shown unrecorded; the window reports (and locks on) a damaged file
            show_error = getattr(self._window, "_show_error", None)
            if show_error is not None:
                show_error(error)
            return
        self.dialog = ReportDialog(session, kind, self._window)
        self.dialog.open()
