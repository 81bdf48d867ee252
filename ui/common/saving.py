"""Writing a file the handläggare chose (a PDF, a CSV), with the same Swedish message when it cannot be written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def write_chosen_file(parent: QWidget, target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target``; on failure say so (nothing else is lost) and return False."""
    try:
        target.write_bytes(data)
    except OSError:
        QMessageBox.critical(
            parent,
            QCoreApplication.translate("Saving", "Could not save"),
            QCoreApplication.translate(
                "Saving", "The file could not be saved. Check that the folder exists and that you may write there."
            ),
        )
        return False
    return True
