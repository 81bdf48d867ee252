"""Every control a keyboard can reach has a name a screen reader can say; text size applies everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget
from uihelpers import unlock

from ui.app import apply_text_size


def _unnamed_controls(root: QWidget) -> list[str]:
    unnamed = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or isinstance(widget, QScrollArea):
            continue
        if type(widget).__name__ in ("QScrollBar", "QSplitterHandle", "QTabBar"):
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            continue
        if widget.window() is not root.window():
            continue  # a combo box's popup list: it reads the combo's items, not a name of its own
        if not widget.accessibleName():
            unnamed.append(f"{type(widget).__name__}:{widget.objectName()}")
    return unnamed


def test_every_focusable_control_on_every_step_has_an_accessible_name(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    assert _unnamed_controls(demo_window) == []
    unlock(qtbot, demo_window)
    assert _unnamed_controls(demo_window) == []
    summaries = demo_window.session.summaries()
    demo_window.open_case(next(s.case_id for s in summaries if s.case_number == "DEMO-2026-0001"))
    for step, area in (
        ("case", ""),
        ("visit", ""),
        ("areas", "d4"),
        ("areas", "e398A"),
        ("proposal", ""),
        ("check", ""),
    ):
        demo_window.workspace.go_to(step, area)
        assert _unnamed_controls(demo_window) == [], step


def test_text_size_setting_reaches_every_widget(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    original = app.font().pointSize()
    try:
        apply_text_size(app, 18)
        unlock(qtbot, demo_window)
        demo_window.open_case(demo_window.session.summaries()[0].case_id)
        demo_window.workspace.go_to("areas", "d5")
        sizes = {w.font().pointSize() for w in demo_window.findChildren(QWidget) if w.isVisible()}
        # Headings are deliberately larger; nothing is smaller than the chosen size.
        assert min(sizes) == 18
    finally:
        apply_text_size(app, original)
