"""Naming widgets: every control gets the object name tests and settings find it by and the name a screen reader
says (tests/ui/test_accessibility.py walks every window for both)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QScrollArea, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str) -> W:
    """``widget`` with its object name and accessible name set."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


def ignoring_checked(slot: Callable[[], None]) -> Callable[..., None]:
    """``slot`` as a receiver for ``clicked``/``triggered``/``toggled``: Qt passes ``checked`` to any slot that
    takes an argument, and a slot with an optional parameter (``show_case_list(rows=None)``) would get a bool.
    Every button and action connects through this, so no slot has to guard against it."""

    def receive(*_signal_arguments: object) -> None:
        slot()

    return receive


def push_button(text: str, object_name: str, slot: Callable[[], None], parent: QWidget,
                accessible_name: str = "") -> QPushButton:
    """A named button that calls ``slot`` when clicked (its accessible name is its text unless given)."""
    button = named(QPushButton(text, parent), object_name, accessible_name or text)
    button.clicked.connect(ignoring_checked(slot))
    return button


def first_field(page: QWidget) -> QWidget | None:
    """The first control of ``page`` that Tab would reach (a scroll area itself does not count)."""
    widget = page.nextInFocusChain()
    while widget is not page and widget is not None:
        if (page.isAncestorOf(widget) and widget.isVisibleTo(page) and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not isinstance(widget, QScrollArea)):
            return widget
        widget = widget.nextInFocusChain()
    return None
