"""A consent the person refuses ("samtycker inte", seed 001: secrecy unless the person consents; seed 002: "om den
enskilde inte samtycker ska socialsekreteraren meddelas detta") is recorded on the Case step as a consent is (whom,
what, written or oral, the date), by keys. It shows in the list and in print, the actions that need the consent say
in Swedish why they are not offered, and the journal and the audit log tell it apart from a withdrawal. On main the
consent form recorded only consents given: the tests fail there (no answer to choose)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_draft_issuer import draft_text
from test_provider_consent_withdrawn import _underlag_permission
from uihelpers import type_text, unlock

from ibic.vocabulary import ConsentForm, ConsentRecipient


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _open(qtbot, window, case_number: str):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    type_text(window.case_list.search, case_number)
    _press(qtbot, Qt.Key.Key_Return)
    return window.workspace


def _choose(qtbot, combo, data) -> None:  # type: ignore[no-untyped-def]
    combo.setFocus()
    _press(qtbot, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            break
        _press(qtbot, Qt.Key.Key_Down)
    assert combo.currentData() == data


def record_answer(  # type: ignore[no-untyped-def]
    qtbot, workspace, recipient: ConsentRecipient, name: str, *, given: bool = False,
    form: ConsentForm = ConsentForm.WRITTEN, day: date | None = None,
) -> None:
    """On the Case step, by keys: the person's answer about contacts with ``name``, dated ``day`` (the date field's
    as it stands if None)."""
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = workspace.case_page.consents
    _choose(qtbot, section.recipient, recipient)
    _press(qtbot, Qt.Key.Key_Tab)
    type_text(QApplication.focusWidget(), name)
    _choose(qtbot, section.form_combo, form)
    _choose(qtbot, section.answer, given)
    assert section.answer.currentText() == ("Samtycker" if given else "Samtycker inte")
    if day is not None:
        section.given_on.setFocus()
        _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(QApplication.focusWidget(), day.isoformat())
    section.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)


def _record_refusal(qtbot, workspace, recipient: ConsentRecipient, name: str) -> None:  # type: ignore[no-untyped-def]
    """On the Case step, by keys: the person does not consent to contacts with ``name``."""
    record_answer(qtbot, workspace, recipient, name)


def _rows(section) -> list[str]:  # type: ignore[no-untyped-def]
    return [section.listing.item(i).text() for i in range(section.listing.count())]


def _back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()  # what a window manager does when a dialog closes; offscreen has none
    qtbot.waitUntil(window.isActiveWindow)


def test_a_refusal_to_the_chosen_utforare_is_recorded_shown_printed_and_stops_what_needs_it(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2025-0117")  # signed, Hemtjänst Demo AB (private) chosen
    _record_refusal(qtbot, workspace, ConsentRecipient.PROVIDER, "Hemtjänst Demo AB")
    case = workspace.opened.case
    refused = [c for c in case.consents if c.recipient == ConsentRecipient.PROVIDER]
    assert len(refused) == 1 and not refused[0].given and refused[0].withdrawn_on is None
    today = refused[0].given_on.isoformat()
    section = workspace.case_page.consents
    assert _rows(section)[-1].startswith(f"Utförare – Hemtjänst Demo AB (skriftligt, samtycker inte {today})")
    assert section.answer.currentData() is True, "the next add is a consent again unless chosen otherwise"

    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert "Den enskilde har sagt nej till kontakten." in _underlag_permission(qtbot, demo_window)
    page = workspace.follow_up_page
    assert not page.documents.order_button.isEnabled()
    assert page.documents.order_permission.text() == (
        "Uppdraget får inte lämnas till utföraren: Den enskilde har sagt nej till kontakten.")
    assert page.provider.permission.text() == (
        f"Den enskilde sade nej {today} till att utförarens underlag läses: det får inte antecknas.")
    assert all(page.provider.consent.itemData(i) != refused[0].id for i in range(page.provider.consent.count())), (
        "a refusal is no consent to choose")

    printed = draft_text(qtbot, demo_window)
    _back(qtbot, demo_window)
    consents = printed[printed.index("Samtycken"):]
    assert f"Hemtjänst Demo AB Skriftligt {today} Samtycker inte" in consents, consents[:400]


def test_a_refusal_and_a_withdrawal_are_told_apart_in_the_journal_and_the_audit_log(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2026-0001")  # Tolvan consented orally to Dottern Tova
    profile = demo_window.session.profile
    audit_before = profile.audit.entries()[-1].seq
    case = workspace.opened.case
    tova = next(c for c in case.consents if c.recipient == ConsentRecipient.RELATIVE)
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = workspace.case_page.consents
    section.listing.setFocus()
    _press(qtbot, Qt.Key.Key_Home)  # Tova's consent
    section.withdraw_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert tova.withdrawn_on is not None
    _record_refusal(qtbot, workspace, ConsentRecipient.HEALTHCARE, "")
    refusal = case.consents[-1]
    assert not refusal.given and refusal.recipient == ConsentRecipient.HEALTHCARE

    section.listing.setFocus()
    _press(qtbot, Qt.Key.Key_End)  # the refusal: a no is not withdrawn
    section.withdraw_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert refusal.withdrawn_on is None
    assert section.error.text() == (
        "Ett nej återkallas inte: om den enskilde nu samtycker, lägg till ett nytt samtycke.")
    assert workspace.save_now()

    audited = [(e.action, e.detail) for e in profile.audit.entries(audit_before) if e.case_id == case.id]
    assert ("consent_withdrawn", "recipient: relative") in audited, audited
    assert ("consent_refused", "recipient: healthcare") in audited, audited
    assert [a for a, _ in audited if a.startswith("consent_")] == ["consent_withdrawn", "consent_refused"], audited
    changes = {c.path: c.value for c in profile.journal.pending() if c.record_id == case.id}
    assert changes.get(f"consents/{tova.id}/withdrawn_on") == tova.withdrawn_on.isoformat(), changes
    assert f"consents/{refusal.id}/given" not in changes
    added = changes.get(f"consents/{refusal.id}")
    assert added is not None and added["given"] is False and added["withdrawn_on"] is None, changes


def test_a_refusal_after_a_consent_ends_it_as_a_source_on_screen_and_in_print(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """Tova's consent stays in the list, but the person's later no ends it: the life area no longer offers her as
    a source on that consent and says why, and the print does not call the consent standing."""
    workspace = _open(qtbot, demo_window, "DEMO-2026-0001")
    _record_refusal(qtbot, workspace, ConsentRecipient.RELATIVE, "Dottern Tova (fiktiv)")
    case = workspace.opened.case
    tova, refusal = case.consents[0], case.consents[-1]
    given, today = tova.given_on.isoformat(), refusal.given_on.isoformat()
    assert tova.given and tova.withdrawn_on is None
    assert f"lämnat {given}, sedan nej {today}" in _rows(workspace.case_page.consents)[0]

    workspace.go_to("areas", "d5")
    others = workspace.area_form.others
    offered = [others.source.itemText(i) for i in range(others.source.count())]
    assert "Samtycke: Dottern Tova (fiktiv)" not in offered, offered
    assert others.refusals.isVisible()
    assert others.refusals.text() == (
        f"Den enskilde har sagt nej till kontakt med: Anhörig – Dottern Tova (fiktiv) ({today})."
        " Uppgifter får inte hämtas därifrån.")

    printed = draft_text(qtbot, demo_window)
    _back(qtbot, demo_window)
    consents = printed[printed.index("Samtycken"):]
    assert f"Muntligt {given} Upphört (nej {today})" in consents, consents[:400]
    sources = printed[printed.index("Andra källor"):]
    assert f"Samtycke (muntligt) {given}, upphört (nej {today})" in sources, sources[:400]
