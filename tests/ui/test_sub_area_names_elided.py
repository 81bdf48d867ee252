"""A delområde's name too long for its column ends in "…" (at 1280 wide "d465 Röra sig omkring med hjälp av utrustn"
was cut mid-word and read as a whole name); its tooltip, the label's text and the check box's accessible name stay
whole, and a name that fits shows as it is."""

from __future__ import annotations

from test_sub_areas import _open_case, _to_area
from uihelpers import unlock

from ui.common.text_size import apply_text_size

D465 = "d465 Röra sig omkring med hjälp av utrustning"


def test_a_long_delomrade_name_ends_in_an_ellipsis_at_1280_wide(qtbot, qapp, demo_window) -> None:  # type: ignore[no-untyped-def]
    apply_text_size(qapp, 12)  # the app's own size (TEXT_SIZE); the conftest puts the tests' size back after
    demo_window.resize(1280, 690)
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    _to_area(workspace, "d4")
    editor = workspace.area_form.sub_areas
    long_row, short_row = editor.row_of("d465"), editor.row_of("d450")
    assert long_row is not None and short_row is not None
    label = long_row.label
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 0)
    room = label.contentsRect().width()
    assert label.fontMetrics().horizontalAdvance(D465) > room, "the window is wide enough for the whole name"

    shown = label.shown_text()
    assert shown.endswith("…") and D465.startswith(shown[:-1].rstrip())
    assert label.fontMetrics().horizontalAdvance(shown) <= room
    assert (label.text(), label.toolTip(), long_row.chosen.accessibleName()) == (D465, D465, D465)
    assert short_row.label.shown_text() == "d450 Gå"

    demo_window.resize(2400, 690)  # wide enough again: the whole name, no "…"
    qtbot.waitUntil(lambda: label.shown_text() == D465)
