"""The uppdrag with no utförare chosen (s35-probedocs): the person signed the application and gave an oral consent
"to the utförare", naming none, and the handläggare emptied Vald utförare on the Case step (the person is choosing
again). On main the documents box offered the uppdrag for preview and printing, "the person gave oral consent", a
document with the person's needs and no recipient; without the consent it said "Samtycke saknas", sending the
handläggare to the consents when what was missing was the utförare. Now it says that, and offers nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_consent_refused import _choose, _press
from uihelpers import type_text, unlock

from ibic.vocabulary import ConsentForm, ConsentRecipient


def test_no_utforare_chosen_gives_no_uppdrag_and_says_why(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2025-0117")  # signed by the person, Hemtjänst Demo AB chosen
    _press(qtbot, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = workspace.case_page.consents
    _choose(qtbot, section.recipient, ConsentRecipient.PROVIDER)  # "Utförare", no name: whichever is chosen
    _choose(qtbot, section.form_combo, ConsentForm.ORAL)
    section.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert [c.recipient_name for c in workspace.opened.case.consents] == [""]
    provider = workspace.case_page.provider
    provider.setFocus()
    _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _press(qtbot, Qt.Key.Key_Delete)
    _press(qtbot, Qt.Key.Key_Tab)
    assert workspace.opened.case.chosen_provider == ""

    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    box = workspace.follow_up_page.documents
    assert not box.order_button.isEnabled(), "an uppdrag to no utförare"
    assert box.order_permission.text() == (
        "Uppdraget får inte lämnas till utföraren: Ingen utförare är vald för ärendet: skriv in den valda utföraren "
        "på steget Ärendet först.")
    assert box.notice_button.isEnabled(), "the beslutsmeddelande goes to the person"
