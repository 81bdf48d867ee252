"""The header's menu of a list's columns: each column shown or hidden, and the columns fitted to the window again.

Right-click on the column titles, or the context-menu key (Shift+F10) in the list: a column hidden where the window
is narrow (``ColumnFit.hidden_for``) is shown from here, and one the handläggare does not need hidden. The choice
is the user's and is kept (``ui.main_window``, ``window/case_list_columns``).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QTableView

from ui.cases.column_fit import ColumnChoices, ColumnFit


class ColumnMenu(QObject):
    """Opens the column menu on ``table``'s header and on the table (keyboard); ``menu`` is the one open last."""

    def __init__(self, table: QTableView, fit: ColumnFit) -> None:
        super().__init__(table)
        self._table, self._fit = table, fit
        self.menu: QMenu | None = None
        header = table.horizontalHeader()
        header.setToolTip(self.tr("Right-click to show or hide columns"))
        for widget in (header, table):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            widget.customContextMenuRequested.connect(partial(self._open, widget))

    def _open(self, widget: QAbstractScrollArea, position: QPoint) -> None:
        menu = QMenu(self._table)
        menu.setObjectName("columnMenu")
        menu.setAccessibleName(self.tr("Columns"))
        header, model = self._table.horizontalHeader(), self._table.model()
        for column in range(len(self._fit.keys)):
            action = menu.addAction(str(model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != 0)  # the name: what tells the rows apart
            action.toggled.connect(partial(self._fit.set_shown, column))
        menu.addSeparator()
        fit_again = menu.addAction(self.tr("Fit the columns to the window"))
        fit_again.setObjectName("fitColumnsAgain")
        fit_again.triggered.connect(lambda: self._fit.choose(ColumnChoices()))
        menu.aboutToHide.connect(menu.deleteLater)
        self.menu = menu
        menu.popup(widget.viewport().mapToGlobal(position))  # a scroll area's menu position is its viewport's
