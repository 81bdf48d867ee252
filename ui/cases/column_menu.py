"""The header's menu of a list's columns: each column shown or hidden, and the columns fitted to the window again.

Right-click on the column titles, or the context-menu key or Shift+F10 in the list (``COLUMN_MENU_KEYS``, keys the
list takes itself: no platform turned both into a context-menu event): a column hidden where the window
is narrow (``ColumnFit.hidden_for``) is shown from here, and one the handläggare does not need hidden. The choice
is the user's and is kept (``ui.main_window``, ``window/case_list_columns``).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QStatusTipEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMenu, QTableView

from ui.cases.column_fit import ColumnChoices, ColumnFit
from ui.common.menu_style import explained, tell
from ui.common.mnemonics import with_letters
from ui.common.page_keys import COLUMN_MENU_KEYS


class ColumnMenu(QObject):
    """Opens the column menu on ``table``'s header and on the table (keyboard); ``menu`` is the one open last."""

    def __init__(self, table: QTableView, fit: ColumnFit) -> None:
        super().__init__(table)
        self._table, self._fit = table, fit
        self.menu: QMenu | None = None
        header = table.horizontalHeader()
        for widget in (header, table):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            widget.customContextMenuRequested.connect(partial(self._open, widget))
        # Taken as the list's own keys, not shortcuts: a shortcut is matched before the focused widget sees the key,
        # and one of the window's would have taken the Menu key from a text field's own menu.
        self._keys = [QKeySequence(key) for key in COLUMN_MENU_KEYS]
        table.installEventFilter(self)
        self._open_now = False  # a menu shown: the Menu key opens one, and xcb's context-menu event for it another
        fit.hidden_changed.connect(self._say_hidden)
        self._say_hidden()

    def _title(self, column: int) -> str:
        return str(self._table.model().headerData(column, Qt.Orientation.Horizontal))

    def _say_hidden(self) -> None:
        """The header's tooltip names the columns hidden and how to show them, by mouse or keys: where the list is
        narrow (1366×768 at 20 pt) Senast ändrat and Synkstatus are hidden, and nothing on screen said they exist
        (s31-menus); the tooltip told right-clicking only."""
        header = self._table.horizontalHeader()
        how = self.tr("Right-click here, or press the context-menu key (Shift+F10) in the list, to show or hide "
                      "columns.")
        hidden = [self._title(c) for c in range(len(self._fit.keys)) if header.isSectionHidden(c)]
        header.setToolTip(self.tr("Hidden columns: %1.").replace("%1", ", ".join(hidden)) + " " + how if hidden
                          else how)

    def _why(self, column: int) -> str:
        """Why the column is greyed or hidden, for its item's status tip ("" when shown)."""
        if column == 0:
            return self.tr("The name is always shown: it tells the rows apart.")
        if not self._table.horizontalHeader().isSectionHidden(column):
            return ""
        if self._fit.keys[column] in self._fit.choices.hidden:
            return self.tr("You hid this column. Choose it to show it again.")
        return self.tr("Hidden because the list is narrow. Choose it to show it anyway (a less useful column is "
                       "hidden to make room), or make the window wider.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and QKeySequence(event.keyCombination()) in self._keys):
            self._open_by_keys()
            return True
        return super().eventFilter(watched, event)

    def _open_by_keys(self) -> None:
        """Under the current row's first cell (the list's top left corner without one), as a menu opened by keys."""
        current = self._table.visualRect(self._table.currentIndex())
        self._open(self._table, current.bottomLeft() if current.isValid() else QPoint(0, 0))

    def _open(self, widget: QAbstractScrollArea, position: QPoint) -> None:
        if self._open_now:
            return
        menu = explained(QMenu(self._table))
        menu.setObjectName("columnMenu")
        menu.setAccessibleName(self.tr("Columns"))
        # A context menu's item tells its status tip to the menu, a window of its own: told to the list, it reaches
        # the main window's status bar.
        menu.hovered.connect(lambda action: action.showStatusText(self._table))
        # ... and taken back as it closes: Qt clears a status tip only inside the popup, so the last item's reason
        # stayed in the status bar after Esc or Enter.
        menu.aboutToHide.connect(lambda: QApplication.sendEvent(self._table, QStatusTipEvent("")))
        header = self._table.horizontalHeader()
        fit_text = self.tr("Fit the columns to the window")
        *titles, fit_text = with_letters([*(self._title(c) for c in range(len(self._fit.keys))), fit_text])
        for column, title in enumerate(titles):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != 0)  # the name: what tells the rows apart
            tell(action, self._why(column))
            action.toggled.connect(partial(self._fit.set_shown, column))
        menu.addSeparator()
        fit_again = menu.addAction(fit_text)
        fit_again.setObjectName("fitColumnsAgain")
        fit_again.triggered.connect(lambda: self._fit.choose(ColumnChoices()))
        menu.aboutToHide.connect(menu.deleteLater)
        menu.aboutToHide.connect(lambda: setattr(self, "_open_now", False))
        self._open_now = True
        self.menu = menu
        menu.popup(widget.viewport().mapToGlobal(position))  # a scroll area's menu position is its viewport's
