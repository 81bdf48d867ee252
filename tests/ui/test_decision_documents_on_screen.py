"""Documents from a decision on the follow-up step: the uppdrag to the utförare and the beslutsmeddelande draft with
the appeal notice, previewed and printed through the utredning's preview dialog; the days they were sent and the
delgivning recorded in the case and autosaved (issue 13, points 7-8)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog
from uihelpers import CASEWORKER, PASSPHRASE, type_text, unlock

from ibic.decisions import appeal_deadline
from ibic.demo import demo_cases
from ibic.vocabulary import DecisionOutcome
from storage.kdf import KdfParameters
from storage.profile import create_profile, unlock_profile
from ui.printing.preview import UtredningPreviewDialog

LOAD_TIMEOUT_MS = 60_000
TODAY = date.today()


@pytest.fixture
def partly_granted_dir(profile_dir: Path) -> Path:
    """The demo profile, the followed-up decision partly granted: the beslutsmeddelande must say how to appeal."""
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, cases = demo_cases(TODAY)
    followed = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    followed.decisions = [d.model_copy(update={"outcome": DecisionOutcome.PARTLY_GRANTED}) for d in followed.decisions]
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return profile_dir


@pytest.fixture
def documents_window(qtbot, settings, partly_granted_dir):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow, StartOptions

    main = MainWindow(settings, StartOptions(profile_dir=partly_granted_dir, kdf=KdfParameters()))
    qtbot.addWidget(main)
    main.show()
    yield main
    if main.session is not None:
        main.session.lock()


def _documents_box(qtbot, window):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2025-0117")
    window.open_case(case_id)
    window.workspace.go_to("follow_up")
    return window.workspace.follow_up_page.documents, case_id


def _stored(directory: Path, case_id: str):  # type: ignore[no-untyped-def]
    profile = unlock_profile(directory, PASSPHRASE)
    try:
        return profile.cases.load(case_id), [(e.action, e.detail) for e in profile.audit.entries()]
    finally:
        profile.lock()


def _opened_preview(qtbot, window, button):  # type: ignore[no-untyped-def]
    qtbot.keyClick(button, Qt.Key.Key_Space)
    dialog = window.findChild(UtredningPreviewDialog)
    assert dialog is not None
    if not dialog._pdf:
        with qtbot.waitSignal(dialog.document_loaded, timeout=LOAD_TIMEOUT_MS):
            pass
    return dialog


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_sent_and_delgivning_dates_are_recorded_refused_out_of_order_and_autosaved(  # type: ignore[no-untyped-def]
    qtbot, documents_window, partly_granted_dir
):
    box, case_id = _documents_box(qtbot, documents_window)
    assert box.isEnabled() and "omvårdnad" in box.decisions.text()
    sent, notified = TODAY - timedelta(days=3), TODAY - timedelta(days=1)
    type_text(box.notified.edit, notified.isoformat())
    assert "Ange först datum då beslutsmeddelandet skickades" in box.notified.error.text()
    box.notified.edit.clear()
    type_text(box.notice_sent.edit, sent.isoformat())
    type_text(box.notified.edit, (sent - timedelta(days=2)).isoformat())
    assert "innan det skickades" in box.notified.error.text()
    assert box.notified.edit.text() == (sent - timedelta(days=2)).isoformat(), "the refused date stays typed"
    box.notified.edit.clear()
    type_text(box.notified.edit, notified.isoformat())
    assert box.notified.error.isHidden()
    assert appeal_deadline(notified, 3).isoformat() in box.appeal.text()  # three weeks on, a working day
    workspace = documents_window.workspace
    with qtbot.waitSignal(workspace.saved, timeout=10_000):  # the autosave, not a forced save
        type_text(box.order_sent.edit, sent.isoformat())
    case, _ = _stored(partly_granted_dir, case_id)
    assert [(n.sent_on, n.notified_on) for n in case.decision_notices] == [(sent, notified)]
    assert case.decision_notices[0].decision_ids == [case.decisions[0].id]
    assert [(o.sent_on, o.provider) for o in case.provider_orders] == [(sent, "Hemtjänst Demo AB")]


def test_the_beslutsmeddelande_is_previewed_with_the_appeal_notice_and_printed_with_an_audit_entry(  # type: ignore[no-untyped-def]
    qtbot, documents_window, partly_granted_dir, monkeypatch, tmp_path
):
    box, case_id = _documents_box(qtbot, documents_window)
    type_text(box.notice_sent.edit, (TODAY - timedelta(days=2)).isoformat())
    type_text(box.notified.edit, TODAY.isoformat())
    dialog = _opened_preview(qtbot, documents_window, box.notice_button)
    assert dialog.windowTitle() == "Förhandsgranskning: beslutsmeddelande (utkast)"
    text = _text(dialog._pdf)
    assert "Beslutsmeddelande" in text and "Hur du överklagar" in text
    assert "Sista dag att överklaga" in text
    target = tmp_path / "printed.pdf"

    def accept(self):  # type: ignore[no-untyped-def]
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    with qtbot.waitSignal(dialog.printed, timeout=LOAD_TIMEOUT_MS) as printed:
        qtbot.keyClick(dialog.print_button, Qt.Key.Key_Space)
    assert printed.args == [dialog.page_count()]  # pages are painted as images: count them, not their text
    assert len(PdfReader(str(target)).pages) == dialog.page_count()
    dialog.reject()
    documents_window.workspace.save_now()
    _, audit = _stored(partly_granted_dir, case_id)
    assert any(action == "print" and detail.startswith("beslutsmeddelande v1") for action, detail in audit)


def test_the_uppdrag_to_the_provider_is_previewed_in_the_same_dialog(qtbot, documents_window):  # type: ignore[no-untyped-def]
    box, _ = _documents_box(qtbot, documents_window)
    dialog = _opened_preview(qtbot, documents_window, box.order_button)
    assert dialog.windowTitle() == "Förhandsgranskning: uppdrag till utförare"
    text = _text(dialog._pdf)
    assert "Uppdrag till utförare" in text
    assert "Hemtjänst Demo AB" not in dialog.windowTitle()
    assert "uppföljning" in text.lower()


def test_an_idle_lock_while_printing_stops_the_job_and_raises_nothing(  # type: ignore[no-untyped-def]
    qtbot, documents_window, monkeypatch, tmp_path
):
    """The idle lock fires between two pages (the print loop lets events through): it frees the preview, its
    progress dialog and its document. On main the loop then touched the freed progress dialog: a RuntimeError
    reached sys.excepthook (pytest-qt fails the test on it)."""
    box, _ = _documents_box(qtbot, documents_window)
    dialog = _opened_preview(qtbot, documents_window, box.order_button)

    def accept(self):  # type: ignore[no-untyped-def]
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        documents_window.idle.set_interval_ms(0)  # the user walked away: the lock comes with the first page
        documents_window.idle.start()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    printed: list[int] = []
    dialog.printed.connect(printed.append)  # not qtbot.assertNotEmitted: the lock frees the dialog, signal and all
    with qtbot.waitSignal(documents_window.locked, timeout=10_000):
        qtbot.keyClick(dialog.print_button, Qt.Key.Key_Space)
    assert printed == [], "the job stopped at the lock"
    assert documents_window.session is None
    assert documents_window.findChild(UtredningPreviewDialog) is None


def test_the_beslutsmeddelande_says_the_satisfaction_form_goes_with_it(  # type: ignore[no-untyped-def]
    qtbot, documents_window
):
    """Seed 004 (mål 5): satisfaction with the unit's bemötande, tillgänglighet and information is measured by a form
    the person gets with each beslutsmeddelande. On main the printed draft never mentioned it."""
    box, _ = _documents_box(qtbot, documents_window)
    dialog = _opened_preview(qtbot, documents_window, box.notice_button)
    text = " ".join(_text(dialog._pdf).split())
    assert "Frågeformulär" in text
    assert "bemötande, tillgänglighet och information" in text
    dialog.reject()


def test_the_uppdrags_column_headings_are_printed_whole(qtbot, documents_window):  # type: ignore[no-untyped-def]
    """The insatser table's columns were sized by weight alone: "Beslutsform" and "Beslutsdatum" were wider than
    their columns and printed broken mid-word ("Beslutsfor" / "m") in every uppdrag. Each column is now at least
    as wide as its heading's longest word."""
    box, _ = _documents_box(qtbot, documents_window)
    dialog = _opened_preview(qtbot, documents_window, box.order_button)
    words = _text(dialog._pdf).split()
    dialog.reject()
    for heading in ("Insats", "Omfattning", "Beslutsform", "Period", "Beslutsdatum"):
        assert heading in words, f"{heading} printed whole"
