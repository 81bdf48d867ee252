"""PySide6's import hook, as the unlock page's preload leaves it (``keep_no_module_sources``), never fails an import
it only inspects. After each import it reads the importing module's source (``inspect.getsource``), which asks the
module for ``__wrapped__``; pydantic's modules answer such a look-up by importing ``pydantic._internal._validators``,
and while that module was itself being imported the answer was an ImportError: the app's start stopped there
("unexpected error", ImportError, and the window never unlocked), seen about one start in three under load."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from ui.unlock.preload import keep_no_module_sources

# A module whose attribute look-up fails as pydantic's did mid-import, and a module importing it.
HALF_IMPORTED = '''
def __getattr__(name):
    raise ImportError(f"cannot import name {name!r} from partially initialized module")
'''
IMPORTING = "import half_imported_for_hook_test\nVALUE = 'imported'\n"


def test_an_import_the_hook_cannot_inspect_still_succeeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "half_imported_for_hook_test.py").write_text(HALF_IMPORTED, encoding="utf-8")
    (tmp_path / "importing_for_hook_test.py").write_text(IMPORTING, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    keep_no_module_sources()
    try:
        assert importlib.import_module("importing_for_hook_test").VALUE == "imported"
    finally:
        for name in ("importing_for_hook_test", "half_imported_for_hook_test"):
            sys.modules.pop(name, None)
