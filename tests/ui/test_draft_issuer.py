"""A case made in the app prints its issuing municipality and unit and the handläggare's contact details, set once in
Inställningar (Ctrl+,); IT may fix municipality and unit for the computer."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from uihelpers import type_text, unlock, when_shown

LOAD_TIMEOUT_MS = 30_000


def _back_to(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    # A window manager gives focus back to the main window when a dialog closes; offscreen the test asks for it.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)



def draft_text(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    """The draft utredning's text as the preview shows it, opened with Ctrl+P (words joined by single spaces)."""
    texts: list[str] = []

    def read_pdf(dialog) -> None:  # type: ignore[no-untyped-def]
        if not dialog._pdf:
            with qtbot.waitSignal(dialog.document_loaded, timeout=LOAD_TIMEOUT_MS):
                pass
        reader = PdfReader(io.BytesIO(dialog._pdf))
        texts.append(" ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages))

    when_shown("utredningPreviewDialog", read_pdf)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert texts, "the preview opened"
    return texts[0]

def test_settings_reach_the_draft_of_a_case_made_here(qtbot, demo_window, settings) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)

    def fill_settings(dialog) -> None:  # type: ignore[no-untyped-def]
        type_text(dialog.municipality, "Exempelby kommun")
        type_text(dialog.unit, "Biståndsenheten Norr")
        type_text(dialog.contact, "0123-456 78")
        qtbot.keyClick(dialog.contact, Qt.Key.Key_Return)

    when_shown("settingsDialog", fill_settings)
    qtbot.keyClick(demo_window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    _back_to(qtbot, demo_window)

    def new_case(dialog) -> None:  # type: ignore[no-untyped-def]
        type_text(dialog.given_name, "Ny")
        type_text(dialog.family_name, "Testperson")
        type_text(dialog.personal_number, "20170101-2393")
        qtbot.keyClick(dialog.personal_number, Qt.Key.Key_Return)

    when_shown("newCaseDialog", new_case)
    qtbot.keyClick(demo_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    _back_to(qtbot, demo_window)
    assert demo_window.workspace.opened.case.unit == "Biståndsenheten Norr", "the case is the unit's"
    text = draft_text(qtbot, demo_window)
    assert "EXEMPELBY KOMMUN · BISTÅNDSENHETEN NORR" in text
    assert "Kommun Exempelby kommun" in text and "Enhet Biståndsenheten Norr" in text
    assert "Kontakt 0123-456 78" in text
    assert "Svar senast" in text, "the copy for kommunicering says by when to answer"
