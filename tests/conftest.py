"""Settings shared by every test folder; folder-specific fixtures live in each folder's own conftest.py."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from ibic.reference import ReferenceData, load_reference_data

# No timed assertions in tests: hypothesis's per-example deadline is one, and on a shared, loaded machine it
# fails for reasons unrelated to the code. Speed is measured in bench/ instead.
settings.register_profile(
    "hembesok", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("hembesok")


# A fixed "today" so every date rule is tested on known ground; folders that need it use the ``today`` fixture.
FIXED_TODAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def ref() -> ReferenceData:
    """The shipped reference data, loaded once."""
    return load_reference_data()


@pytest.fixture
def today() -> date:
    return FIXED_TODAY


@pytest.fixture(autouse=True)
def no_machine_wide_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A computer's own /etc/hembesok/settings.toml never changes a test; tests of that file point here themselves."""
    monkeypatch.setenv("HEMBESOK_MACHINE_SETTINGS", str(tmp_path_factory.getbasetemp() / "no-machine-settings.toml"))


# --- Unexpected exceptions fail the test that caused them ------------------------------------------------------
# An exception raised in a Qt slot or virtual (a menu action, a key press, a paint) does not propagate to the test:
# Qt hands it to ``sys.excepthook`` and carries on. pytest-qt's capture catches it only while its own hook is the
# installed one, and not at all where the app turns an exception into its incident message ("Något oväntat gick
# fel … Incident-id"). So two observers that nothing in the app can replace: an audit hook on the "sys.excepthook"
# event (raised before *whichever* hook is installed is called), and a handler on the "ui" loggers for the record
# every incident writes (``ui.errors._unexpected`` logs ``incident`` and ``error_type``).
@dataclass
class UnexpectedError:
    where: str  # "sys.excepthook" or "incident"
    error_type: str
    text: str  # the traceback, when one is known; never shown outside the test report


_unexpected: list[UnexpectedError] = []
_opted_out: list[list[UnexpectedError]] = []  # the list of a test that uses ``expect_unexpected_error``


def _record(error: UnexpectedError) -> None:
    (_opted_out[-1] if _opted_out else _unexpected).append(error)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "sys.excepthook":
        _hook, error_type, error, trace = args
        text = "".join(traceback.format_exception(error_type, error, trace))
        _record(UnexpectedError("sys.excepthook", error_type.__name__, text))


class _IncidentHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "incident"):
            current = sys.exc_info()
            text = "".join(traceback.format_exception(*current)) if current[0] else "".join(traceback.format_stack())
            _record(UnexpectedError("incident", str(getattr(record, "error_type", "?")), text))


sys.addaudithook(_audit)  # cannot be removed again: it reports into the list that the current test phase owns
logging.getLogger("ui").addHandler(_IncidentHandler(logging.ERROR))

EXPECTS_UNEXPECTED_ERROR = "expect_unexpected_error"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if EXPECTS_UNEXPECTED_ERROR in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.qt_no_exception_capture)  # the test asserts what the user is shown instead


@pytest.fixture
def expect_unexpected_error() -> Iterator[list[UnexpectedError]]:
    """The explicit opt-out for a test that provokes an unexpected error on purpose: it gets the errors seen, must
    assert the incident message the user is shown, and fails if no unexpected error happened at all."""
    seen: list[UnexpectedError] = []
    _opted_out.append(seen)
    yield seen
    _opted_out.remove(seen)
    assert seen, "the test expects an unexpected error, but none reached sys.excepthook or the incident message"


def _check_phase(phase: str) -> None:
    found, _unexpected[:] = list(_unexpected), []
    if not found:
        return
    report = "\n".join(f"--- {e.where}: {e.error_type}\n{e.text}" for e in found)
    pytest.fail(f"{len(found)} unexpected exception(s) during {phase}:\n{report}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    _unexpected.clear()  # whatever an earlier test left in the event loop is not this test's doing
    result = yield
    _check_phase("setup")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    _check_phase("the test")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    result = yield
    _check_phase("teardown")
    return result
