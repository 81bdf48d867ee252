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
    already emptied the copy saved there before. A part that a killed app or a power cut left behind is removed by
    the next save to that folder (``_remove_stray_parts``)."""
    import os
    import tempfile

    _remove_stray_parts(target.parent)
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


_PART_NAME = r"\.hembesok-[A-Za-z0-9_]{8}\.part"  # exactly what ``tempfile.mkstemp`` makes with the names above


def _remove_stray_parts(folder: Path) -> None:
    """Parts that a save cut short by a kill or a power cut left in ``folder``: plaintext personal data under a
    name the person never chose. Saves run one at a time on the GUI thread, so none of them is a save under way
    (another app instance saving to this folder at this very moment would have its save refused, and say so)."""
    import re

    try:
        strays = [path for path in folder.iterdir() if re.fullmatch(_PART_NAME, path.name) and path.is_file()]
        for path in strays:
            path.unlink(missing_ok=True)
    except OSError:  # a folder that cannot be listed: the save itself says what went wrong
        pass
