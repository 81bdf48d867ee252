"""Others' descriptions carry the source's role, typed or taken from the consent, and the draft prints it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from uihelpers import type_text, unlock

from ibic.documents.outline import Section, Table
from ibic.documents.utredning import build_utredning
from ibic.reference import load_reference_data
from ui.cases.table_model import SummaryRole


def _open_area(qtbot, window, area_id: str, case_number: str = "DEMO-2026-0001"):  # type: ignore[no-untyped-def]
    table = window.case_list.table
    rows = range(table.model().rowCount())
    row = next(r for r in rows if table.model().index(r, 0).data(SummaryRole).case_number == case_number)
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    workspace = window.workspace
    workspace.go_to("areas", area_id)
    return workspace


def _sources_table(workspace) -> Table:  # type: ignore[no-untyped-def]
    opened = workspace.opened
    outline = build_utredning(
        opened.case, opened.person, load_reference_data(), today=date.today(), caseworker="", unit="", version=1
    )

    def tables(blocks):  # type: ignore[no-untyped-def]
        for block in blocks:
            if isinstance(block, Section):
                if block.heading == "Andra källor":
                    yield from (b for b in block.blocks if isinstance(b, Table))
                yield from tables(block.blocks)

    return next(t for section in outline.sections for t in tables(section.blocks))


def test_a_typed_role_is_stored_and_printed_in_the_roll_column(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_area(qtbot, demo_window, "d6")
    others = workspace.area_form.others
    others.source.setFocus()
    qtbot.keyClick(others.source, Qt.Key.Key_End)  # "Annan källa (inget samtycke)"
    assert others.source_name.text() == "" and others.source_role.text() == "", "what the last choice filled is gone"
    type_text(others.source_name, "Grannen Gun (fiktiv)")
    type_text(others.source_role, "Granne")
    type_text(others.text, "rollordet handlar åt henne")
    qtbot.keyClick(others.add_button, Qt.Key.Key_Space)

    listed = [others.listing.item(i).text() for i in range(others.listing.count())]
    assert any(text.startswith("Grannen Gun (fiktiv), Granne [samtycke saknas]:") for text in listed)
    rows = _sources_table(workspace).rows
    assert ("Grannen Gun (fiktiv)", "Granne") in [(row[0], row[1]) for row in rows]
    assert all(row[1].strip() for row in rows), "every source printed has its role"


def test_choosing_a_consent_fills_the_role_from_its_recipient(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_area(qtbot, demo_window, "d6")
    others = workspace.area_form.others
    others.source.setFocus()
    qtbot.keyClick(others.source, Qt.Key.Key_Home)
    assert others.source.currentText().startswith("Samtycke")
    assert others.source_role.text() == "Anhörig"


def test_switching_source_keeps_a_typed_name(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    others = _open_area(qtbot, demo_window, "d6").area_form.others
    others.source.setFocus()
    qtbot.keyClick(others.source, Qt.Key.Key_End)
    type_text(others.source_name, "Hemtjänstpersonal")
    qtbot.keyClick(others.source, Qt.Key.Key_Up)
    qtbot.keyClick(others.source, Qt.Key.Key_End)
    assert others.source_name.text() == "Hemtjänstpersonal"
