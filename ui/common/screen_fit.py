"""Windows and dialogs open inside the screen they are on, whatever its size and scaling.

A 14-inch laptop at 150 % has a logical screen of 1280×720: a window sized in pixels or in text lines can open
with its status bar or its Close button off-screen. Every top-level window asks for the size it would like and is
given at most what the screen can show.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# Room a window manager's frame and title bar take around the client area (the offscreen platform draws none).
_FRAME = QSize(16, 40)


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen the widget is on, its parent's, or the primary one."""
    for candidate in (widget, widget.parentWidget()):
        if candidate is not None and candidate.screen() is not None:
            return candidate.screen()
    return QGuiApplication.primaryScreen()


def available_area(widget: QWidget) -> QRect:
    """Where a window may be on the widget's screen (task bar and docks left out)."""
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 700)


def fit_to_screen(widget: QWidget, wanted: QSize, share: float = 0.95) -> None:
    """Resize to ``wanted``, or to ``share`` of the available screen where that is smaller, and centre it."""
    area = available_area(widget)
    widget.resize(wanted.boundedTo(_room(area, share)))
    centre = area.center() - QPoint(widget.width() // 2, widget.height() // 2)
    widget.move(centre)


def resize_within_screen(widget: QWidget, wanted: QSize, share: float = 0.95) -> None:
    """Resize to ``wanted`` (at most ``share`` of the available screen) where it is, moved back inside the screen."""
    widget.resize(wanted.boundedTo(_room(available_area(widget), share)))
    keep_on_screen(widget)


def screen_room(widget: QWidget, share: float = 0.95) -> QSize:
    """The most ``resize_within_screen`` gives ``widget`` on the screen it is on."""
    return _room(available_area(widget), share)


def least_width_on_screen(widget: QWidget, least: int) -> int:
    """A page's least width for its content whole, but never more than its screen shows: where the screen is too
    narrow at the chosen text size the window stayed wider than the screen, its right edge out of reach, and
    nothing could narrow it; there the page scrolls or elides instead. The margins of the layouts around the
    widget count: a list inside a page with margins would make the page wider than the screen again."""
    return min(least, screen_room(widget, share=1.0).width() - _margins_around(widget))


def _margins_around(widget: QWidget) -> int:
    """The left and right margins of every layout between ``widget`` and its window."""
    total = 0
    parent = widget.parentWidget()
    while parent is not None:
        layout = parent.layout()
        if layout is not None:
            margins = layout.contentsMargins()
            total += margins.left() + margins.right()
        if parent.isWindow():
            break
        parent = parent.parentWidget()
    return total


def _room(area: QRect, share: float) -> QSize:
    return QSize(int(area.width() * share) - _FRAME.width(), int(area.height() * share) - _FRAME.height())


def keep_on_screen(widget: QWidget) -> None:
    """After a saved geometry is restored: shrink and move it back inside the screen it is on now."""
    area = available_area(widget)
    room = QSize(area.width() - _FRAME.width(), area.height() - _FRAME.height())
    if widget.width() > room.width() or widget.height() > room.height():
        widget.resize(widget.size().boundedTo(room))
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.top()), area.bottom() - frame.height() + 1)
    widget.move(max(x, area.left()), max(y, area.top()))
