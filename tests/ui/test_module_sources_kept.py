"""Issue 14 (memory, steady): no module imported after the unlock leaves its source lines in memory.

PySide6 replaces ``__import__`` (for ``from __feature__ import …``) and, after each import, reads the whole source of
the module it returns (``_mod_uses_pyside``: ``inspect.getsource``, to see whether it mentions PySide6); Python's
``linecache`` kept those lines for good. Dropping them once after the unlock's upkeep (``forget_module_sources``)
left every later import's lines kept: the case workspace's modules when a case is first opened, sync's after the
first sync (~6 MiB of strings with the sync client running).

Whether the hook is still there after the unlock is a race: around each of its post-import steps PySide6 sets
``builtins.__import__`` back to the original import and then restores what it found (PYSIDE-3054), process-wide, so
two threads importing at once (the preload and the unlock worker) can leave the plain import in place for good. The
child puts the hook back before it opens a case, as in the runs where it survived, so the test never depends on it.

The child process starts ``main.py``, unlocks through the page, waits for the day's upkeep, opens a case and reports
which of the repository's files ``linecache`` holds, and what PySide6's hook decided for the modules opening the case
imported (it must still tell which of them use PySide6).
"""

from __future__ import annotations

from pathlib import Path

from app_child import REPO, run_app_script, tagged
from uihelpers import PASSPHRASE

UNLOCK_THEN_OPEN_A_CASE = """
import builtins, json, linecache, sys
from PySide6.QtCore import QThreadPool, QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
PYSIDE_IMPORT = builtins.__import__  # PySide6's hook, installed with QtCore
original_exec = QApplication.exec
report = {}
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def upkeep_done():
        return window._upkeep_job is not None and QThreadPool.globalInstance().activeThreadCount() == 0
    def listed():
        if not upkeep_done():
            QTimer.singleShot(20, listed)
            return
        report["hook_survived"] = builtins.__import__ is PYSIDE_IMPORT
        builtins.__import__ = PYSIDE_IMPORT
        before = set(sys.modules)
        window.open_case(window.case_list.model.row(0).case_id)
        opened(before)
    def opened(before):
        if window.workspace is None:  # the first case waits for the models (ui.case_opening)
            QTimer.singleShot(10, lambda: opened(before))
            return
        imported = sorted(set(sys.modules) - before)
        feature = sys.modules["shibokensupport.feature"]
        report["imported"] = imported
        report["verdicts"] = {name: feature.pyside_feature_dict.get(name) for name in imported}
        report["files"] = {name: sys.modules[name].__file__ for name in imported}
        report["kept"] = sorted(name for name in linecache.cache if name.startswith(sys.argv[3]))
        report["kept_chars"] = sum(len(line) for entry in linecache.cache.values() if len(entry) == 4
                                   for line in entry[2])
        window.session.lock()
        QTimer.singleShot(0, QApplication.instance().quit)
    window.unlocked.connect(lambda: QTimer.singleShot(0, listed))
    window.unlock_panel.passphrase_edit.insert(sys.argv[2])
    QTest.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
def when_preload_started():
    # Enter once the preload is under way, as while a person types (a condition, not a time).
    from ui.unlock import preload
    if preload._started.is_set():
        drive()
    else:
        QTimer.singleShot(20, when_preload_started)
def exec_and_drive():
    QTimer.singleShot(0, when_preload_started)
    result = original_exec()
    print("REPORT", json.dumps(report))
    return result
QApplication.exec = staticmethod(exec_and_drive)
import main
main.main(["--profile", sys.argv[1]])
"""


def _unlock_and_open_a_case(profile: Path, tmp_path: Path) -> dict[str, object]:
    output = run_app_script(UNLOCK_THEN_OPEN_A_CASE, str(profile), PASSPHRASE, str(REPO), home=tmp_path)
    report: dict[str, object] = tagged(output, "REPORT")
    return report


def test_a_case_opened_after_the_unlock_leaves_no_module_source_in_memory(demo_profile_dir: Path,
                                                                          tmp_path: Path) -> None:
    report = _unlock_and_open_a_case(demo_profile_dir, tmp_path)
    imported = report["imported"]
    assert isinstance(imported, list)
    workspace = [name for name in imported if name.startswith("ui.workspace.")]
    assert len(workspace) > 5  # opening the first case imported the workspace's modules, after the upkeep
    assert report["kept"] == []
    assert report["kept_chars"] == 0
    # PySide6's hook ran on each of them and still tells which modules use PySide6 (0) and which do not (-1).
    verdicts = report["verdicts"]
    assert isinstance(verdicts, dict)
    files = report["files"]
    assert isinstance(files, dict)
    # The workspace's own sources only: since session 24 the first opening also imports pydantic-core (a .so).
    mention = {name: "PySide6" in Path(files[name]).read_text(encoding="utf-8") for name in workspace}
    assert {name: verdicts[name] for name in workspace} == {name: 0 if mention[name] else -1 for name in workspace}
    assert 0 in verdicts.values() and -1 in verdicts.values()
