"""A dialog where Tab follows reading order (its own module: the unlock page, which uses ``ui.common.widgets``,
opens no dialog, and the binding creates QDialog, with its enums, only when its name is first used)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from ui.common.widgets import step_in_reading_order


class ReadingOrderDialog(QDialog):
    """A dialog where Tab follows reading order (top to bottom, left to right), round and round, whatever order
    its widgets were created or laid out in: a button row built before the view it controls, a table below tabs."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return step_in_reading_order(self, next, wrap=True) or super().focusNextPrevChild(next)
