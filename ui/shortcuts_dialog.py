"""Hjälp › Kortkommandon: every menu item that has a key sequence, read from the menu bar when the dialog opens,
so the list cannot drift from the actions; then the keys of one page or dialog, declared in ``ui.common.page_keys``
where the pages bind them."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _plain(text: str) -> str:
    """A menu text without its mnemonic marker and trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(keys, what it does, menu) for each menu action with a key sequence, in menu order."""
    rows: list[tuple[str, str, str]] = []
    for menu_action in menu_bar.actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if isinstance(action, QAction) and not action.shortcut().isEmpty():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                rows.append((keys, _plain(action.text()), _plain(menu.title())))
    return rows


def page_key_rows() -> list[tuple[str, str, str]]:
    """(keys, what it does, page or dialog) for each key bound on one page or in one dialog only."""
    from ui.common.page_keys import page_keys

    return [(key.keys.toString(QKeySequence.SequenceFormat.NativeText), _plain(key.what), _plain(key.where))
            for key in page_keys()]


class ShortcutsDialog(QDialog):
    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table = QTreeWidget(self)
        self.table.setObjectName("shortcutsList")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("Keys"), self.tr("What it does"), self.tr("Menu or place")])
        for row in [*shortcut_rows(menu_bar), *page_key_rows()]:
            QTreeWidgetItem(self.table, list(row))
        for column in range(3):
            self.table.resizeColumnToContents(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self._fit_columns()
        self.table.setFocus()

    def _fit_columns(self) -> None:
        """Wide enough for the three columns, and tall enough for the rows up to half the screen: at Qt's default
        size the list showed a column and a half ("Förhandsgransk" cut off, a sideways scroll bar)."""
        table = self.table
        frame = 2 * table.frameWidth()
        width = sum(table.columnWidth(column) for column in range(3)) + frame
        width += table.verticalScrollBar().sizeHint().width()  # room for it when the rows need it
        rows = table.topLevelItemCount()
        height = table.header().sizeHint().height() + rows * max(table.sizeHintForRow(0), 0) + frame
        screen = self.screen().availableGeometry()
        table.setMinimumWidth(min(width, screen.width() * 9 // 10))
        table.setMinimumHeight(min(height, screen.height() // 2))  # a long list scrolls down, never sideways
        self.resize(self.sizeHint().boundedTo(screen.size()))
