"""``ui.import_gate``: what it leaves behind and its way out (the waiting itself: tests/ui/test_first_opening.py,
the models' worker held inside its imports while a UI path imports)."""

from __future__ import annotations

import importlib
import importlib._bootstrap as bootstrap
import logging
import sys
from pathlib import Path

import pytest

from ui import import_gate
from ui.import_gate import ImportGate


def _new_module(folder: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> str:
    (folder / f"{name}.py").write_text("VALUE = 7\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_an_opened_gate_leaves_the_import_system_as_it_found_it(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    found = bootstrap._find_and_load  # type: ignore[attr-defined]
    gate = ImportGate()
    assert bootstrap._find_and_load is not found  # type: ignore[attr-defined]
    gate.open()
    assert bootstrap._find_and_load is found  # type: ignore[attr-defined]
    name = _new_module(tmp_path, "gate_after_open", monkeypatch)
    assert importlib.import_module(name).VALUE == 7


def test_a_worker_that_never_opens_the_gate_does_not_stop_this_thread_s_imports_for_good(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Past ``LONGEST_WAIT_S`` (here none) the import goes on, the gate opens for good and the log says why."""
    monkeypatch.setattr(import_gate, "LONGEST_WAIT_S", 0.0)
    found = bootstrap._find_and_load  # type: ignore[attr-defined]
    ImportGate()  # never opened by its worker
    name = _new_module(tmp_path, "gate_given_up", monkeypatch)
    with caplog.at_level(logging.WARNING, logger="ui.import_gate"):
        assert importlib.import_module(name).VALUE == 7
    assert bootstrap._find_and_load is found  # type: ignore[attr-defined]
    assert [record.getMessage() for record in caplog.records] == [
        "an import went on beside a worker's that did not end"]
