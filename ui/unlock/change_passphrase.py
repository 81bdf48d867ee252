"""Changing the passphrase: the old one, the new one twice; the key work runs off the UI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from storage.passphrase import MIN_PASSPHRASE_LENGTH, PassphraseProblem, passphrase_problems, same_passphrase
from ui.common.fields import ErrorLabel, line_edit
from ui.common.worker import run_in_background
from ui.errors import user_message
from ui.unlock.panel import untypable_text


class ChangePassphraseDialog(QDialog):
    """Re-wraps the data key under a new passphrase (the database is not rewritten)."""

    def __init__(self, profile: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle(self.tr("Change passphrase"))
        self._profile = profile
        self._job: Any = None
        self._outcome: list[BaseException | None] = []
        self.old = self._secret("oldPassphrase", self.tr("Current passphrase"))
        self.new = self._secret("newPassphrase", self.tr("New passphrase"))
        self.confirm = self._secret("newPassphraseConfirm", self.tr("Repeat the new passphrase"))
        self.error = ErrorLabel(self)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("changePassphraseBusy")
        self.busy.setAccessibleName(self.tr("Changing the passphrase"))
        self.busy.setRange(0, 0)
        self.busy.hide()
        rules = QLabel(self.tr("At least %n characters.").replace("%n", str(MIN_PASSPHRASE_LENGTH)), self)
        form = QFormLayout()
        form.addRow(self.tr("Current passphrase"), self.old)
        form.addRow(self.tr("New passphrase"), self.new)
        form.addRow(self.tr("Repeat the new passphrase"), self.confirm)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(rules)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

    def _secret(self, name: str, accessible: str) -> QLineEdit:
        edit = line_edit(name, accessible, self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _submit(self) -> None:
        if self.busy.isVisible():
            return
        new = self.new.text()
        problems = passphrase_problems(new)
        if PassphraseProblem.UNTYPABLE in problems:  # a paste with a line end: not "too weak"
            self.error.show_message(untypable_text())
            return
        if problems:
            self.error.show_message(
                self.tr("The passphrase is too weak. Choose a longer one that others would not guess.")
            )
            return
        if not same_passphrase(new, self.confirm.text()):
            self.error.show_message(self.tr("The passphrases are not the same."))
            return
        if same_passphrase(new, self.old.text()):  # the change would seem made, and nothing changed
            self.error.show_message(self.tr("The new passphrase is the same as the current one. Choose another."))
            return
        self._set_busy(True)
        old, profile = self.old.text(), self._profile
        outcome: list[BaseException | None] = []  # the worker's: read by the window if a lock closed this dialog

        def change() -> None:
            try:
                profile.change_passphrase(old, new)
            except BaseException as error:
                outcome.append(error)
                raise
            outcome.append(None)

        self._outcome = outcome
        self._job = run_in_background(self, change, self._done, self._failed, holds=profile)

    def under_way(self) -> tuple[Any, list[BaseException | None]] | None:
        """The change's job and its outcome (empty until it ends; None when it succeeded, else the error) while it
        runs, else None: a lock closes this dialog, not the change, whose end the window then reports."""
        if self._job is None or not self._job.running:
            return None
        return self._job, self._outcome

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.old, self.new, self.confirm, self.buttons):
            widget.setEnabled(not busy)

    def _done(self, _result: object) -> None:
        self._set_busy(False)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error.show_message(user_message(error))
        self.old.selectAll()
        self.old.setFocus()

