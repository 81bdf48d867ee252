"""Writing a file the handläggare chose (a PDF, a CSV), with the same Swedish message when it cannot be written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def write_chosen_file(parent: QWidget, target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target``; on failure say so (nothing else is lost) and return False."""
    try:
        _replace_whole(target, data)
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


def _replace_whole(target: Path, data: bytes) -> None:
    """``target`` holds all of ``data`` or is as it was: the bytes go to a file of their own in the same folder
    (named by no one: ``.hembesok-….part``), which then takes ``target``'s place. A write cut short by a full disk
    left part of an unencrypted copy under the chosen name, where the person was told nothing was saved, and had
    already emptied the copy saved there before."""
    import os
    import tempfile

    handle, part = tempfile.mkstemp(prefix=".hembesok-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(part, target)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
