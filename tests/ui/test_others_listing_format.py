"""Andras beskrivningar lists each source as the utredning prints it, "name, role": the role in brackets after a
name with brackets of its own read "Dottern Tova (fiktiv) (Dotter)". A source without a role shows its name alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_sub_areas import _open_case, _to_area
from uihelpers import type_text, unlock


def _listed(others) -> list[str]:  # type: ignore[no-untyped-def]
    return [others.listing.item(i).text() for i in range(others.listing.count())]


def test_a_source_is_listed_as_name_comma_role_without_doubled_brackets(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    _to_area(workspace, "d4")
    others = workspace.area_form.others
    assert _listed(others) == ["Dottern Tova (fiktiv), Dotter: Pappa har ramlat två gånger i höstas."]

    others.source.setFocus()
    qtbot.keyClick(others.source, Qt.Key.Key_End)  # "Annan källa (inget samtycke)": name and role typed
    type_text(others.source_name, "Grannen Gun (fiktiv)")
    type_text(others.text, "ser honom sällan ute")
    qtbot.keyClick(others.add_button, Qt.Key.Key_Space)
    assert _listed(others)[-1] == "Grannen Gun (fiktiv) [samtycke saknas]: ser honom sällan ute"
