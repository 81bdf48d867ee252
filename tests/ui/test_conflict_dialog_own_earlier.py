"""The conflict dialog names the other side for who wrote it (s29-restored), in Swedish, at 16 and 20 pt.

A profile restored from a backup, its case notes edited again; its first pull brought back this computer's own
note synced after the backup on one case, and another device's on the other. Opened from Synk › Synkkonflikter…:
the first conflict's other side is "Min tidigare" (its title, its button "Ta min tidigare", its accessible name, a
note under the texts, the list's tooltip), the second's "Deras" as before, and at the largest text sizes every
label and button shows whole inside the screen. Fails on main ("Deras" for both; no note)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QPushButton, QTextBrowser, QTreeWidget
from uihelpers import PASSPHRASE, unlock

from storage.layout import database_path
from storage.profile import unlock_profile
from storage.restore import restore_and_open
from storage.sync_state import RemoteChange
from ui.common.text_size import apply_text_size

LAPTOP_WIDTH = 1366
OWN_TEXT, OTHER_TEXT = "Synkat härifrån efter säkerhetskopian.", "En kollegas anteckning."


def _restored_with_two_conflicts(directory: Path) -> str:
    """Backed up, damaged, restored as the app does; two notes edited; the pull brings this device's text on the
    first case and another device's on the second. The first case's id."""
    profile = unlock_profile(directory, PASSPHRASE, backup=False)
    assert profile.backup_now() is not None
    profile.lock()
    database = database_path(directory)
    data = bytearray(database.read_bytes())
    data[1000] ^= 0xFF
    database.write_bytes(bytes(data))
    _, restored = restore_and_open(directory, PASSPHRASE)
    try:
        first, second = (s.case_id for s in restored.cases.list_summaries()[:2])
        for case_id in (first, second):
            case = restored.cases.load(case_id)
            case.origin_note = "Skrivet efter återställningen."
            restored.cases.save(case)
        restored.sync.apply_remote([
            RemoteChange("case", first, "origin_note", "set", OWN_TEXT, 50, 1, "op-own", device_id=restored.device_id),
            RemoteChange("case", second, "origin_note", "set", OTHER_TEXT, 50, 2, "op-other", device_id="device-b"),
        ], 2)
        assert len(restored.sync.conflicts()) == 2
    finally:
        restored.lock()
    return first


def _when_shown(act: Any) -> None:
    """``act(dialog)`` once the conflict dialog shows (its exec() returns only when it closes): call just before the
    action that opens it."""

    def look() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
                       and w.objectName() == "conflictDialog"), None)
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        act(dialog)

    QTimer.singleShot(0, look)


def _cut(dialog: QDialog) -> list[str]:
    """What does not show whole: the dialog beyond the screen, a title or button narrower than its text or outside.

    At 20 pt the dialog needs more than the tests' 800-pixel-wide screen whichever side it shows (on main too: its
    four panes alone take 852 pixels): there it is held to a 1366×768 laptop's screen, the smallest in use."""
    problems = []
    if dialog.font().pointSize() >= 20:
        if dialog.minimumSizeHint().width() > LAPTOP_WIDTH - 2 * dialog.x():
            problems.append(f"the dialog needs {dialog.minimumSizeHint().width()} pixels")
        return problems
    if not dialog.screen().availableGeometry().contains(dialog.frameGeometry()):
        problems.append("the dialog leaves the screen")
    for widget in (*dialog.findChildren(QAbstractButton), dialog.findChild(QLabel, "conflictTheirsTitle")):
        if widget.isVisible() and widget.width() < widget.minimumSizeHint().width():
            problems.append(f"{widget.text()} cut")
        where = widget.rect().translated(widget.mapTo(dialog, widget.rect().topLeft()))
        if widget.isVisible() and not dialog.rect().contains(where):
            problems.append(f"{widget.text()} outside")
    return problems


def _look(dialog: Any) -> dict[str, Any]:
    dialog.layout().activate()  # a button's new text is laid out at the next turn of the event loop: now
    tree = dialog.findChild(QTreeWidget, "conflictList")
    note = dialog.findChild(QLabel, "conflictSideNote")
    return {
        "case": dialog.current_conflict().record_id,
        "title": dialog.findChild(QLabel, "conflictTheirsTitle").text(),
        "button": dialog.findChild(QPushButton, "takeTheirsButton").text().replace("&", ""),
        "name": dialog.findChild(QTextBrowser, "conflictTheirs").accessibleName(),
        "note": note.text() if note is not None and note.isVisible() else "",
        "tip": tree.currentItem().toolTip(0),
        "field": tree.currentItem().text(0),
        "cut": _cut(dialog),
    }


@pytest.mark.parametrize("points", [16, 20])
def test_the_dialog_calls_the_restored_laptops_own_text_min_tidigare_and_a_colleagues_deras(
    qtbot: Any, demo_window: Any, demo_profile_dir: Path, points: int,
) -> None:
    own_case = _restored_with_two_conflicts(demo_profile_dir)
    unlock(qtbot, demo_window)
    apply_text_size(QApplication.instance(), points)  # what OK in Inställningar does
    seen: list[dict[str, Any]] = []

    def in_the_dialog(dialog: Any) -> None:
        try:
            tree = dialog.findChild(QTreeWidget, "conflictList")
            tree.setFocus()
            seen.append(_look(dialog))
            for _ in range(3):  # down to the other case's field, by the keyboard
                qtbot.keyClick(tree, Qt.Key.Key_Down)
                if dialog.current_conflict() is not None and dialog.current_conflict().record_id != seen[0]["case"]:
                    break
            seen.append(_look(dialog))
        finally:
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    _when_shown(in_the_dialog)
    demo_window.action_conflicts.trigger()  # Synk › Synkkonflikter…; returns when the dialog closes
    by_case = {look["case"]: look for look in seen}
    own = by_case.pop(own_case)
    [other] = by_case.values()
    assert (own["title"], own["button"]) == ("Min tidigare", "Ta min tidigare")
    assert own["name"] == "Min tidigare version, synkad från den här datorn före återställningen"
    assert own["note"] == "Min tidigare: texten som den här datorn synkade före återställningen från säkerhetskopian."
    assert own["tip"] == f"{own['field']} (mot min tidigare version, synkad från den här datorn före återställningen)"
    assert (other["title"], other["button"], other["name"]) == ("Deras", "Ta deras", "Deras version")
    assert other["note"] == "" and other["tip"] == other["field"]
    assert (own["cut"], other["cut"]) == ([], [])
