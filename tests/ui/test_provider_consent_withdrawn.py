"""The person's latest word about the chosen utförare wins over the signed application (seed 001: the utförare is
covered once the person signed the application or consented orally; domain notes: a withdrawal is the person's own
decision). A consent to the utförare recorded and then withdrawn on the Case step, by keys, must stop the request
for underlag from saying the utförare is covered. On main the signature went on covering it ("skrivit under
ansökan") whatever the person withdrew: the test fails there."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from test_uppdrag_consent import add_provider_consent
from uihelpers import type_text, unlock

from ibic.vocabulary import ConsentRecipient


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _underlag_permission(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def read() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            seen.append(dialog.permission.text())
        finally:
            dialog.reject()

    window.workspace.follow_up_page.underlag_button.setFocus()
    QTimer.singleShot(0, read)
    _press(qtbot, Qt.Key.Key_Space)
    assert seen, "the request for underlag opened"
    window.activateWindow()  # what a window manager does when a dialog closes; the offscreen platform has none
    qtbot.waitUntil(window.isActiveWindow)
    return seen[0]


def test_a_withdrawn_consent_to_the_chosen_utforare_outweighs_the_signed_application(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2025-0117")  # signed by the person, Hemtjänst Demo AB chosen
    _press(qtbot, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    case = workspace.opened.case
    assert case.application.signed_by_person and case.chosen_provider == "Hemtjänst Demo AB"
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert "skrivit under ansökan" in _underlag_permission(qtbot, demo_window)

    add_provider_consent(qtbot, workspace)  # on the Case step, by keys
    section = workspace.case_page.consents
    given = [c for c in case.consents if c.recipient == ConsentRecipient.PROVIDER]
    assert len(given) == 1 and given[0].withdrawn_on is None
    section.listing.setFocus()
    _press(qtbot, Qt.Key.Key_End)  # the consent just added, chosen in the list
    assert section.selected_id() == given[0].id
    section.withdraw_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert given[0].withdrawn_on is not None

    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    permission = _underlag_permission(qtbot, demo_window)
    assert "skrivit under ansökan" not in permission
    assert "återkallade" in permission


def test_a_limited_consent_says_what_it_covers_in_the_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """The consent list showed whom, the form and the date, but not what a limited consent covers (fails on main)."""
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2025-0117")
    _press(qtbot, Qt.Key.Key_Return)
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = demo_window.workspace.case_page.consents
    section.scope.setFocus()
    type_text(section.scope, "Endast om boendet")
    section.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    rows = [section.listing.item(i).text() for i in range(section.listing.count())]
    assert [row for row in rows if row.endswith(": Endast om boendet")], rows
