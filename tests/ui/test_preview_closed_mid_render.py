"""The draft utredning's preview closed while its PDF renders (Escape, or the idle lock), again and again: every Qt
object of the preview is deleted on the UI thread, no Qt warning, every render's worker lets go."""

from __future__ import annotations

import gc
import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid
from uihelpers import unlock

ROUNDS = 3


class _HeldRender:
    """The render waits until the test lets it go (after the preview is closed): a test hook, no fixed sleep."""

    def __init__(self, monkeypatch: Any) -> None:
        from ui.printing import generation

        self.started = threading.Semaphore(0)
        self.go_on = threading.Semaphore(0)
        real = generation.render_outline

        def held(outline: Any) -> bytes:
            self.started.release()
            self.go_on.acquire(timeout=60)
            return real(outline)

        monkeypatch.setattr(generation, "render_outline", held)


def _when_shown(act: Any) -> None:
    """``act(dialog)`` once the modal preview is up (Ctrl+P returns only when it is closed)."""

    def run() -> None:
        shown = [w for w in QApplication.topLevelWidgets()
                 if w.objectName() == "utredningPreviewDialog" and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, run)
            return
        act(shown[0])

    QTimer.singleShot(0, run)


def _busy_until_done() -> None:
    """The UI thread handles events without pause while the render reports: what the worker posts is handled at
    once, as on a busy window (the old job could then be freed by the pool thread that ran it)."""
    pool = QThreadPool.globalInstance()
    while pool.activeThreadCount():
        QApplication.processEvents()
    QApplication.processEvents()


def test_the_preview_closed_mid_render_deletes_its_objects_on_the_ui_thread(qtbot: Any, qtlog: Any, demo_window: Any,
                                                                           monkeypatch: Any) -> None:
    window = demo_window
    unlock(qtbot, window)
    window.open_case(window.case_list.model.summary(0).case_id)
    held = _HeldRender(monkeypatch)
    deleted_on: list[str] = []
    watched: list[int] = []
    previews: list[int] = []

    def watch(dialog: Any) -> None:
        # The preview's widgets and whatever Python-made QObject came with it (the render's signals object).
        made = [o for o in gc.get_objects() if isinstance(o, QObject) and not isinstance(o, QScreen) and isValid(o)
                and id(o) not in before and o.parent() is None]
        before.update(id(o) for o in made)
        for item in {id(o): o for o in [dialog, *dialog.findChildren(QObject), *made]}.values():
            watched.append(1)
            item.destroyed.connect(lambda *_: deleted_on.append(threading.current_thread().name),
                                   Qt.ConnectionType.DirectConnection)
        previews.append(1)

    def close_mid_render(dialog: Any) -> None:
        qtbot.waitUntil(lambda: held.started.acquire(blocking=False), timeout=30_000)
        watch(dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    def lock_mid_render(dialog: Any) -> None:
        qtbot.waitUntil(lambda: held.started.acquire(blocking=False), timeout=30_000)
        watch(dialog)
        window.idle.idle.emit()  # the idle lock, while the preview is open

    before = {id(o) for o in gc.get_objects() if isinstance(o, QObject)}
    for _ in range(ROUNDS):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        _when_shown(close_mid_render)
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # modal: returns when closed
        held.go_on.release()  # the render ends after its preview is gone
        _busy_until_done()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _when_shown(lock_mid_render)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    held.go_on.release()
    _busy_until_done()
    assert window.session is None

    qtbot.waitUntil(lambda: len(previews) == ROUNDS + 1 and len(deleted_on) == len(watched)
                    and QThreadPool.globalInstance().activeThreadCount() == 0, timeout=60_000)
    assert set(deleted_on) == {threading.main_thread().name}
    warnings = [r.message for r in qtlog.records if "thread" in r.message or "QObject" in r.message]
    assert not warnings
