"""Enter in the conflict dialog's list chooses nothing: the first button, Keep mine, was the dialog's default, so
Enter on a conflict (to look at it, as in any list) overwrote the other laptop's edit with mine (s23). A real
conflict between two laptops on the real server, as in test_ui_sync."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTreeWidget
from sync_support import Env, assigned_cases, make_laptop

from sync.server.dev import DEMO_USER
from ui.sync.conflict_dialog import ConflictDialog


@pytest.fixture(autouse=True)
def _english(qapp: Any) -> None:
    from ui.i18n import install_language

    install_language("en")


def test_enter_in_the_conflict_list_resolves_nothing_and_enter_on_a_button_presses_it(
    env: Env, tmp_path: Path, qtbot: Any
) -> None:
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    for laptop, provider in ((a, "Hemtjänst Norr AB"), (b, "Hemtjänst Söder AB")):
        case = laptop.profile.cases.load(case_id)
        case.chosen_provider = provider
        laptop.profile.cases.save(case)
    a.sync()
    b.sync()
    chosen: list[Any] = []

    def resolve(conflict_id: str, value: Any) -> None:
        chosen.append(value)
        b.profile.sync.resolve_conflict(conflict_id, value)

    dialog = ConflictDialog(b.profile.sync.conflicts(), resolve)
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog.findChild(QTreeWidget, "conflictList")
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert chosen == [] and dialog.isVisible()
    assert len(b.profile.sync.conflicts()) == 1
    keep = dialog.findChild(QPushButton, "keepMineButton")
    keep.setFocus()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(keep, Qt.Key.Key_Return)
    assert chosen == ["Hemtjänst Söder AB"] and b.profile.sync.conflicts() == []
