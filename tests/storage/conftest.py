"""Fixtures for the storage tests: a real SQLCipher profile in tmp_path, with cheap Argon2id parameters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY

from ibic.cases import Case
from ibic.demo import demo_cases
from ibic.people import Person
from storage.profile import Profile, create_profile


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def profile(profile_dir: Path) -> Iterator[Profile]:
    opened = create_profile(profile_dir, PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=CHEAP_KDF)
    yield opened
    opened.close()


@pytest.fixture
def demo() -> tuple[list[Person], list[Case]]:
    return demo_cases(TODAY)
