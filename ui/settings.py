"""Every user setting declared once with its default; stored with QSettings.

QSettings holds UI state and preferences only: never a name, a personnummer or a note. The last opened case
is remembered by its opaque id only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    kind: type


IDLE_LOCK_MINUTES = Setting("security/idle_lock_minutes", 10, int)
LANGUAGE = Setting("ui/language", "sv", str)
TEXT_SIZE = Setting("ui/text_size_pt", 12, int)
SERVER_URL = Setting("sync/server_url", "", str)
PINNED_CA_FILE = Setting("sync/pinned_ca_file", "", str)
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray(), QByteArray)
SPLITTER_STATE = Setting("window/workspace_splitter", QByteArray(), QByteArray)

TEXT_SIZES = (10, 12, 14, 16, 18, 20)
IDLE_RANGE = (1, 60)


class AppSettings:
    """Typed access to QSettings; an explicit file path keeps tests and demo mode apart from the user's."""

    def __init__(self, path: str | None = None) -> None:
        if path is None:
            self._store = QSettings("Hembesok", "Hembesok")
        else:
            self._store = QSettings(path, QSettings.Format.IniFormat)

    def get(self, setting: Setting) -> Any:
        value = self._store.value(setting.key, setting.default)
        if setting.kind is int:
            try:
                return int(str(value))
            except (TypeError, ValueError):
                return setting.default
        if setting.kind is str:
            return str(value) if value is not None else setting.default
        return value if isinstance(value, setting.kind) else setting.default

    def set(self, setting: Setting, value: Any) -> None:
        self._store.setValue(setting.key, value)

    def sync(self) -> None:
        self._store.sync()

    @property
    def file_name(self) -> str:
        return self._store.fileName()
