"""The printed uppföljning of a follow-up made, through Ärende → Förhandsgranska uppföljning (Ctrl+Shift+F), read
with pdftotext (s31-report).

- A follow-up held and recorded is the record of what was done: printed without UTKAST (the design's "Uppföljning
  record"); on main every uppföljning was marked UTKAST, like the utredning and the beslutsmeddelande, which stay
  drafts (the central system holds the final ones).
- The person withdrew the consent to the private utförare after the follow-up day: a print made since shares
  nothing the consent covered, so the utförare's view given under it is left out, with a line saying why (domain
  notes: "a withdrawal is the person's own decision"). On main the view was printed, its "Grund" the consent.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from test_follow_up_record_printed import LOAD_TIMEOUT_MS, _open
from test_reports_menu import TODAY
from uihelpers import CASEWORKER, PASSPHRASE, when_shown

from ibic.base import new_id
from ibic.consent import Consent
from ibic.demo import demo_cases
from ibic.vocabulary import ConsentForm, ConsentRecipient
from storage.kdf import KdfParameters
from storage.profile import create_profile

HELD = TODAY - timedelta(days=20)  # the follow-up's day
WITHDRAWN = TODAY - timedelta(days=5)  # after it, before the print
VIEW = "Tolvan vill ha hjälp senare på morgonen."


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:  # the profile conftest's ``window`` opens, filled here
    """Tolvan's case twice, each with a follow-up made on HELD and the private utförare's view noted on the person's
    written consent: TEST-2026-0001's consent stands, TEST-2026-0002's was withdrawn on WITHDRAWN."""
    directory = tmp_path / "profile"
    profile = create_profile(directory, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, cases = demo_cases(TODAY)
    template = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    person = next(p for p in people if p.id == template.person_id)
    made = []
    for number, withdrawn in (("TEST-2026-0001", None), ("TEST-2026-0002", WITHDRAWN)):
        consent = Consent(recipient=ConsentRecipient.PROVIDER, recipient_name=template.chosen_provider,
                          form=ConsentForm.WRITTEN, given_on=HELD - timedelta(days=30), withdrawn_on=withdrawn)
        follow_up = template.follow_ups[0].model_copy(update={
            "id": new_id(), "done_on": HELD, "provider_view": VIEW, "provider_consent_id": consent.id})
        made.append(template.model_copy(deep=True, update={
            "id": new_id(), "case_number": number, "consents": [consent], "follow_ups": [follow_up]}))
    profile.people.save_many([person])
    profile.cases.save_many(made)
    profile.lock()
    return directory


def _printed_by_keys(qtbot, window, number: str, folder: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ctrl+Shift+F from the case opened: the preview's title and its PDF's text (pdftotext, one line)."""
    workspace = _open(qtbot, window, number)
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


def test_a_follow_up_made_prints_as_its_record_without_the_draft_mark(  # type: ignore[no-untyped-def]
    qtbot, window, tmp_path
) -> None:
    seen = _printed_by_keys(qtbot, window, "TEST-2026-0001", tmp_path)
    text = seen["text"]
    assert "UTKAST" not in text, "a record of what was done, not a draft"
    assert f"Uppföljningen gjordes {HELD.isoformat()}" in text
    assert "Ärende TEST-2026-0001 · Uppföljning" in text and "Handlingen omfattas av sekretess" in text
    assert seen["title"] == "Förhandsgranskning: uppföljning"
    assert VIEW in text, "the consent stands: the view is printed"


def test_a_consent_withdrawn_after_the_follow_up_leaves_the_utforares_view_out_of_a_later_print(  # type: ignore[no-untyped-def]
    qtbot, window, tmp_path
) -> None:
    text = _printed_by_keys(qtbot, window, "TEST-2026-0002", tmp_path)["text"]
    assert VIEW not in text, "withdrawn before the print: nothing the consent covered is shared"
    assert (f"Utförarens synpunkter skrivs inte ut. Den enskilde återkallade samtycket {WITHDRAWN.isoformat()}, "
            "efter uppföljningen: utförarens synpunkter lämnas inte ut i en handling som görs därefter.") in text
    assert "Hembesök med fast omsorgskontakt närvarande." in text, "the rest of the record is printed"
