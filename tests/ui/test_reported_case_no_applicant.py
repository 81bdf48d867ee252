"""A case from a report (an orosanmälan, the police, unpaid bills: seed 001's ways a case arises) has no applicant:
the person did not apply, the nämnd investigates what came to its knowledge, or the person applies afterwards. On
s29-probe Ny ärende chose "Den enskilde" whatever the origin, and the printed utredning said "Ansökan gjord av Den
enskilde" for a case the police reported. Typed by keys in Ny ärende; previewed by Ctrl+P and saved as PDF; read
with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from test_keyboard_only import expect_dialog, give_back_activation, in_dialog, press, shortcut, tab_to_button, write
from test_new_case_known_person import _with_dialog
from uihelpers import typed_person_and_origin, unlock

LOAD_TIMEOUT_MS = 60_000
NUMBER = "19400105-0121"  # a test personnummer, none of the demo people's


def _new_case(qtbot, window, origin: str, then: Qt.Key | None = None) -> list[object]:  # type: ignore[no-untyped-def]
    """Ny ärende typed by keys with the origin chosen by its first letters; the applicant Ny ärende then shows."""
    shown: list[object] = []

    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        typed_person_and_origin(qtbot, dialog, "Anmäld", NUMBER, origin)
        if then is not None:
            qtbot.keyClick(dialog.origin, then)
        shown.extend([dialog.applicant.currentText(), dialog.applicant.currentData()])
        qtbot.keyClick(dialog.origin, Qt.Key.Key_Return)  # OK

    _with_dialog(qtbot, window, act)
    return shown


def _printed(qtbot, window, target: Path) -> str:  # type: ignore[no-untyped-def]
    """The draft utredning previewed by Ctrl+P and saved as a PDF by Ctrl+S (the print dialog's PDF is page images
    with no text), read with pdftotext."""
    give_back_activation(qtbot, window)  # what a window manager does when Ny ärende closes

    def in_preview(preview) -> None:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: preview.save_button.isEnabled(), timeout=LOAD_TIMEOUT_MS)

        def confirm(box) -> None:  # type: ignore[no-untyped-def]
            tab_to_button(box, "Spara")
            press(Qt.Key.Key_Space)

        def choose_file(_files) -> None:  # type: ignore[no-untyped-def]
            shortcut("Ctrl+A")
            write(str(target))
            press(Qt.Key.Key_Return)

        chosen = expect_dialog(qtbot, "QFileDialog", choose_file)  # opens after the draft warning, from the same key
        in_dialog(qtbot, "QMessageBox", lambda: shortcut("Ctrl+S"), confirm)
        assert chosen == [True] and target.exists()
        give_back_activation(qtbot, preview)
        press(Qt.Key.Key_Escape)

    in_dialog(qtbot, "utredningPreviewDialog", lambda: shortcut("Ctrl+P"), in_preview)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(text.split())


def test_a_case_from_the_police_has_no_applicant_and_prints_how_it_arose(  # type: ignore[no-untyped-def]
    qtbot, demo_window, tmp_path
) -> None:
    unlock(qtbot, demo_window)
    assert _new_case(qtbot, demo_window, "Pol") == ["– ingen ansökan –", None]
    case = demo_window.workspace.opened.case
    assert case.applicant is None
    assert demo_window.workspace.case_page.applicant.currentText() == "– ingen ansökan –"
    printed = _printed(qtbot, demo_window, tmp_path / "utredning.pdf")
    assert "Ansökan gjord av" not in printed
    assert "Ingen ansökan har gjorts; ärendet kom till nämndens kännedom genom polisen" in printed


def test_an_application_still_names_the_person_as_applicant(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    assert _new_case(qtbot, demo_window, "Ans") == ["Den enskilde", "person"]
    assert demo_window.workspace.opened.case.applicant == "person"


def test_an_orosanmalan_then_an_application_chosen_names_the_person_again(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    assert _new_case(qtbot, demo_window, "Oro", Qt.Key.Key_Home) == ["Den enskilde", "person"]  # Home: Ansökan
    assert demo_window.workspace.opened.case.origin == "application"


def test_a_chosen_applicant_stays_when_the_origin_is_corrected(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """A god man chosen as applicant, then Telefon corrected to Brev (both applications): the god man stays. Before,
    every change of origin put back the applicant it implied, and the choice went without a word."""
    unlock(qtbot, demo_window)
    shown: list[object] = []

    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        typed_person_and_origin(qtbot, dialog, "Rättad", NUMBER, "Tel")
        dialog.applicant.setFocus()
        for _ in range(dialog.applicant.count()):  # arrowed down to the god man, as a person does
            if dialog.applicant.currentData() == "guardian":
                break
            qtbot.keyClick(dialog.applicant, Qt.Key.Key_Down)
        dialog.origin.setFocus()
        qtbot.keyClick(dialog.origin, Qt.Key.Key_Down)  # Telefonsamtal → Brev
        shown.extend([dialog.origin.currentData(), dialog.applicant.currentData()])
        qtbot.keyClick(dialog.origin, Qt.Key.Key_Escape)

    _with_dialog(qtbot, demo_window, act)
    assert shown == ["letter", "guardian"], shown
