"""Enter the one-time code from IT to connect this laptop to the sync server (runs off the UI thread)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from sync.timeouts import Timeouts
from ui.common.fields import uncut
from ui.common.widgets import named, push_button
from ui.common.worker import run_in_background


class EnrollmentDialog(QDialog):
    """``enrolled(session)`` after the server accepted the code; the credential is then stored in the profile folder."""

    enrolled = Signal(object)

    def __init__(self, profile: Any, server_url: str, ca_file: str = "", parent: QWidget | None = None, *,
                 timeouts: Timeouts | None = None) -> None:
        super().__init__(parent)
        named(self, "enrollmentDialog", self.tr("Connect to the sync server"))
        self.setWindowTitle(self.tr("Connect to the sync server"))
        self._profile = profile
        self._server_url = server_url.strip()
        self._ca_file = ca_file.strip()
        self._timeouts = timeouts or Timeouts()  # the settings' (``ui.window_sync.timeouts_set``)
        # The transports the workers made (one an attempt) and whether a lock stopped them (``stop``): both read on the
        # worker, which closes its transport as it ends.
        self._transports: list[Any] = []
        self._stopped = threading.Event()
        self.code = named(QLineEdit(self), "enrollmentCode", self.tr("Code from IT"))
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        uncut(self.code)  # a paste is kept whole: a cut one was sent as typed and refused as "wrong"
        self.server = named(QLabel(self._server_url or self.tr("No server address in the settings"), self),
                            "enrollmentServer", self.tr("Sync server address"))
        self.message = named(QLabel(self), "enrollmentMessage", self.tr("Message"))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.connect_button = push_button(self.tr("Connect"), "enrollmentConnect", self.start, self)
        self.connect_button.setDefault(True)
        self.cancel_button = push_button(self.tr("Cancel"), "enrollmentCancel", self.reject, self)
        form = QFormLayout()
        for name, text, field in (
            ("enrollmentServerLabel", self.tr("Server"), self.server),
            ("enrollmentCodeLabel", self.tr("Code from IT"), self.code),
        ):
            label = named(QLabel(text, self), name, text)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.connect_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.connect_button.setEnabled(bool(self._server_url))

    def start(self) -> None:
        """Send the code in the background; the dialog stays responsive. What is typed stays in the field."""
        from sync.codes import LONGEST_CODE, SHORTEST_CODE, code_characters
        from ui.settings_dialog import server_address_message

        problem = server_address_message(self._server_url)
        if problem:  # no request: each would end in "cannot be reached" after the retry time, or in an error
            self.message.setText(self.tr("The sync server's address in Settings cannot be used: %1 Correct it under"
                                         " File → Settings.").replace("%1", problem))
            return
        # Its letters and digits alone (``code_characters``): a U+0000 or a line end pasted with it, which the
        # request cannot carry, ended in "could not be connected".
        code = code_characters(self.code.text())
        if len(code) < SHORTEST_CODE:
            self.message.setText(self.tr("Type the whole code you got from IT."))
            return
        if len(code) > LONGEST_CODE:
            self.message.setText(self.tr("This is longer than a code from IT. Type or paste the code alone, as"
                                         " XXXX-XXXX-XXXX."))
            return
        self.connect_button.setEnabled(False)
        self.message.setText(self.tr("Connecting…"))
        run_in_background(self, lambda: self._enroll(code), self._done, self._failed, holds=self._profile)

    def _enroll(self, code: str) -> Any:
        from sync.client.credentials import CredentialStore
        from sync.client.enrollment import enroll
        from sync.client.transport import Transport

        transport = Transport(self._server_url, ca_file=Path(self._ca_file) if self._ca_file else None,
                              timeouts=self._timeouts)
        self._transports.append(transport)
        if self._stopped.is_set():  # the lock came while it was made: ``stop`` did not see it
            transport.stop_retrying()
        try:
            return enroll(
                transport,
                CredentialStore(self._profile),
                code=code,
                device_id=self._profile.device_id,
                user_id=self._profile.user_id,
            )
        finally:
            transport.close()  # the session returned is not used for requests: the sync opens its own

    def stop(self) -> None:
        """At lock: the enrollment under way makes no further attempt nor waits for its answer (``Offline``), so the
        worker lets go of the store at once instead of after every retry."""
        self._stopped.set()
        for transport in list(self._transports):
            transport.stop_retrying()

    def _done(self, session: Any) -> None:
        self.message.setText(self.tr("This laptop is connected."))
        self.enrolled.emit(session)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        from sync.errors import (
            AlreadyEnrolled,
            CertificateRejected,
            EnrollmentFailed,
            NotASyncServer,
            NothingListening,
            Offline,
            ProtocolMismatch,
            ServerRejected,
            ServerTimedOut,
            ServerUnavailable,
            UserMismatch,
        )

        self.connect_button.setEnabled(True)
        if isinstance(error, AlreadyEnrolled):
            # The profile's device id is what IT types into readmit-device; the label lets it be selected and copied.
            text = self.tr("The server already knows this laptop (the profile may have been restored from a backup"
                           " taken before it was connected). Ask IT for a new code for this laptop and give them its"
                           " id: %1").replace("%1", self._profile.device_id)
        elif isinstance(error, EnrollmentFailed):
            text = self.tr("The code is wrong, already used or too old. Ask IT for a new code.")
        elif isinstance(error, UserMismatch):
            text = self.tr("The code belongs to another user. Ask IT for a code for you.")
        elif isinstance(error, CertificateRejected):
            text = self.tr("The server's certificate could not be checked. Contact IT.")
        elif isinstance(error, NothingListening):
            text = self.tr("Nothing answers at the address in Settings: the server may be stopped, or the address is"
                           " wrong. Check the address under File → Settings, or contact IT.")
        elif isinstance(error, ServerTimedOut):
            text = self.tr("The server at the address in Settings took the connection but did not answer in time."
                           " Try again in a while; if it goes on, contact IT.")
        elif isinstance(error, Offline):
            text = self.tr("The server cannot be reached. Check the network and the address.")
        elif isinstance(error, ServerUnavailable):
            # Also what too many attempts in a short time end in (the server slows down guessing).
            text = self.tr("The server is busy or there were too many attempts. Wait a minute and try again.")
        elif isinstance(error, ProtocolMismatch) and error.code == "unsupported_protocol":
            text = self.tr("Hembesök must be updated before it can sync.")
        elif isinstance(error, NotASyncServer) or (isinstance(error, ServerRejected) and (
                error.status in (404, 405) or error.code in ("unknown", "unreadable_answer"))):
            # No sync server's answer: a web page, or no enrollment at that address (a path of another server's).
            text = self.tr("The address in Settings does not answer as a sync server. Check the address or contact"
                           " IT.")
        else:
            text = self.tr("The laptop could not be connected. Try again or contact IT.")
        self.message.setText(text)
