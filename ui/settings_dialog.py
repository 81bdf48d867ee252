"""The settings dialog: idle lock, language, text size, server address; what IT fixed is shown read-only.
A new text size applies at once to every open window; a new language from the next start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.common.fields import ErrorLabel, line_edit
from ui.common.screen_fit import available_area
from ui.common.text_size import apply_text_size
from ui.i18n import tr
from ui.settings import (
    CASEWORKER_CONTACT,
    IDLE_LOCK_MINUTES,
    IDLE_RANGE,
    ISSUING_UNIT,
    LANGUAGE,
    MUNICIPALITY,
    PINNED_CA_FILE,
    RECOVERY_PUBLIC_KEY_FILE,
    SERVER_URL,
    TEXT_SIZE,
    TEXT_SIZES,
    AppSettings,
    Setting,
)


class MinutesBox(QSpinBox):
    """The idle lock's minutes, which keeps every key typed: a spin box refuses a key that would leave its range or
    is no digit, so "90" became 9, "-5" became 5 and "5.5" became 55, and a 0 went back to the old value, each stored
    without a word (s33-probe). ``refused_text`` is the text found unusable as the box read it (Enter, or the focus
    leaving for OK), which the dialog shows again beside its message; None when it was usable."""

    refused_text: str | None = None

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        state, text, pos = super().validate(text, pos)
        if state == QValidator.State.Invalid:
            state = QValidator.State.Intermediate  # kept in the field: the dialog says what is wrong with it
        return state, text, pos

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._note_text()  # before the box reads it, and puts its last value back in its place
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._note_text()
        super().focusOutEvent(event)

    def _note_text(self) -> None:
        text = self.lineEdit().text()
        state = super().validate(text, len(text))[0]
        self.refused_text = None if state == QValidator.State.Acceptable else text


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        self.idle = MinutesBox(self)
        self.idle.setObjectName("idleMinutes")
        self.idle.setAccessibleName(self.tr("Lock after this many minutes without use"))
        self.idle.setRange(*IDLE_RANGE)
        self.idle.setSuffix(self.tr(" min"))
        self.idle.setValue(settings.get(IDLE_LOCK_MINUTES))
        self.idle_error = ErrorLabel(self)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.setAccessibleName(self.tr("Language"))
        self.language.addItem("Svenska", "sv")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(settings.get(LANGUAGE)), 0))
        self.text_size = QComboBox(self)
        self.text_size.setObjectName("textSize")
        self.text_size.setAccessibleName(self.tr("Text size"))
        for size in TEXT_SIZES:
            self.text_size.addItem(self.tr("%n points").replace("%n", str(size)), size)
        self.text_size.setCurrentIndex(max(self.text_size.findData(settings.get(TEXT_SIZE)), 0))
        self.server = line_edit("serverUrl", self.tr("Address of the sync server"), self)
        self.server.setPlaceholderText("https://")
        self.server.setText(settings.get(SERVER_URL))
        self.server_error = ErrorLabel(self)
        self.pinned_ca = line_edit("pinnedCaFile", self.tr("The municipality's CA certificate file (optional)"), self)
        self.pinned_ca.setPlaceholderText(self.tr("Only if IT asks for it"))
        self.pinned_ca.setText(settings.get(PINNED_CA_FILE))
        self.ca_error = ErrorLabel(self)
        # Only IT sets the recovery key (machine-wide); shown so a handläggare can see it is in place.
        self.recovery_key = line_edit("recoveryKeyFile", self.tr("The municipality's recovery key"), self)
        self.recovery_key.setReadOnly(True)
        self.recovery_key.setPlaceholderText(self.tr("Not set"))
        self.recovery_key.setText(settings.get(RECOVERY_PUBLIC_KEY_FILE))
        self.municipality = line_edit("municipality", self.tr("Municipality printed on drafts"), self)
        self.municipality.setText(settings.get(MUNICIPALITY))
        self.unit = line_edit("issuingUnit", self.tr("Unit printed on drafts"), self)
        self.unit.setText(settings.get(ISSUING_UNIT))
        self.unit_error = ErrorLabel(self)
        self.contact = line_edit(
            "caseworkerContact", self.tr("Your work telephone and e-mail, printed on drafts"), self
        )
        self.contact.setPlaceholderText(self.tr("e.g. 0123-456 78, namn@kommun.se"))
        self.contact.setText(settings.get(CASEWORKER_CONTACT))
        self.fixed_note = QLabel(
            self.tr("Greyed fields are set by IT for this computer and cannot be changed here."), self
        )
        self.fixed_note.setObjectName("fixedNote")
        self.fixed_note.setWordWrap(True)
        self._fixed = self._mark_fixed(
            {IDLE_LOCK_MINUTES: self.idle, SERVER_URL: self.server, PINNED_CA_FILE: self.pinned_ca,
             RECOVERY_PUBLIC_KEY_FILE: self.recovery_key, MUNICIPALITY: self.municipality, ISSUING_UNIT: self.unit}
        )
        self.fixed_note.setVisible(bool(self._fixed))
        note = QLabel(self.tr("A new language is used from the next start."), self)
        # One line, and the fields as wide as it and the placeholders: the form gave the wrapped note too few
        # lines at 20 pt (cut, drawn over the language box) and cut "Bara om IT ber o…" and the contact example.
        self._fit_fields(note.text(), self.pinned_ca.placeholderText(), self.contact.placeholderText())
        form = QFormLayout()
        form.addRow(self.tr("Lock after"), self.idle)
        form.addRow("", self.idle_error)
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", note)
        form.addRow(self.tr("Text size"), self.text_size)
        form.addRow(self.tr("Sync server"), self.server)
        form.addRow("", self.server_error)
        form.addRow(self.tr("CA certificate"), self.pinned_ca)
        form.addRow("", self.ca_error)
        form.addRow(self.tr("Recovery key"), self.recovery_key)
        form.addRow(self.tr("Municipality"), self.municipality)
        form.addRow(self.tr("Unit"), self.unit)
        form.addRow("", self.unit_error)
        form.addRow(self.tr("Your contact details"), self.contact)
        form.addRow("", self.fixed_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._tall_enough()

    def _typed_fields(self) -> dict[str, QLineEdit]:
        return {"idle": self.idle.lineEdit(), "server": self.server, "pinned_ca": self.pinned_ca,
                "municipality": self.municipality, "unit": self.unit, "contact": self.contact}

    def typed(self) -> dict[str, str]:
        """What the fields hold now, as typed, so a lock can close the dialog without losing it (kept in memory
        only; nothing of a person is in it) and ``put_back`` can show it again."""
        kept = {name: field.text() for name, field in self._typed_fields().items()}
        kept.update(language=str(self.language.currentIndex()), text_size=str(self.text_size.currentIndex()))
        return kept

    def put_back(self, kept: dict[str, str]) -> None:
        """Show what ``typed`` kept (a field IT fixed keeps IT's value)."""
        for name, field in self._typed_fields().items():
            if name in kept and field.isEnabled():
                field.setText(kept[name])
        for combo, name in ((self.language, "language"), (self.text_size, "text_size")):
            if kept.get(name, "").isdigit() and int(kept[name]) < combo.count():
                combo.setCurrentIndex(int(kept[name]))

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a message under a field appeared: room for its lines too
            self._tall_enough()
        return handled

    def _tall_enough(self) -> None:
        """As tall as the wrapped notes need at the dialog's width, within the screen: Qt opens a window whose text
        wraps at most two thirds of the screen tall, and at 20 pt the note on the fields IT fixed was cut off."""
        width = self.width() if self.isVisible() else self.sizeHint().width()
        needed = QSize(width, self.heightForWidth(width)).boundedTo(available_area(self).size())
        if needed.height() > self.height() or not self.isVisible():
            self.resize(needed.expandedTo(self.minimumSizeHint()))

    def _fit_fields(self, *texts: str) -> None:
        """The field column (one widget sets it for all) holds each of ``texts`` on one line, within the screen."""
        metrics = self.contact.fontMetrics()
        widest = max(metrics.horizontalAdvance(text) for text in texts) + 4 * metrics.averageCharWidth()
        self.contact.setMinimumWidth(min(widest, self.screen().availableGeometry().width() * 2 // 3))

    def _mark_fixed(self, widgets: dict[Setting, QLineEdit | QSpinBox]) -> list[QWidget]:
        """Read-only, greyed and explained: the widgets whose setting IT fixed machine-wide."""
        fixed: list[QWidget] = []
        for setting, widget in widgets.items():
            if self._settings.is_fixed(setting):
                widget.setReadOnly(True)
                widget.setEnabled(False)
                widget.setToolTip(self.tr("Set by IT for this computer"))
                fixed.append(widget)
        return fixed

    def _save(self) -> None:
        refused = self.idle.refused_text
        if refused is not None and self.idle not in self._fixed:
            self.idle.lineEdit().setText(refused)  # as typed, not the value the box went back to
            self.idle_error.show_message(
                self.tr("Type a whole number of minutes from %1 to %2.")
                .replace("%1", str(IDLE_RANGE[0])).replace("%2", str(IDLE_RANGE[1]))
            )
            self.idle.setFocus()
            return
        self.idle_error.show_message("")
        ca_file = self.pinned_ca.text().strip()
        if ca_file and self.pinned_ca not in self._fixed and not Path(ca_file).expanduser().is_file():
            # Certificate checking is always on; a pinned CA only narrows whom the app trusts.
            self.ca_error.show_message(self.tr("The certificate file does not exist. Check the path."))
            return
        from ibic.limits import SHORT_TEXT_MAX  # here: pydantic is not needed to show the dialog
        from ui.common.binding import too_long_message

        if self.unit not in self._fixed and len(self.unit.text().strip()) > SHORT_TEXT_MAX:
            # Every new case takes the unit (ibic.cases.Case.unit): stored longer, each one would be refused.
            self.unit_error.show_message(too_long_message(SHORT_TEXT_MAX))
            return
        self.unit_error.show_message("")
        problem = "" if self.server in self._fixed else server_address_message(self.server.text())
        self.server_error.show_message(problem)
        if problem:  # stored, every "Anslut" would end in "cannot be reached" after its retries
            self.server.setFocus()
            return
        self._settings.set(PINNED_CA_FILE, ca_file)
        self._settings.set(IDLE_LOCK_MINUTES, self.idle.value())
        self._settings.set(LANGUAGE, self.language.currentData())
        self._settings.set(TEXT_SIZE, self.text_size.currentData())
        app = QApplication.instance()
        if isinstance(app, QApplication):  # applied at once, to every open window
            apply_text_size(app, self.text_size.currentData())
        self._settings.set(SERVER_URL, self.server.text().strip())
        for setting, field in ((MUNICIPALITY, self.municipality), (ISSUING_UNIT, self.unit),
                               (CASEWORKER_CONTACT, self.contact)):
            self._settings.set(setting, field.text().strip())
        self._settings.sync()
        self.accept()


def server_address_message(address: str) -> str:
    """Why the sync server's ``address`` cannot be used, in the user's language; "" when it can (or is empty)."""
    from sync.server_address import AddressProblem, address_problem

    problem = address_problem(address)
    if problem is None:
        return ""
    texts = {
        AddressProblem.SPACE: tr("The address cannot hold spaces."),
        AddressProblem.SCHEME: tr("The address begins with https:// (for example https://sync.kommun.se)."),
        AddressProblem.HOST: tr("The address names no server that can be reached: write it as"
                                " https://sync.kommun.se."),
        AddressProblem.PORT: tr("The port after the colon must be a number from 1 to 65535."),
    }
    return texts[problem]
