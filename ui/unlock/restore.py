"""Restoring a damaged profile from its newest intact backup, offered on the unlock page.

The storage side (which backup, integrity checks, keeping the damaged file) is ``storage.restore``; this module
decides when to offer it and says what it means, in the user's language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.i18n import tr
from ui.unlock.panel import UnlockPanel


def offer_if_damaged(panel: UnlockPanel, directory: Path, error: BaseException) -> None:
    """Offer the backup when the database (not the key file: backups share its key) is damaged and one exists."""
    from storage.backups import backup_made_at, list_backups
    from storage.errors import DamagedRecord, ProfileDamaged
    from storage.layout import database_path

    # One record that no longer validates is not a damaged file: its backup holds the same record.
    if not isinstance(error, ProfileDamaged) or isinstance(error, DamagedRecord):
        return
    if error.path != database_path(directory):
        return
    backups = list_backups(directory)
    if backups:
        panel.offer_restore(f"{backup_made_at(backups[-1]).astimezone():%Y-%m-%d %H:%M}")


def confirmed(parent: QWidget) -> bool:
    """Ask before replacing the file: what was saved after the backup is then only in the kept file."""
    answer = QMessageBox.question(
        parent,
        tr("Restore from backup"),
        tr(
            "The damaged profile file is replaced by the newest intact backup and kept beside it for IT. "
            "Changes saved after the backup are not in it. Restore now?"
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def restored_message(restored: Any) -> str:
    """The status-bar sentence after a restore."""
    return tr(
        "The profile was restored from the backup of %1. Changes saved after it are in a separate file kept for IT."
    ).replace("%1", f"{restored.backup_made_at.astimezone():%Y-%m-%d %H:%M}")
