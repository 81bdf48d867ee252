"""Every text meets WCAG 2.1 AA (4.5:1) in the palette the app installs: disabled and selected text included."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget
from uihelpers import unlock

from ui.palette import (
    AA_NORMAL_TEXT,
    GROUPS,
    TEXT_PAIRS,
    accessible_palette,
    contrast_ratio,
    install_accessible_palette,
)

_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})")
_BACKGROUND = re.compile(r"background(?:-color)?:\s*(#[0-9a-fA-F]{6})")


@pytest.fixture
def app_palette(qapp):  # type: ignore[no-untyped-def]
    """The palette ui.app.run installs at start, removed again afterwards."""
    before = QPalette(qapp.palette())
    install_accessible_palette(qapp)
    yield qapp.palette()
    qapp.setPalette(before)


def _text_widgets(root: QWidget) -> list[QWidget]:
    kinds = (QLabel, QLineEdit, QPlainTextEdit, QAbstractButton, QComboBox)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]


def _too_faint(root: QWidget) -> list[str]:
    faint = []
    for widget in _text_widgets(root):
        palette = widget.palette()
        group = QPalette.ColorGroup.Active if widget.isEnabled() else QPalette.ColorGroup.Disabled
        text = palette.color(group, widget.foregroundRole())
        background = palette.color(group, widget.backgroundRole())
        sheet = widget.styleSheet()
        if match := _COLOUR.search(sheet):
            text = QColor(match[1])
        if match := _BACKGROUND.search(sheet):
            background = QColor(match[1])
        ratio = contrast_ratio(text, background)
        if ratio < AA_NORMAL_TEXT:
            faint.append(f"{type(widget).__name__}:{widget.objectName()} {ratio:.1f}:1")
    return faint


def test_the_installed_palette_meets_the_bar_for_every_text_pair_and_the_selection(app_palette) -> None:  # type: ignore[no-untyped-def]
    for group in GROUPS:
        for text_role, background_role in TEXT_PAIRS:
            ratio = contrast_ratio(app_palette.color(group, text_role), app_palette.color(group, background_role))
            assert ratio >= AA_NORMAL_TEXT, (group, text_role, background_role, ratio)
        selected = app_palette.color(group, QPalette.ColorRole.HighlightedText)
        assert contrast_ratio(selected, app_palette.color(group, QPalette.ColorRole.Highlight)) >= AA_NORMAL_TEXT


def test_qt_default_greys_are_what_the_palette_mends(qapp) -> None:  # type: ignore[no-untyped-def]
    """The finding itself: Qt's own disabled text falls below the bar; after the mend it does not."""
    standard = qapp.style().standardPalette()
    disabled = QPalette.ColorGroup.Disabled
    text, base = QPalette.ColorRole.Text, QPalette.ColorRole.Base
    before = contrast_ratio(standard.color(disabled, text), standard.color(disabled, base))
    mended = accessible_palette(standard)
    after = contrast_ratio(mended.color(disabled, text), mended.color(disabled, base))
    assert before < AA_NORMAL_TEXT <= after


def test_greyed_ej_aktuellt_fields_and_a_selected_case_are_readable(qtbot, app_palette, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    table = demo_window.case_list.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.selectionModel().selectedRows()
    palette = table.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        selected = palette.color(group, QPalette.ColorRole.HighlightedText)
        assert contrast_ratio(selected, palette.color(group, QPalette.ColorRole.Highlight)) >= AA_NORMAL_TEXT
    assert _too_faint(demo_window) == []

    qtbot.keyClick(table, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    workspace.go_to("areas", "d9")
    form = workspace.area_form
    form.own.setFocus()
    qtbot.keyClick(form, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # ej aktuellt: the text fields grey out
    assert form.not_relevant.isChecked() and not form.own.isEnabled()
    assert _too_faint(demo_window) == []
    workspace.go_to("follow_up")
    assert _too_faint(demo_window) == []
