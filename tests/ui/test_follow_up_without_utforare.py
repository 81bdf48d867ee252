"""A follow-up of a case with no utförare chosen: the utförare's part of the page and of the printed record says
that none is chosen. It said "Privat utförare: den enskildes samtycke krävs …" (an unlisted utförare counts as
private, and no utförare was taken as an unlisted one; s34-probe). Reached as a person does: the follow-up step,
a new follow-up, the record previewed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_follow_up_time_names_its_decision import _printed
from uihelpers import demo_profile_with, follow_up_step, walk_texts

NONE_CHOSEN = "Ingen utförare är vald för ärendet"


def _no_provider(cases):  # type: ignore[no-untyped-def]
    next(c for c in cases if c.case_number == "DEMO-2025-0117").chosen_provider = ""


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    return demo_profile_with(profile_dir, _no_provider)


def test_no_utforare_chosen_is_said_on_the_page_and_in_the_record(qtbot, demo_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = follow_up_step(qtbot, demo_window, "DEMO-2025-0117")
    page.follow_ups.add_button.setFocus()
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    shown = " ".join(walk_texts(page))
    assert NONE_CHOSEN in shown and "Privat utförare" not in shown
    printed = " ".join(_printed(qtbot, page, tmp_path).split())
    assert NONE_CHOSEN in printed and "Privat utförare" not in printed
