"""Where a profile's files are: cheap to import (no crypto, no SQLCipher), so the unlock window can ask
whether a profile exists without loading the whole store at start-up."""

from __future__ import annotations

from pathlib import Path

DATABASE_NAME = "profile.db"
KEY_FILE_NAME = "profile.key"


def default_profile_dir() -> Path:
    """The platform's user-data directory for the app, ``.../Hembesok/profile``."""
    import platformdirs  # here: a start with --profile never needs it

    return Path(platformdirs.user_data_dir("Hembesok", appauthor=False)) / "profile"


def database_path(directory: Path) -> Path:
    """The SQLCipher database of the profile in ``directory``."""
    return directory / DATABASE_NAME


def key_file_path(directory: Path) -> Path:
    """The key file of the profile in ``directory``."""
    return directory / KEY_FILE_NAME


def profile_exists(directory: Path) -> bool:
    """True when the folder holds a profile (or what is left of one: either file)."""
    return database_path(directory).exists() or key_file_path(directory).exists()
