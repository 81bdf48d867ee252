"""Every user setting declared once with its default; stored with QSettings.

QSettings holds UI state and preferences only: never a name, a personnummer or a note. The last opened case
is remembered by its opaque id only.

IT may fix some settings for every user of a computer in a machine-wide TOML file (see MACHINE_WIDE and
``installer/settings.toml.example``): a fixed value wins over the user's and the settings dialog shows it read-only.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QSettings

from sync import timeouts

log = logging.getLogger(__name__)


class Setting(NamedTuple):  # not a dataclass: that module and its code generation cost the start ~5 ms
    key: str
    default: Any
    kind: type


IDLE_LOCK_MINUTES = Setting("security/idle_lock_minutes", 10, int)
LANGUAGE = Setting("ui/language", "sv", str)
TEXT_SIZE = Setting("ui/text_size_pt", 12, int)
SERVER_URL = Setting("sync/server_url", "", str)
PINNED_CA_FILE = Setting("sync/pinned_ca_file", "", str)
# How long a sync waits for the server, in seconds (``sync.timeouts``: why these defaults); not in the dialog: IT sets
# them for a slow network, machine-wide or in the user's file.
SYNC_CONNECT_SECONDS = Setting("sync/connect_timeout_seconds", timeouts.CONNECT_SECONDS, int)
SYNC_ANSWER_SECONDS = Setting("sync/answer_timeout_seconds", timeouts.ANSWER_SECONDS, int)
SYNC_RETRY_SECONDS = Setting("sync/retry_seconds", timeouts.RETRY_SECONDS, int)
# The municipality's RSA public key (PEM file): a new profile's data key is also wrapped to it. Machine-wide only.
RECOVERY_PUBLIC_KEY_FILE = Setting("security/recovery_public_key_file", "", str)
# Printed on every draft the app makes: the issuing municipality and unit (IT may fix both for the computer) and
# the handläggare's own work contact (telephone, e-mail) for the person's questions. Never a client's data.
MUNICIPALITY = Setting("documents/municipality", "", str)
ISSUING_UNIT = Setting("documents/unit", "", str)
CASEWORKER_CONTACT = Setting("documents/contact", "", str)
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray(), QByteArray)
SPLITTER_STATE = Setting("window/workspace_splitter", QByteArray(), QByteArray)
# The widths the user dragged the case list's and the work list's columns to, and the columns shown or hidden from
# the header's menu (``ui.cases.column_fit.ColumnChoices``, JSON by column key).
CASE_LIST_COLUMNS = Setting("window/case_list_columns", "", str)
WORK_LIST_COLUMNS = Setting("window/work_list_columns", "", str)

TEXT_SIZES = (10, 12, 14, 16, 18, 20)
IDLE_RANGE = (1, 60)

# What IT may fix for the whole computer; the TOML table and key are the setting's key ("sync/server_url" is
# server_url in [sync]).
MACHINE_WIDE = (SERVER_URL, PINNED_CA_FILE, IDLE_LOCK_MINUTES, RECOVERY_PUBLIC_KEY_FILE, MUNICIPALITY, ISSUING_UNIT,
                SYNC_CONNECT_SECONDS, SYNC_ANSWER_SECONDS, SYNC_RETRY_SECONDS)
MACHINE_SETTINGS_VARIABLE = "HEMBESOK_MACHINE_SETTINGS"  # another file (tests, or IT trying one out)


def machine_settings_path() -> Path:
    """/etc/hembesok/settings.toml, %ProgramData%\\Hembesok\\settings.toml, or the file the variable names."""
    override = os.environ.get(MACHINE_SETTINGS_VARIABLE)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Hembesok" / "settings.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Hembesok/settings.toml")
    return Path("/etc/hembesok/settings.toml")


# The values a setting may hold where the settings dialog offers a choice (another would show as its first entry).
CHOICES: dict[str, tuple[Any, ...]] = {TEXT_SIZE.key: TEXT_SIZES, LANGUAGE.key: ("sv", "en")}
# The range a whole number must lie in, where it has one (inclusive).
RANGES: dict[str, tuple[int, int]] = {
    IDLE_LOCK_MINUTES.key: IDLE_RANGE, SYNC_CONNECT_SECONDS.key: timeouts.CONNECT_RANGE,
    SYNC_ANSWER_SECONDS.key: timeouts.ANSWER_RANGE, SYNC_RETRY_SECONDS.key: timeouts.RETRY_RANGE,
}


def _valid(setting: Setting, value: Any) -> bool:
    if setting.key in CHOICES:
        return value in CHOICES[setting.key] and not isinstance(value, bool)
    if setting.kind is int:
        low, high = RANGES.get(setting.key, (value, value))
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if setting is ISSUING_UNIT:  # printed and stored in every new case: longer than a case holds, it fixes nothing
        from ibic.lengths import SHORT_TEXT_MAX  # no pydantic: this is read before the unlock page

        return isinstance(value, str) and len(value.strip()) <= SHORT_TEXT_MAX
    return isinstance(value, setting.kind)


def read_machine_settings(path: Path) -> dict[str, Any]:
    """The fixed values by setting key. A missing file fixes nothing; a bad file or value is logged and skipped,
    so the app still starts (with the user's own settings) and IT finds the reason in the log."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return {}  # the usual case: tomllib (~15 ms to import) is not needed before the unlock page
    except OSError as error:
        log.warning("machine-wide settings not read: %s", type(error).__name__, extra={"action": "settings"})
        return {}
    import tomllib

    try:
        with file:
            document = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        log.warning("machine-wide settings not read: %s", type(error).__name__, extra={"action": "settings"})
        return {}
    fixed = {}
    for setting in MACHINE_WIDE:
        table, key = setting.key.split("/")
        section = document.get(table, {})
        if not isinstance(section, dict) or key not in section:
            continue
        if _valid(setting, section[key]):
            fixed[setting.key] = section[key]
        else:
            log.warning("machine-wide setting %s ignored: not a valid value", setting.key, extra={"action": "settings"})
    return fixed


class AppSettings:
    """Typed access to QSettings; an explicit file path keeps tests and demo mode apart from the user's."""

    def __init__(self, path: str | None = None) -> None:
        if path is None:
            self._store = QSettings("Hembesok", "Hembesok")
        else:
            self._store = QSettings(path, QSettings.Format.IniFormat)
        self.machine_file = machine_settings_path()
        self._fixed = read_machine_settings(self.machine_file)

    def is_fixed(self, setting: Setting) -> bool:
        """True when IT fixed this setting for the whole computer."""
        return setting.key in self._fixed

    def get(self, setting: Setting) -> Any:
        if setting.key in self._fixed:
            return self._fixed[setting.key]
        value = self._store.value(setting.key, setting.default)
        if setting.kind is int:
            try:
                value = int(str(value))
            except (TypeError, ValueError):
                return setting.default
        elif setting.kind is str:
            value = str(value) if value is not None else setting.default
        # The user's own file is held to the rules IT's is: an idle lock of 0 or 100,000 minutes in it locked the
        # window at once after every unlock, or stopped the window from opening (OverflowError in its timer).
        if _valid(setting, value):
            return value
        log.warning("setting %s ignored: not a valid value", setting.key, extra={"action": "settings"})
        return setting.default

    def set(self, setting: Setting, value: Any) -> None:
        if setting.key in self._fixed:
            return  # the machine-wide value stays in force; storing the user's would only mislead
        self._store.setValue(setting.key, value)

    def sync(self) -> None:
        self._store.sync()

    @property
    def file_name(self) -> str:
        return self._store.fileName()


def recovery_public_key(path: str) -> bytes | None:
    """The PEM of the RECOVERY_PUBLIC_KEY_FILE setting's value for a new profile, or None when IT set none. A
    missing file raises: a profile created without the recovery wrap IT asked for could never be opened by IT."""
    return Path(path).read_bytes() if path else None
