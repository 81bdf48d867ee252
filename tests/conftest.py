"""Settings shared by every test folder; folder-specific fixtures live in each folder's own conftest.py."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# No timed assertions in tests: hypothesis's per-example deadline is one, and on a shared, loaded machine it
# fails for reasons unrelated to the code. Speed is measured in bench/ instead.
settings.register_profile(
    "hembesok", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("hembesok")
