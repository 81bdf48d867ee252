"""The printed uppföljning through Ärende → Förhandsgranska uppföljning (Ctrl+Shift+F), read with pdftotext
(s31-report, s31-report2).

- A follow-up concluded (held by the print's day, recorded, its outcome recorded) is the record of what was done:
  printed without UTKAST (the design's "Uppföljning record"). One held and recorded but without an outcome is still
  being written: UTKAST (s31-report printed it as the final record), like the utredning and the beslutsmeddelande,
  which stay drafts (the central system holds the final ones).
- The person withdrew the consent to the private utförare after the follow-up day, on the Case step's consent list:
  the utförare's view obtained while the consent was in force is printed, with a line under it saying the consent
  was withdrawn on that day, after the follow-up (domain notes: records are never changed, only superseded; the
  consent governs obtaining and sharing from then on). s31-report left the view out.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_follow_up_record_printed import LOAD_TIMEOUT_MS, _open
from test_reports_menu import TODAY
from uihelpers import CASEWORKER, PASSPHRASE, when_shown

from ibic.base import new_id
from ibic.consent import Consent
from ibic.demo import demo_cases
from ibic.vocabulary import ConsentForm, ConsentRecipient, FollowUpOutcome
from storage.kdf import KdfParameters
from storage.profile import create_profile

HELD = TODAY - timedelta(days=20)  # the follow-up's day
VIEW = "Tolvan vill ha hjälp senare på morgonen."


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:  # the profile conftest's ``window`` opens, filled here
    """Tolvan's case twice, each with a follow-up made on HELD and the private utförare's view noted on the person's
    written consent: TEST-2026-0001's with its outcome recorded, TEST-2026-0002's without."""
    directory = tmp_path / "profile"
    profile = create_profile(directory, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, cases = demo_cases(TODAY)
    template = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    person = next(p for p in people if p.id == template.person_id)
    made = []
    for number, outcome in (("TEST-2026-0001", FollowUpOutcome.CONTINUE_UNCHANGED), ("TEST-2026-0002", None)):
        consent = Consent(recipient=ConsentRecipient.PROVIDER, recipient_name=template.chosen_provider,
                          form=ConsentForm.WRITTEN, given_on=HELD - timedelta(days=30))
        follow_up = template.follow_ups[0].model_copy(update={
            "id": new_id(), "done_on": HELD, "provider_view": VIEW, "provider_consent_id": consent.id,
            "outcome": outcome})
        made.append(template.model_copy(deep=True, update={
            "id": new_id(), "case_number": number, "consents": [consent], "follow_ups": [follow_up]}))
    profile.people.save_many([person])
    profile.cases.save_many(made)
    profile.lock()
    return directory


def _printed_by_keys(qtbot, window, number: str, folder: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _printed(qtbot, _open(qtbot, window, number), number, folder)


def _printed(qtbot, workspace, number: str, folder: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ctrl+Shift+F from the case opened: the preview's title and its PDF's text (pdftotext, one line)."""
    seen: dict[str, str] = {}

    def ready(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: bool(dialog._pdf), timeout=LOAD_TIMEOUT_MS)
        path = folder / f"{number}.pdf"
        path.write_bytes(dialog._pdf)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
        seen.update(title=dialog.windowTitle(), text=" ".join(text.split()))

    when_shown("utredningPreviewDialog", ready)
    QTest.keySequence(workspace, QKeySequence("Ctrl+Shift+F"))
    assert seen, "the preview was shown"
    return seen


def test_a_follow_up_concluded_prints_as_its_record_without_the_draft_mark(  # type: ignore[no-untyped-def]
    qtbot, window, tmp_path
) -> None:
    seen = _printed_by_keys(qtbot, window, "TEST-2026-0001", tmp_path)
    text = seen["text"]
    assert "UTKAST" not in text, "a record of what was done, not a draft"
    assert f"Uppföljningen gjordes {HELD.isoformat()}" in text
    assert "Ärende TEST-2026-0001 · Uppföljning" in text and "Handlingen omfattas av sekretess" in text
    assert seen["title"] == "Förhandsgranskning: uppföljning"
    assert VIEW in text and "efter uppföljningen" not in text, "the consent stands: the view, and no line"


def test_a_follow_up_without_its_outcome_prints_as_a_draft(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seen = _printed_by_keys(qtbot, window, "TEST-2026-0002", tmp_path)
    assert "UTKAST" in seen["text"], "held and recorded, no outcome yet: still being written"
    assert "Inget resultat är registrerat ännu." in seen["text"]
    assert seen["title"] == "Förhandsgranskning: uppföljning (utkast)"


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_the_utforares_view_is_printed_with_a_line_after_the_consent_was_withdrawn(  # type: ignore[no-untyped-def]
    qtbot, window, tmp_path
) -> None:
    workspace = _open(qtbot, window, "TEST-2026-0001")
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # the Case step and its consent list
    section = workspace.case_page.consents
    [consent] = workspace.opened.case.consents
    section.listing.setFocus()
    _press(qtbot, Qt.Key.Key_End)
    assert section.selected_id() == consent.id
    section.withdraw_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    withdrawn = workspace.opened.case.consents[0].withdrawn_on
    assert withdrawn is not None and withdrawn > HELD

    text = _printed(qtbot, workspace, "TEST-2026-0001", tmp_path)["text"]
    assert VIEW in text, "obtained while the consent was in force: printed"
    line = (f"Den enskilde återkallade samtycket {withdrawn.isoformat()}, efter uppföljningen; utförarens synpunkter "
            "inhämtades medan samtycket gällde.")
    assert line in text
    assert text.index(VIEW) < text.index(line), "under the view"
    assert "skrivs inte ut" not in text
    assert "Hembesök med fast omsorgskontakt närvarande." in text, "the rest of the record is printed"
