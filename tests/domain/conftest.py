"""Fixtures for the domain tests: the shipped reference data, a fixed day and fictitious people."""

from __future__ import annotations

from datetime import date

import pytest

from ibic.demo import demo_people
from ibic.people import Person

# A fixed "today" so that every date rule is tested on known ground (a Monday, late in the year).
TODAY = date(2026, 11, 23)


@pytest.fixture
def tolvan() -> Person:
    """Tolvan Tolvansson (fictitious, 19121212-1212), with a god man."""
    return demo_people()[0]


@pytest.fixture
def greta() -> Person:
    """Greta Provsson (fictitious, 19861123-9883), no representative."""
    return demo_people()[1]
