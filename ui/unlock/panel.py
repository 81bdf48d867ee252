"""The unlock page: create a profile on first run, unlock it afterwards, and the lock screen.

It shows nothing personal: no case, no name of a person; only the handläggare's own passphrase field.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.fields import ErrorLabel, heading, line_edit
from ui.common.widgets import ignoring_checked
from ui.i18n import tr

if TYPE_CHECKING:
    from storage.passphrase import PassphraseProblem

# What the create page's checks use (the passphrase and name rules, unicodedata): imported when the page is set to
# create a profile, before the preload thread starts (``ui/unlock/preload.py``). Not at start: an unlock needs none
# of it. Not at Enter: the preload thread may then be importing, and the UI thread imports nothing beside it.
CREATE_CHECKS = ("storage.passphrase", "ibic.lengths", "ibic.name_rules")


class UnlockPanel(QWidget):
    """Asks for the passphrase. In ``create`` mode also for the name and a confirmation."""

    unlock_requested = Signal(str)  # the passphrase
    create_requested = Signal(str, str)  # the handläggare's name, the passphrase
    restore_requested = Signal(str)  # the passphrase: restore the newest sound backup, then unlock

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPanel")
        self._create_mode = False
        self.heading = heading("unlockHeading", 1.6, self)
        # Set by name: ``Qt.AlignmentFlag`` makes the binding build every enum of Qt's namespace (about 40 ms)
        # before the page can be shown, and the page needs no other.
        self.heading.setProperty("alignment", "AlignCenter")
        self.explanation = QLabel(self)
        self.explanation.setObjectName("unlockExplanation")
        self.explanation.setWordWrap(True)
        self.name_edit = line_edit("caseworkerName", self.tr("Your name (caseworker)"), self)
        # No maxLength: Qt would cut a longer paste without a word; ``_name_problem`` refuses it instead.
        self.passphrase_edit = line_edit("passphrase", self.tr("Passphrase"), self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = line_edit("passphraseConfirm", self.tr("Repeat the passphrase"), self)
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel(self)
        self.hint.setObjectName("passphraseHint")
        self.hint.setWordWrap(True)
        self.error = ErrorLabel(self)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("unlockBusy")
        self.busy.setAccessibleName(self.tr("Opening the profile"))
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.button = QPushButton(self)
        self.button.setObjectName("unlockButton")
        self.button.setDefault(True)
        self.restore_note = QLabel(self)
        self.restore_note.setObjectName("restoreNote")
        self.restore_note.setWordWrap(True)
        # Text set apart: the constructor's overloads with an icon make the binding create QIcon and its enum of
        # ~150 theme icons (a few ms) before the page is painted, which shows no icon.
        self.restore_button = QPushButton(self)
        self.restore_button.setText(self.tr("Restore from backup…"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setAccessibleName(self.tr("Restore from backup"))
        self.demo_note = QLabel(self)
        self.demo_note.setObjectName("demoNote")
        self.demo_note.setWordWrap(True)
        self.demo_note.setProperty("textInteractionFlags", "TextSelectableByMouse")  # by name: see the heading
        self.demo_note.setAccessibleName(self.tr("Demo mode"))
        self.demo_note.hide()
        self._build_layout()
        self.button.clicked.connect(ignoring_checked(self._submit))
        self.restore_button.clicked.connect(ignoring_checked(self._request_restore))
        self.passphrase_edit.returnPressed.connect(self._submit)
        self.confirm_edit.returnPressed.connect(self._submit)
        self.passphrase_edit.textEdited.connect(self._update_hint)
        self.set_mode(create=False)

    def _build_layout(self) -> None:
        self.form = QFormLayout()
        self.name_label = QLabel(self.tr("Your name (caseworker)"), self)
        self.passphrase_label = QLabel(self.tr("Passphrase"), self)
        self.confirm_label = QLabel(self.tr("Repeat the passphrase"), self)
        self.form.addRow(self.name_label, self.name_edit)
        self.form.addRow(self.passphrase_label, self.passphrase_edit)
        self.form.addRow(self.confirm_label, self.confirm_edit)
        for label, buddy in (
            (self.name_label, self.name_edit),
            (self.passphrase_label, self.passphrase_edit),
            (self.confirm_label, self.confirm_edit),
        ):
            label.setBuddy(buddy)
        box = QWidget(self)
        # Wide enough for the Swedish explanation at any text size; word-wrapped labels need a fixed width.
        box.setFixedWidth(self.fontMetrics().averageCharWidth() * 64)
        inner = QVBoxLayout(box)
        inner.addWidget(self.heading)
        inner.addWidget(self.explanation)
        inner.addLayout(self.form)
        for part in (self.hint, self.error, self.busy, self.button, self.restore_note, self.restore_button,
                     self.demo_note):
            inner.addWidget(part)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_mode(self, *, create: bool, locked: bool = False) -> None:
        """Create a profile, unlock at start, or unlock after a lock (``locked``)."""
        self._create_mode = create
        for widget in (self.name_label, self.name_edit, self.confirm_label, self.confirm_edit, self.hint):
            widget.setVisible(create)
        if create:
            for name in CREATE_CHECKS:
                importlib.import_module(name)
            from storage.passphrase import MIN_PASSPHRASE_LENGTH

            self.heading.setText(self.tr("Welcome to Hembesök"))
            self.explanation.setText(
                self.tr(
                    "Choose a passphrase that protects everything you record. It must be at least %n characters; "
                    "several ordinary words in a row are easy to remember and hard to guess. Nobody can recover "
                    "your work without it, except IT with the municipality's recovery key.",
                ).replace("%n", str(MIN_PASSPHRASE_LENGTH))
            )
            self.button.setText(self.tr("Create profile"))
        else:
            self.heading.setText(self.tr("Hembesök is locked") if locked else self.tr("Hembesök"))
            self.explanation.setText(self.tr("Enter your passphrase to unlock."))
            self.button.setText(self.tr("Unlock"))
        self.button.setAccessibleName(self.button.text())
        self.restore_note.hide()
        self.restore_button.hide()
        self.set_busy(False)
        self.passphrase_edit.clear()
        self.confirm_edit.clear()
        self.error.show_message("")
        (self.name_edit if create else self.passphrase_edit).setFocus()

    def show_demo_passphrase(self, passphrase: str) -> None:
        self.demo_note.setText(
            self.tr("Demo mode with fictitious people. The passphrase is: %1").replace("%1", passphrase)
        )
        self.demo_note.show()

    def offer_restore(self, backup_time: str) -> None:
        """The database is damaged and a backup exists: say what restoring means, next to the passphrase field."""
        self.restore_note.setText(
            self.tr(
                "You can restore the newest backup that is intact (the newest is from %1). What was saved after it "
                "stays in the damaged file, which is kept for IT; what was synced comes back at the next sync."
            ).replace("%1", backup_time)
        )
        self.restore_note.show()
        self.restore_button.show()

    def set_busy(self, busy: bool) -> None:
        """While the key is derived nothing can be submitted twice (two creations on one folder)."""
        if busy:
            self.busy.setRange(0, 0)  # moving: the derivation takes a while (a try after a failed one moves again)
        self.busy.setVisible(busy)
        for widget in (self.button, self.restore_button, self.name_edit, self.passphrase_edit, self.confirm_edit):
            widget.setEnabled(not busy)

    def set_key_unwrapped(self) -> None:
        """The key is in; what is left (opening the store, listing the cases) takes a fraction of a second. The bar
        stands full and still from here: moving, it is repainted about 60 times a second, each frame through the
        application's Python event filter (``ui.idle``), which takes the interpreter from the worker that lists
        the cases (40-80 ms of this thread's time during a 10,000-case listing on a loaded machine, 0.4 still)."""
        if self.busy.isVisible():
            self.busy.setRange(0, 1)
            self.busy.setValue(1)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.show_message(message)
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def _request_restore(self) -> None:
        if self.busy.isVisible():
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.error.show_message(self.tr("Enter your passphrase first: the backup opens with it."))
            self.passphrase_edit.setFocus()
            return
        self.restore_requested.emit(passphrase)

    def _update_hint(self, text: str) -> None:
        if not self._create_mode:
            return
        from storage.passphrase import passphrase_problems

        problems = passphrase_problems(text)
        self.hint.setText(self._problem_text(problems) if problems else self.tr("The passphrase is strong enough."))

    def _problem_text(self, problems: list[PassphraseProblem]) -> str:
        from storage.passphrase import MIN_PASSPHRASE_LENGTH, PassphraseProblem

        texts = {
            PassphraseProblem.TOO_SHORT: self.tr("At least %n characters.").replace("%n", str(MIN_PASSPHRASE_LENGTH)),
            PassphraseProblem.TOO_COMMON: self.tr("Too common: choose something others would not guess."),
            PassphraseProblem.TOO_SIMPLE: self.tr("Too simple: avoid repeated or consecutive characters."),
            PassphraseProblem.UNTYPABLE: untypable_text(),
        }
        return " ".join(texts[p] for p in problems)

    def _name_problem(self, name: str) -> str:
        """Why the handläggare's name cannot be the profile's user id ("" if it can). It goes on every case, document
        and sync, so a tab or U+0000 is refused as in a person's name (``ibic.name_rules.name_problem``)."""
        from ibic.lengths import USER_ID_MAX  # imported already (``CREATE_CHECKS``)
        from ibic.name_rules import NAME_BLANK, name_problem

        if len(name) > USER_ID_MAX:
            return self.tr("The name is too long: at most %n characters.").replace("%n", str(USER_ID_MAX))
        problem = name_problem(name)
        if problem == NAME_BLANK:
            return self.tr("Enter your name.")
        if problem:
            return self.tr("A name cannot hold tabs, line breaks or other control characters.")
        return ""

    def _submit(self) -> None:
        if self.busy.isVisible():
            return
        passphrase = self.passphrase_edit.text()
        if not self._create_mode:
            if passphrase:
                self.set_busy(True)
                self.error.show_message("")
                self.unlock_requested.emit(passphrase)
            return
        name = self.name_edit.text().strip()
        problem = self._name_problem(name)
        if problem:
            self.error.show_message(problem)
            self.name_edit.setFocus()
            return
        from storage.passphrase import passphrase_problems, same_passphrase

        problems = passphrase_problems(passphrase)
        if problems:
            self.error.show_message(self._problem_text(problems))
            return
        if not same_passphrase(passphrase, self.confirm_edit.text()):
            self.error.show_message(self.tr("The passphrases are not the same."))
            self.confirm_edit.setFocus()
            return
        self.set_busy(True)
        self.error.show_message("")
        self.create_requested.emit(name, passphrase)


def untypable_text() -> str:
    """Why a new passphrase holding a control character is refused (the create page and the change dialog)."""
    return tr("A passphrase cannot hold line breaks, tabs or other control characters: they cannot be typed when"
              " you unlock. Type it again.")
