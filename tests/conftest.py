"""Settings shared by every test folder; folder-specific fixtures live in each folder's own conftest.py."""

from __future__ import annotations

from datetime import date

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
