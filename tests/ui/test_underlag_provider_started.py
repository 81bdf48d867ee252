"""Seed 002's two routes to a follow-up. When the utförare raised it, "underlaget ska redan vara förberett" (the
plan drawn up, the journal summarised) and the utförare contacts the socialsekreterare; when the socialsekreterare
starts it, the utförare is asked in good time to prepare the underlag. On main the request for underlag read the
same whoever started the follow-up: the handläggare asked an utförare who had just sent the prepared material to
update its plan and compile its notes, and the follow-up page said nothing of what was expected.

Through the window: the follow-up added with its "Startad av" chosen by keys, the request opened with Space.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_follow_up_page import _follow_up_page
from uihelpers import when_shown


def _add_follow_up(qtbot, page, downs: int) -> None:  # type: ignore[no-untyped-def]
    """A new follow-up started by the ``downs``-th choice below the first in "Startad av"."""
    page.new_trigger.setFocus()
    for _ in range(downs):
        qtbot.keyClick(page.new_trigger, Qt.Key.Key_Down)
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)


def request_read(qtbot, open_it) -> str:  # type: ignore[no-untyped-def]
    """The request for underlag's message as ``open_it`` (a key on its button) opens it; the dialog closed again."""
    seen: dict[str, str] = {}
    when_shown("underlagDialog", lambda dialog: seen.setdefault("message", dialog.message.toPlainText()))
    open_it()
    return seen["message"]


def _request(qtbot, page) -> str:  # type: ignore[no-untyped-def]
    return request_read(qtbot, lambda: qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space))


def test_a_follow_up_the_provider_raised_asks_for_the_underlag_already_prepared(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page, _ = _follow_up_page(qtbot, demo_window)
    _add_follow_up(qtbot, page, 1)
    assert page.new_trigger.currentText() == "Utföraren har påtalat behov"
    assert page.follow_ups.listing.currentItem().text().endswith("Utföraren har påtalat behov")
    assert "underlaget ska redan vara förberett" in page.expected.text()
    assert "utföraren kontaktar dig" in page.expected.text()
    message = _request(qtbot, page)
    assert message.startswith("Hej!\n\nTack för att ni uppmärksammat behovet av uppföljning")
    # Asked for, politely: the routine's rule is the handläggare's (the page above says it), not quoted at the utförare.
    assert "\n\nOm ni inte redan har skickat ert förberedda underlag ber jag er att skicka\n- " in message
    assert "ska redan vara förberett" not in message and "Skicka mig" not in message
    assert "den upprättade genomförandeplanen" in message and "den sammanställda genomförandejournalen" in message
    # Not the model request to the utförare the socialsekreterare contacts first.
    assert "Innan dess skulle jag behöva underlag" not in message
    assert "om planen inte uppdaterats" not in message
    assert "Med vänliga hälsningar" in message


def test_a_follow_up_the_handlaggare_started_asks_the_provider_to_prepare_it(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page, _ = _follow_up_page(qtbot, demo_window)
    _add_follow_up(qtbot, page, 0)
    assert page.follow_ups.listing.currentItem().text().endswith("Handläggarens initiativ")
    assert "Kontakta utföraren i så god tid som möjligt" in page.expected.text()
    message = _request(qtbot, page)
    assert "Innan dess skulle jag behöva underlag från er." in message
    assert "uppdaterad genomförandeplan, om planen inte uppdaterats, meddela mig varför" in message
