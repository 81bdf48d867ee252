"""Lays the real app out on a screen of a given size and scaling and lists what does not fit (run in a subprocess).

Usage: python layout_probe.py WIDTH HEIGHT DPR TEXT_POINTS [SHOTS_DIR]
The screen is configured through the offscreen platform's config file, as a 14-inch laptop at 150 % has a logical
screen of 1280×720. Prints one JSON object: {"problems": [...], "screen": [w, h], "text_points": n}.
With HEMBESOK_PROBE_LIVE_SIZE=1 the app starts at 12 pt and TEXT_POINTS is chosen in Inställningar by keys after
unlocking, so the pages are laid out after a text size change in the running app.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


# The probe's screen configuration, profile and settings, removed when the probe ends (137 folders of each kind were
# once found left in /tmp).
FOLDER = Path(tempfile.mkdtemp(prefix="hembesok-layout-"))
atexit.register(shutil.rmtree, FOLDER, True)


def _configure_screen(width: int, height: int, dpr: float) -> None:
    config = FOLDER / "screen.json"
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96,
              "logicalBaseDpi": 96, "dpr": dpr}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main() -> int:
    width, height, dpr, points = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    shots = Path(sys.argv[5]) if len(sys.argv) > 5 else None
    _configure_screen(width, height, dpr)
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QScrollArea, QWidget

    app = QApplication(sys.argv[:1])
    from ui.app import apply_text_size, create_demo_profile
    from ui.i18n import install_language
    from ui.main_window import MainWindow, StartOptions
    from ui.palette import install_accessible_palette
    from ui.settings import AppSettings

    install_language("sv")
    live = os.environ.get("HEMBESOK_PROBE_LIVE_SIZE") == "1"
    apply_text_size(app, 12 if live else points)
    install_accessible_palette(app)
    folder = FOLDER
    passphrase = create_demo_profile(folder / "profile", date.today())
    window = MainWindow(AppSettings(str(folder / "settings.ini")), StartOptions(profile_dir=folder / "profile"))
    window.show()
    area = app.primaryScreen().availableGeometry()
    problems: list[str] = []

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def check(state: str, top: QWidget) -> None:
        settle()
        frame = top.frameGeometry()
        if not area.contains(frame):
            problems.append(f"{state}: window {frame.width()}x{frame.height()} at {frame.x()},{frame.y()} "
                            f"is not inside the screen {area.width()}x{area.height()}")
        inside = top.rect()
        for widget in top.findChildren(QWidget):
            if not widget.isVisible() or widget.window() is not top:
                continue
            name = f"{type(widget).__name__}:{widget.objectName()}"
            if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().isVisible():
                problems.append(f"{state}: {name} scrolls sideways, widest: {_widest(widget)}")
            if isinstance(widget, QAbstractItemView) and widget.horizontalScrollBar().isVisible():
                problems.append(f"{state}: list {name} scrolls sideways")  # e.g. the case list's 8 columns
            if isinstance(widget, QAbstractButton) and not _visible_part_whole(widget, top):
                problems.append(f"{state}: button {name} '{widget.text()}' is cut or off the window")
            if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap() and _cut(widget):
                problems.append(f"{state}: label {name} '{widget.text()[:30]}' is cut")
        if hasattr(top, "statusBar") and top.statusBar().isVisible():
            bar = top.statusBar().geometry()
            if not inside.contains(bar):
                problems.append(f"{state}: the status bar is outside the window")
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            top.grab().save(str(shots / f"{state}.png"))

    def _visible_part_whole(widget: QWidget, top: QWidget) -> bool:
        # Walk up the parents: a button clipped by a scroll area's viewport is fine (it scrolls), one clipped by
        # the window or by a fixed-size parent is not.
        rect = widget.rect().translated(widget.mapTo(top, widget.rect().topLeft()))
        parent = widget.parentWidget()
        if parent is not None and not parent.rect().contains(widget.geometry()):
            return False  # cut by its own row or box, which no scrolling shows whole
        return top.rect().contains(rect) or _inside_scroll_area(widget)

    def _inside_scroll_area(widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                return True
            parent = parent.parentWidget()
        return False

    def _widest(area: QScrollArea) -> str:
        room = area.viewport().width()
        children = area.widget().findChildren(QWidget)
        wide = [w for w in children if w.isVisible() and w.minimumSizeHint().width() > room - 40]
        wide.sort(key=lambda w: -w.minimumSizeHint().width())
        return ", ".join(f"{type(w).__name__}:{w.objectName()}={w.minimumSizeHint().width()}" for w in wide[:4])

    def _cut(label: QLabel) -> bool:
        return label.width() + 1 < label.minimumSizeHint().width() and not _inside_scroll_area(label)

    check("unlock", window)
    loop = QEventLoop()
    window.unlocked.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    from uihelpers import type_text

    type_text(window.unlock_panel.passphrase_edit, passphrase)  # Swedish letters: QTest.keyClicks is ASCII only
    QTest.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    loop.exec()
    if window.session is None:
        print(json.dumps({"problems": ["the demo profile did not unlock"]}))
        return 1
    if live:
        _choose_text_size_in_settings(window, points)
    check("case-list", window)
    summaries = window.session.summaries()
    window.open_case(next(s.case_id for s in summaries if s.case_number == "DEMO-2026-0001"))
    while window.workspace is None:  # the first case waits for the models, imported on a worker (ui.case_opening)
        QTest.qWait(10)
    workspace = window.workspace
    for step, area_id in (("case", ""), ("visit", ""), ("areas", "d4"), ("areas", "e398A"), ("proposal", ""),
                          ("check", "")):
        workspace.go_to(step, area_id)
        check(f"{step}{('-' + area_id) if area_id else ''}", window)
    window.open_case(next(s.case_id for s in summaries if s.case_number == "DEMO-2025-0117"))
    window.workspace.go_to("follow_up")
    check("follow_up", window)
    _check_reports(window, check)  # at every size: at 20 pt (16 pt at 150 %) two reports scrolled sideways

    def look_at_preview() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "utredningPreviewDialog"]
        if not shown or not shown[0].isVisible() or not shown[0].busy.isHidden():
            # exec() shows it on its next turn; checked once the document is made: its page label is then filled
            QTimer.singleShot(50, look_at_preview)
            return
        try:
            check("preview", shown[0])
            _tools_in_one_row_where_room(shown[0])
        finally:
            shown[0].reject()

    def _tools_in_one_row_where_room(dialog: QWidget) -> None:
        # s25-odd's reflowing tool row asks no width of the dialog: at 12 pt on 1366×768 the preview stayed at its
        # 110 characters and stacked its buttons, where on main it widened to hold them in one row (s25-rodd).
        tops = {button.mapTo(dialog, button.rect().topLeft()).y() for button in dialog.findChildren(QAbstractButton)
                if button.isVisible() and button.parentWidget() is not dialog.buttons}
        if len(tops) > 1 and dialog.width() < area.width() * 0.9:
            problems.append(f"preview: tool buttons in {len(tops)} rows in a window {dialog.width()} px wide")

    QTimer.singleShot(0, look_at_preview)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # modal: returns when closed
    print(json.dumps({"problems": problems, "screen": [area.width(), area.height()],
                      "text_points": app.font().pointSize()}))
    window.lock()
    # As ui.app.run ends: wait for the pool and deliver what its jobs posted (the lock's close of the store). A
    # job still running when the interpreter exited met PySide's clean-up, which had deleted the dispatcher:
    # "RuntimeError: Signal source has been deleted" on the worker thread, and the store was never closed.
    from ui.common.worker import deliver_finished_jobs

    deliver_finished_jobs()
    return 0


def _check_reports(window: object, check: Callable[[str, Any], None]) -> None:
    """Every table of every report, opened from the Rapporter menu: its columns within the dialog (a long header
    made a narrow value column wide, and internkontroll and handläggningstider scrolled sideways at 1280 px)."""
    for key, action in window.reports.actions.items():  # type: ignore[attr-defined]
        action.trigger()
        dialog = window.reports.dialog  # type: ignore[attr-defined]
        for index in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(index)
            check(f"report-{key}-{index + 1}", dialog)
        dialog.close()


def _choose_text_size_in_settings(window: object, points: int) -> None:
    """Ctrl+, then Tab to the text size, Down until ``points`` is chosen, Enter: as a handläggare does it."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QComboBox, QDialog

    def work_in_dialog() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "settingsDialog" and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, work_in_dialog)
            return
        dialog = dialogs[0]
        assert isinstance(dialog, QDialog)
        dialog.activateWindow()
        sizes = dialog.findChild(QComboBox, "textSize")
        for _ in range(40):
            if QApplication.focusWidget() is sizes:
                break
            QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Tab)
        while sizes.currentData() != points and sizes.currentIndex() < sizes.count() - 1:
            QTest.keyClick(sizes, Qt.Key.Key_Down)
        QTest.keyClick(sizes, Qt.Key.Key_Return)

    QTimer.singleShot(0, work_in_dialog)
    QTest.keySequence(window, QKeySequence("Ctrl+,"))  # modal: returns when the dialog closes
    loop = QEventLoop()  # Qt spreads the new application font to the widgets on a later turn of the loop
    QTimer.singleShot(0, loop.quit)
    loop.exec()


if __name__ == "__main__":
    sys.exit(main())
