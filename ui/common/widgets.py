"""Naming widgets: every control gets the object name tests and settings find it by and the name a screen reader
says (tests/ui/test_accessibility.py walks every window for both)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

# QtCore.Qt and QtWidgets.QScrollArea when called: a name used at import creates its class (``Qt`` builds ~90 enums)
# before the unlock page, which needs neither.
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QObject, QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QBoxLayout, QLabel, QPushButton, QWidget
from shiboken6 import createdByPython

if TYPE_CHECKING:  # the name alone would create QEvent and its ~180-member enum before the unlock page
    from PySide6.QtGui import QKeyEvent, QResizeEvent

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str) -> W:
    """``widget`` with its object name and accessible name set."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


def wrapped_label(text: str, parent: QWidget) -> QLabel:
    """A label that wraps its words: a question as long as a line must not widen its page at large text."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def ignoring_checked(slot: Callable[[], None]) -> Callable[..., None]:
    """``slot`` as a receiver for ``clicked``/``triggered``/``toggled``: Qt passes ``checked`` to any slot that
    takes an argument, and a slot with an optional parameter (``show_case_list(rows=None)``) would get a bool.
    Every button and action connects through this, so no slot has to guard against it."""

    def receive(*_signal_arguments: object) -> None:
        slot()

    return receive


def text_action(text: str, parent: QObject) -> QAction:
    """An action with ``text``. The text is set apart from the constructor: its overloads with an icon make the
    binding create QIcon and its enum of ~150 theme icons (a few ms), which the unlock page's menus do not need."""
    action = QAction(parent)
    action.setText(text)
    return action


def push_button(text: str, object_name: str, slot: Callable[[], None], parent: QWidget,
                accessible_name: str = "") -> QPushButton:
    """A named button that calls ``slot`` when clicked (its accessible name is its text unless given)."""
    button = named(QPushButton(text, parent), object_name, accessible_name or text)
    button.clicked.connect(ignoring_checked(slot))
    return button


def enter_kept_from_default(dialog: QWidget, event: QKeyEvent) -> bool:
    """For a dialog whose default button would act on a choice (keep my version, save a file): True, the key
    accepted, for Enter where no button has the focus, which a dialog passes on to its default button (by
    default its first). Enter on a focused button still presses that button (the button takes the key itself)."""
    keys = (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter)
    if event.key() not in keys or isinstance(dialog.focusWidget(), QtWidgets.QAbstractButton):
        return False
    event.accept()
    return True


ROW_TOLERANCE_PX = 6  # controls whose tops differ by less share a row (a field and the button beside it)


def focus_by_keys(widget: QWidget) -> None:
    """Focus ``widget`` for a shortcut (Ctrl+3, F6, Ctrl+E …) and have it drawn focused. Qt's styles draw the focus
    of a check box, button or list only in a window marked as reached by keys: a Tab marks it, a focus given with any
    other reason unmarks it, and a focus given to the widget that has it already changes nothing. So after Ctrl+3
    Ej aktuellt had the focus and showed none (s30-keys)."""
    widget.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
    widget.window().setAttribute(QtCore.Qt.WidgetAttribute.WA_KeyboardFocusChange)
    widget.update()


def reading_order(container: QWidget) -> list[QWidget]:
    """The Tab stops shown in ``container``, top to bottom and left to right within a row: the order a person
    reads the screen in, whatever order the widgets were created in."""
    stops = [w for w in container.findChildren(QWidget)
             if w.isVisibleTo(container) and w.isEnabled() and w.focusProxy() is None
             and w.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus and not isinstance(w, QtWidgets.QScrollArea)]
    origin = container.mapToGlobal(container.rect().topLeft())

    def place(widget: QWidget) -> tuple[int, int]:
        point = widget.mapToGlobal(widget.rect().topLeft()) - origin
        return point.y(), point.x()

    rows: list[list[QWidget]] = []
    row_top = 0
    for widget in sorted(stops, key=place):
        top = place(widget)[0]
        if rows and top - row_top < ROW_TOLERANCE_PX:
            rows[-1].append(widget)
        else:
            rows.append([widget])
            row_top = top
    return [widget for row in rows for widget in sorted(row, key=lambda w: place(w)[1])]


def focus_chain_step(widget: QWidget, next: bool) -> QWidget:
    """The widget after (``next``) or before ``widget`` in its window's focus chain.

    PySide6 makes the Python wrapper of the widget ``nextInFocusChain``/``previousInFocusChain`` returns a child of
    ``widget``'s (and hands a top-level window's to C++): once ``widget`` was deleted, every wrapper walked after it
    was invalidated though its widget lived. A Tab out of a case's step walked round the window; a status change then
    deleted a button walked past, and the main window's menus were "already deleted" in Python: the next menu opened
    raised (s33-conflict, s33-lead). The wrapper's link is put back to the widget's own parent: ``setParent`` with the
    parent it has changes nothing in Qt. Only for the widgets made in Python: a widget Qt made itself (a scroll area's
    scroll bar) has no Python object anyone keeps, and setting its parent from Python crashed the process."""
    found = widget.nextInFocusChain() if next else widget.previousInFocusChain()
    assert found is not None  # the chain is a ring: a widget alone is its own next
    if createdByPython(found):
        found.setParent(found.parentWidget())
    return found


def step_in_reading_order(container: QWidget, next: bool, *, wrap: bool = False) -> bool:
    """Move the focus inside ``container`` to the next (or previous) Tab stop in reading order; False when the focus
    is not inside it, or (without ``wrap``) already on its last (first) stop."""
    focus = QApplication.focusWidget()
    if focus is None or not container.isAncestorOf(focus):
        return False
    order = reading_order(container)
    widget: QWidget | None = focus
    while widget is not None and widget not in order:  # a composite's inner editor: the composite is the stop
        widget = widget.parentWidget()
    if widget is None or not order:
        return False
    index = order.index(widget) + (1 if next else -1)
    if wrap:
        index %= len(order)
    if not 0 <= index < len(order):
        return False
    order[index].setFocus(QtCore.Qt.FocusReason.TabFocusReason if next else QtCore.Qt.FocusReason.BacktabFocusReason)
    return True


class ReflowRow(QWidget):
    """Widgets side by side while they fit, one under the other when they do not (16 pt text on a 150 % screen):
    the row asks no more width than its widest widget, so it never makes its page scroll sideways."""

    def __init__(self, widgets: Sequence[QWidget], parent: QWidget, *, stretch_last: bool = False) -> None:
        """``stretch_last``: the last widget (a combo box beside its check box) takes the row's free width, and
        the whole width when the row is a column."""
        super().__init__(parent)
        self._widgets = list(widgets)
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        for index, widget in enumerate(self._widgets):
            if stretch_last and index == len(self._widgets) - 1:
                self._box.addWidget(widget, 1)
            elif isinstance(widget, ReflowRow):  # unaligned: the whole width when this row is a column, to reflow in
                self._box.addWidget(widget)
            else:
                self._box.addWidget(widget, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        if not stretch_last:
            self._box.addStretch(1)

    def _shown(self) -> list[QWidget]:
        return [w for w in self._widgets if not w.isHidden()]

    def _row_width(self) -> int:
        shown = self._shown()
        # A row inside a row counts as its widgets side by side: its size hint shrinks once it is a column, and
        # the outer row then kept the inner rows side by side, each a column (the preview's tool rows, s25-odd).
        return sum(w._row_width() if isinstance(w, ReflowRow) else w.sizeHint().width() for w in shown) + (
            self._box.spacing() * max(len(shown) - 1, 0))

    def minimumSizeHint(self) -> QSize:
        widest = max((w.minimumSizeHint().width() for w in self._shown()), default=0)
        return QSize(widest, self._box.minimumSize().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        wanted = (QBoxLayout.Direction.LeftToRight if event.size().width() >= self._row_width()
                  else QBoxLayout.Direction.TopToBottom)
        if self._box.direction() != wanted:
            self._box.setDirection(wanted)
            self.updateGeometry()  # a column is taller: the page makes room for it
        super().resizeEvent(event)
