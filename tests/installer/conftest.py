"""The bundle's build runs beside the other tests, so its ~90 s of one core cost the run almost nothing.

Building is about 90 s of mostly one core (PyInstaller's analysis). In a run of one process (no ``-n``) the build
starts as soon as the tests are collected and the bundle's tests are moved to the end, where they wait for it. In a
parallel run (pytest-xdist, ``--dist loadfile``: tests/run.sh) every worker collects every test, so starting at
collection would build once per worker: there the bundle's file is put first instead, and the worker it is sent to
builds in the ``built`` fixture while the other workers run the rest. A run that ends before the bundle's tests
(-x, a deselection) stops the build and removes its folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE_TESTS = "test_bundle.py"
_running: dict[str, object] = {}


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: a run without the bundle's tests builds nothing
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    bundle = [item for item in items if item.path.name == BUNDLE_TESTS and item.path.parent.name == "installer"]
    if not bundle or config.option.collectonly:
        return
    others = [item for item in items if item.path.name != BUNDLE_TESTS or item.path.parent.name != "installer"]
    if _in_parallel_worker(config):
        items[:] = bundle + others  # the first file handed out: its worker builds while the other runs the rest
        return
    items[:] = others + bundle
    _start_build()


def _in_parallel_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")  # set by pytest-xdist in each worker process


def _start_build() -> None:
    out = Path(tempfile.mkdtemp(prefix="hembesok-bundle-"))
    log = (out / "build.log").open("wb")
    command = f'bash "{ROOT}/installer/build.sh" "{out}" && bash "{ROOT}/installer/build-deb.sh" "{out}"'
    process = subprocess.Popen(["bash", "-c", command], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    _running.update(out=out, log=log, process=process)


@pytest.fixture(scope="module")
def built() -> Path:
    """The folder holding dist/Hembesok and the .deb, once the build started at collection has finished."""
    if "process" not in _running:
        _start_build()  # a parallel run's worker (see above); a run of one process started it at collection
    process = _running.get("process")
    assert isinstance(process, subprocess.Popen)
    out = _running["out"]
    assert isinstance(out, Path)
    returncode = process.wait()
    log = (out / "build.log").read_text(encoding="utf-8", errors="replace")
    assert returncode == 0, f"the bundle build failed:\n{log[-6000:]}"
    return out


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    process = _running.pop("process", None)
    if isinstance(process, subprocess.Popen):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the run ended before the bundle's tests: not wanted any more
        process.wait()
    log = _running.pop("log", None)
    if log is not None:
        log.close()  # type: ignore[attr-defined]
    out = _running.pop("out", None)
    if isinstance(out, Path):
        shutil.rmtree(out, ignore_errors=True)
