"""Issue 13 on the follow-up page: the rambeslut question, continuity, the consent a private utförare's material needs,
and the Kontroll finding for an incomplete follow-up that leads to its field (seeds 002 and 003)."""

from __future__ import annotations

import unicodedata
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import PASSPHRASE, paste, type_text, unlock

from ibic.follow_up import FOUR_QUESTIONS_SV  # the interface runs in Swedish here
from ibic.vocabulary import DecisionForm
from storage.profile import unlock_profile


def _open_follow_up(qtbot, window):  # type: ignore[no-untyped-def]
    """The demo case under follow-up: a rambeslut carried out by a private utförare, no consent to it."""
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2025-0117")
    window.open_case(case_id)
    window.workspace.go_to("follow_up")
    return window.workspace.follow_up_page, case_id


def _stored_case(directory, case_id):  # type: ignore[no-untyped-def]
    profile = unlock_profile(directory, PASSPHRASE)
    try:
        return profile.cases.load(case_id)
    finally:
        profile.lock()


def test_a_rambeslut_follow_up_asks_whether_the_form_is_still_right_and_records_continuity(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
):
    page, case_id = _open_follow_up(qtbot, demo_window)
    assert [q.accessibleName() for q in page.questions] == list(FOUR_QUESTIONS_SV)
    assert all(q.isVisible() for q in page.questions), "the four questions are asked before each follow-up"
    assert page.frame.isVisible(), "the followed decision is a rambeslut"
    assert "Är rambeslut fortfarande rätt beslutsform" in page.frame.answer.accessibleName()
    assert "uppmuntrar i första hand den enskilde" in page.frame.route.text()
    assert page.frame.time_question.text() == "Kan den enskildes behov tillgodoses inom den biståndsbedömda tiden?"
    page.frame.answer.setFocus()
    type_text(page.frame.answer, "N")  # Nej
    type_text(page.frame.note, "Behoven är nu förutsägbara; insatsbeslut passar bättre.")
    type_text(page.continuity.staff_count, "nio")
    assert "heltal" in page.continuity.staff_error.text()
    assert page.continuity.staff_count.text() == "nio", "the refused text stays in the field"
    page.continuity.staff_count.clear()
    type_text(page.continuity.staff_count, "9")
    assert page.continuity.staff_error.isHidden()
    type_text(page.continuity.care_contact, "Kontaktperson Demo")
    demo_window.workspace.save_now()
    stored = _stored_case(demo_profile_dir, case_id).follow_ups[-1]
    assert stored.frame_still_right_form is False
    assert stored.frame_form_note.startswith("Behoven är nu förutsägbara")
    assert stored.staff_count_14_days == 9
    assert stored.named_care_contact == "Kontaktperson Demo"


def test_a_private_providers_material_waits_for_the_persons_consent_and_nothing_typed_is_lost(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
):
    page, case_id = _open_follow_up(qtbot, demo_window)
    box = page.provider
    assert "samtycke krävs" in box.permission.text()
    type_text(box.view, "Genomförandeplanen är uppdaterad.")
    assert "samtycke krävs" in box.error.text() and box.error.isVisible()
    assert box.view.toPlainText() == "Genomförandeplanen är uppdaterad."
    assert page._current.provider_view == "", "nothing is noted without the consent"
    demo_window.workspace.save_now()
    assert _stored_case(demo_profile_dir, case_id).follow_ups[-1].provider_view == ""

    # The person consents to contact with the utförare (recorded on the Ärendet step, by keyboard).
    workspace = demo_window.workspace
    workspace.go_to("case")
    consents = workspace.case_page.consents
    type_text(consents.recipient, "U")  # Utförare
    type_text(consents.recipient_name, "Hemtjänst Demo AB")
    qtbot.keyClick(consents.add_button, Qt.Key.Key_Space)
    workspace.go_to("follow_up")
    box = workspace.follow_up_page.provider
    assert box.view.toPlainText() == "", "the refused text was never stored"
    box.consent.setFocus()
    type_text(box.consent, "U")  # the consent to the utförare
    assert "Privat utförare: samtycke" in box.permission.text()
    type_text(box.view, "Genomförandeplanen är uppdaterad.")
    assert box.error.isHidden()
    workspace.save_now()
    stored = _stored_case(demo_profile_dir, case_id)
    assert stored.follow_ups[-1].provider_view == "Genomförandeplanen är uppdaterad."
    assert stored.follow_ups[-1].provider_consent_id == stored.consents[-1].id


def _with_a_consent_to_the_utforare(qtbot, window):  # type: ignore[no-untyped-def]
    """The follow-up page after a consent to the utförare was recorded on the Case step (not yet chosen here)."""
    page, _ = _open_follow_up(qtbot, window)
    workspace = window.workspace
    workspace.go_to("case")
    consents = workspace.case_page.consents
    type_text(consents.recipient, "U")
    qtbot.keyClick(consents.add_button, Qt.Key.Key_Space)
    workspace.go_to("follow_up")
    return page


def test_text_refused_before_the_consent_is_noted_once_a_covering_consent_is_chosen(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page = _with_a_consent_to_the_utforare(qtbot, demo_window)
    box = page.provider
    type_text(box.view, "Utföraren ser ett ökat behov på kvällen.")
    assert box.error.isVisible()
    box.consent.setFocus()
    type_text(box.consent, "U")
    assert box.error.isHidden()
    assert page._current.provider_view == "Utföraren ser ett ökat behov på kvällen."


def test_kontroll_flags_an_unanswered_rambeslut_question_and_leads_to_it(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page, _ = _open_follow_up(qtbot, demo_window)
    workspace = demo_window.workspace
    type_text(page.done_on.edit, date.today().isoformat())  # held, but the rambeslut question is not answered
    workspace.save_now()
    navigator = workspace.navigator
    navigator.setFocus()
    qtbot.keyClick(navigator, Qt.Key.Key_Up)  # from Uppföljning up to Kontroll
    check = workspace.check_page
    qtbot.waitUntil(lambda: workspace.pages.currentWidget() is check)
    rows = [check.listing.item(i).text() for i in range(check.listing.count())]
    matching = [i for i, text in enumerate(rows) if "ta ställning till om rambeslut" in text]
    assert matching, rows
    check.listing.setFocus()
    check.listing.setCurrentRow(matching[0])
    qtbot.keyClick(check.listing, Qt.Key.Key_Return)
    assert workspace.pages.currentWidget() is page
    assert QApplication.focusWidget() is page.frame.answer


def test_kontroll_flags_a_follow_up_held_without_answers_or_time_and_leads_to_the_questions(  # type: ignore[no-untyped-def]
    qtbot, demo_window
):
    page, _ = _open_follow_up(qtbot, demo_window)
    workspace = demo_window.workspace
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)  # a new follow-up, nothing answered yet
    type_text(page.done_on.edit, date.today().isoformat())
    workspace.save_now()
    workspace.navigator.setFocus()
    qtbot.keyClick(workspace.navigator, Qt.Key.Key_Up)
    check = workspace.check_page
    qtbot.waitUntil(lambda: workspace.pages.currentWidget() is check)
    rows = [check.listing.item(i).text() for i in range(check.listing.count())]
    matching = [i for i, text in enumerate(rows) if "har inget uppmätt registrerat" in text]
    assert matching, rows
    check.listing.setFocus()
    check.listing.setCurrentRow(matching[0])
    qtbot.keyClick(check.listing, Qt.Key.Key_Return)
    assert workspace.pages.currentWidget() is page
    assert page._current is workspace.opened.case.follow_ups[-1]
    assert QApplication.focusWidget() is page.questions[0]


def test_an_insatsbeslut_follow_up_does_not_ask_the_rambeslut_question(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page, _ = _open_follow_up(qtbot, demo_window)
    case = demo_window.workspace.opened.case
    case.decisions = [d.model_copy(update={"scope": d.scope.model_copy(update={"form": DecisionForm.PER_INSATS})})
                      for d in case.decisions]
    demo_window.workspace.go_to("follow_up")
    assert not page.frame.isVisible()
    assert page.continuity.isVisible() and page.provider.isVisible()


def test_every_new_control_on_the_follow_up_step_has_an_accessible_name(qtbot, demo_window):  # type: ignore[no-untyped-def]
    from test_accessibility import _unnamed_controls

    _open_follow_up(qtbot, demo_window)
    assert _unnamed_controls(demo_window) == []


def test_kontroll_flags_provider_material_noted_without_consent_and_leads_to_the_consent(  # type: ignore[no-untyped-def]
    qtbot, demo_window
):
    page, _ = _open_follow_up(qtbot, demo_window)
    workspace = demo_window.workspace
    # Material noted elsewhere (e.g. pulled by a sync from another device) without a consent to the private utförare.
    workspace.opened.case.follow_ups[-1].provider_view = "Utförarens genomförandeplan."
    workspace.go_to("follow_up")
    assert page.provider.view.toPlainText() == "Utförarens genomförandeplan."
    type_text(page.done_on.edit, date.today().isoformat())  # findings concern follow-ups that were held
    workspace.navigator.setFocus()
    qtbot.keyClick(workspace.navigator, Qt.Key.Key_Up)
    check = workspace.check_page
    qtbot.waitUntil(lambda: workspace.pages.currentWidget() is check)
    rows = [check.listing.item(i).text() for i in range(check.listing.count())]
    matching = [i for i, text in enumerate(rows) if "antecknat utan den enskildes samtycke" in text]
    assert matching, rows
    check.listing.setFocus()
    check.listing.setCurrentRow(matching[0])
    qtbot.keyClick(check.listing, Qt.Key.Key_Return)
    assert workspace.pages.currentWidget() is page
    assert QApplication.focusWidget() is page.provider.consent


def test_the_follow_up_step_shows_only_swedish(qtbot, demo_window):  # type: ignore[no-untyped-def]
    from test_translations import _english_only
    from uihelpers import walk_texts

    _open_follow_up(qtbot, demo_window)
    assert _english_only(walk_texts(demo_window)) == []


def test_a_provider_view_longer_than_the_store_holds_is_refused_with_a_message_and_kept(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """With the consent given, 200,001 characters pasted into the utförare's view: a message, the text kept, nothing
    stored (the model's ValidationError reached sys.excepthook on every keystroke before)."""
    from PySide6.QtGui import QGuiApplication

    from ibic.limits import LONG_TEXT_MAX

    page = _with_a_consent_to_the_utforare(qtbot, demo_window)
    box = page.provider
    box.consent.setFocus()
    type_text(box.consent, "U")
    box.view.setFocus()
    QGuiApplication.clipboard().setText("Plan. " * (LONG_TEXT_MAX // 6 + 1))
    qtbot.keyClick(box.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert box.error.isVisible() and box.error.text() == "Texten är för lång: högst 200\u00a0000 tecken."
    assert len(box.view.toPlainText()) > LONG_TEXT_MAX
    assert page._current.provider_view == ""


def test_a_consent_names_the_utforare_in_whichever_unicode_form_it_was_typed(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """The consent's "Hemtjänst Demo AB" pasted with a decomposed ä ("a" + U+0308, as some sources give it) is the
    chosen utförare: main said the consent did not cover the utförare that day, and the material waited."""
    page, _ = _open_follow_up(qtbot, demo_window)
    workspace = demo_window.workspace
    workspace.go_to("case")
    consents = workspace.case_page.consents
    type_text(consents.recipient, "U")  # Utförare
    paste(qtbot, consents.recipient_name, unicodedata.normalize("NFD", "Hemtjänst Demo AB"))
    qtbot.keyClick(consents.add_button, Qt.Key.Key_Space)
    workspace.go_to("follow_up")
    box = workspace.follow_up_page.provider
    box.consent.setFocus()
    type_text(box.consent, "U")
    assert "Privat utförare: samtycke" in box.permission.text()
    type_text(box.view, "Genomförandeplanen är uppdaterad.")
    assert box.error.isHidden() and page._current.provider_view == "Genomförandeplanen är uppdaterad."


def test_a_staff_count_in_superscript_or_over_the_limit_is_refused_with_the_reason(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """"²" counts as a digit to str.isdigit but int() refuses it: on main typing it raised ValueError out of the
    field's slot. And 9999, a whole number, was refused as "not a whole number": the message now names the limit."""
    page, _ = _open_follow_up(qtbot, demo_window)
    stored = page._current.staff_count_14_days
    count = page.continuity.staff_count
    type_text(count, "²")
    assert "heltal" in page.continuity.staff_error.text()
    assert count.text() == "²" and page._current.staff_count_14_days == stored
    paste(qtbot, count, "9999")
    assert page.continuity.staff_error.text() == "Antalet personal är högst 500."
    assert count.text() == "9999" and page._current.staff_count_14_days == stored
    count.clear()
    type_text(count, "٩")  # an Arabic-Indic nine: a decimal digit, read as 9
    assert page.continuity.staff_error.isHidden() and page._current.staff_count_14_days == 9


def test_a_staff_count_pasted_as_thousands_of_digits_is_refused_with_the_limit(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """int() refuses a string of more than 4300 digits: pasted into the field (it cuts no paste), on s22-probe it
    raised ValueError out of the field's slot. It is over the limit, like 9999, and is kept as pasted."""
    page, _ = _open_follow_up(qtbot, demo_window)
    stored = page._current.staff_count_14_days
    count = page.continuity.staff_count
    digits = "9" * 5000
    paste(qtbot, count, digits)
    assert page.continuity.staff_error.text() == "Antalet personal är högst 500."
    assert count.text() == digits and page._current.staff_count_14_days == stored
    count.clear()
    paste(qtbot, count, "0" * 5000 + "12")  # leading zeros: still the whole number 12
    assert page.continuity.staff_error.isHidden() and page._current.staff_count_14_days == 12
    count.clear()
    paste(qtbot, count, "\u0660" * 5000 + "\u0661\u0663")  # Arabic-Indic zeros before 13: the whole number 13
    assert page.continuity.staff_error.isHidden() and page._current.staff_count_14_days == 13
