"""The app looks for no pydantic plugins (issue 14, the memory row; main.load_no_pydantic_plugins).

pydantic's plugin loader imports ``importlib.metadata`` (with email, csv, socket, importlib.resources: ~1 MiB
resident kept) at the first model it builds, to read every installed distribution's entry points. A fresh process
started through main.py unlocks, lists and opens a case (its models validate) without that loader, and a
model that refuses a value still refuses it.
"""

from __future__ import annotations

from pathlib import Path

from app_child import ENTER_PASSPHRASE, ENTER_THEN_LISTED, RUN_MAIN_THEN_DRIVE, WHEN_IDLE, run_app_script, tagged
from uihelpers import PASSPHRASE

UNLOCK_LIST_OPEN = WHEN_IDLE + ENTER_PASSPHRASE + """
import json, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
WATCHED = ("importlib.metadata", "email", "pydantic.plugin._loader")
def loaded():
    return [name for name in WATCHED if name in sys.modules
            and not (sys.modules[name].__doc__ or "").startswith("Hembesök's")]
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def listed():
        print("LISTED", json.dumps(window.case_list.model.rowCount()))
        print("LOADED", json.dumps(loaded()))
        window.open_case(window.case_list.model.row(0).case_id)
        when_idle(window, opened)
    def opened():
        from pydantic import ValidationError
        from ibic.people import Person
        try:
            Person.model_validate({"unknown_field": 1})
            refused = False
        except ValidationError:
            refused = True
        print("REFUSED", json.dumps(refused))
        print("OPENED", json.dumps(loaded()))
        QApplication.instance().quit()
""" + ENTER_THEN_LISTED + RUN_MAIN_THEN_DRIVE


def test_the_unlocked_window_and_an_opened_case_load_no_pydantic_plugin_loader(demo_profile_dir: Path,
                                                                                  tmp_path: Path) -> None:
    output = run_app_script(UNLOCK_LIST_OPEN, str(demo_profile_dir), PASSPHRASE, home=tmp_path / "home")
    assert tagged(output, "LISTED") > 0
    assert tagged(output, "LOADED") == []  # on 5ec6e30 all three: pydantic's loader at the first model built
    assert tagged(output, "REFUSED") is True
    assert tagged(output, "OPENED") == []


def test_pydantic_asks_its_plugin_loader_for_nothing_but_get_plugins() -> None:
    """main.py's loader holds only ``get_plugins``: a pydantic that uses its loader otherwise must fail here."""
    import pydantic

    uses = []
    for source in Path(pydantic.__file__).parent.rglob("*.py"):
        if "v1" in source.relative_to(Path(pydantic.__file__).parent).parts:
            continue
        uses += [line.strip() for line in source.read_text(encoding="utf-8").splitlines() if "_loader" in line]
    assert uses == ["from ._loader import get_plugins"]
