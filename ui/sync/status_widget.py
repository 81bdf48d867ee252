"""The status-bar widget: offline / syncing with a progress bar and counts / synced at HH:MM / waiting / conflicts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from ui.common.widgets import named, push_button
from ui.sync.status import UNREACHED, SyncStatus


class SyncStatusWidget(QWidget):
    """Shows a ``SyncStatus``; ``sync_requested`` when the user asks to sync, ``conflicts_requested`` to open them,
    ``enroll_requested`` when never connected and the user asks to connect."""

    sync_requested = Signal()
    conflicts_requested = Signal()
    enroll_requested = Signal()  # the button says "Anslut…" until this computer is connected

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "syncStatus", self.tr("Sync status"))
        self._state_label = named(QLabel(self), "syncStateLabel", self.tr("Sync state"))
        self._progress = named(QProgressBar(self), "syncProgress", self.tr("Sync progress"))
        self._progress.setMaximumWidth(140)
        self._progress.setTextVisible(False)
        self._pending_label = named(QLabel(self), "syncPendingLabel", self.tr("Changes waiting to be synced"))
        self._not_received_label = named(QLabel(self), "syncNotReceivedLabel", self.tr("Cases not received"))
        self._not_received_label.setStyleSheet("color: #a4000f;")
        self._conflicts_button = push_button("", "syncConflictsButton", lambda: self.conflicts_requested.emit(), self,
                                             self.tr("Show sync conflicts"))
        self._conflicts_button.setFlat(True)
        self._sync_button = push_button(self.tr("Sync"), "syncNowButton", self._button_clicked, self,
                                        self.tr("Sync now"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self._state_label,
            self._progress,
            self._pending_label,
            self._not_received_label,
            self._conflicts_button,
            self._sync_button,
        ):
            layout.addWidget(widget)
        self.status = SyncStatus()
        self.set_status(self.status)

    def set_status(self, status: SyncStatus) -> None:
        """Render ``status``; counts are hidden when zero."""
        self.status = status
        self._state_label.setText(self._state_text(status))
        # The short "Inte ansluten" fits the status bar; the whole sentence is there on hover.
        self._state_label.setToolTip(self._state_tip(status))
        syncing = status.state == "syncing"
        self._progress.setVisible(syncing)
        if syncing:
            # Without a known total the bar is a busy indicator (range 0..0).
            self._progress.setRange(0, status.progress_total if status.progress_known else 0)
            self._progress.setValue(min(status.progress_done, status.progress_total))
        self._pending_label.setVisible(status.pending > 0)
        self._pending_label.setText(self.tr("%n change(s) waiting", "", status.pending))
        self._not_received_label.setVisible(status.not_received > 0)
        self._not_received_label.setText(self.not_received_text(status))
        self._conflicts_button.setVisible(status.conflicts > 0)
        self._conflicts_button.setText(self.tr("%n conflict(s)", "", status.conflicts))
        self._show_button(status)
        self.setAccessibleDescription(self._state_label.text())

    def _state_tip(self, status: SyncStatus) -> str:
        """The whole sentence behind a short state, on hover."""
        if status.state == "not_enrolled":
            from ui.errors import not_connected_text  # the sentence the menu and a refused sync say

            return not_connected_text()
        if status.state == "busy":
            return self.tr("The sync server was reached but is busy. Nothing is lost; the sync is tried again by "
                           "itself.")
        if status.state in UNREACHED:
            from ui.errors import unreached_text

            return unreached_text(status.state)
        if status.state == "server_error":
            from ui.errors import server_error_text

            return server_error_text()
        return ""

    def _show_button(self, status: SyncStatus) -> None:
        """Never connected, the button offers to connect: a sync could only fail there."""
        if status.state == "not_enrolled":
            self._sync_button.setText(self.tr("Connect…"))
            self._sync_button.setAccessibleName(self.tr("Connect to the sync server"))
            self._sync_button.setToolTip(self.tr("Connect this computer to the sync server with a code from IT"))
        else:
            self._sync_button.setText(self.tr("Sync"))
            self._sync_button.setAccessibleName(self.tr("Sync now"))
            self._sync_button.setToolTip(self.tr("Sync now (Ctrl+Shift+S)"))
        self._sync_button.setEnabled(status.state != "syncing")

    def _button_clicked(self) -> None:
        if self.status.state == "not_enrolled":
            self.enroll_requested.emit()
        else:
            self.sync_requested.emit()

    def not_received_text(self, status: SyncStatus) -> str:
        """What the status bar says about records set aside: how many, why, and that they are tried again."""
        if not status.not_received:
            return ""
        reasons = {
            "date_out_of_range": self.tr("a date lies outside 1900-01-01–2099-12-31"),
            "text_too_long": self.tr("a text is longer than allowed"),
            "invalid_record": self.tr("the information does not match what this program accepts"),
            "unstorable_text": self.tr("a text holds characters that cannot be stored"),
            "person_number_held": self.tr("another person here has the same personnummer: choose in the conflicts"),
        }
        why = reasons.get(status.not_received_reason, self.tr("an unexpected error"))
        return (self.tr("%n case(s) could not be received: %1. Tried again at every sync.", "", status.not_received)
                .replace("%1", why))

    def _state_text(self, status: SyncStatus) -> str:
        short = {  # the states said in a word or two (the whole sentence is the tooltip: ``_state_tip``)
            "not_enrolled": self.tr("Not connected"),
            "offline": self.tr("Offline"),
            "no_server": self.tr("No server at the address"),
            "no_answer": self.tr("Server not answering"),
            "wrong_server": self.tr("Wrong server address"),
            "server_error": self.tr("Server error"),
            "busy": self.tr("Server busy"),
            "failed": self.tr("Sync failed"),
        }
        if status.state in short:
            return short[status.state]
        if status.state == "syncing":
            if status.progress_known:
                return (
                    self.tr("Syncing… %1 of %2")
                    .replace("%1", str(status.progress_done))
                    .replace("%2", str(status.progress_total))
                )
            return self.tr("Syncing…")
        if status.last_synced_at is None:
            return self.tr("Not synced yet")
        local = status.last_synced_at.astimezone()
        return self.tr("Synced at %1").replace("%1", local.strftime("%H:%M"))
