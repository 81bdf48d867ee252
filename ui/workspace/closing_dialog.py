"""The question before a case is closed, with why (avslutsorsak): "Ändra till: Avslutad" on the case step.

Answered by keys: the reasons are a list (arrows, or a reason's first letter), "Annat" takes a short text, Enter
closes the case with the reason chosen and Esc (or "Låt ärendet vara öppet") keeps it open. Nothing is chosen at
first, so Enter alone closes nothing: it says what is missing and leaves the question open."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ibic.cases import StatusChange, closing_reason_problem
from ibic.lengths import SHORT_TEXT_MAX
from ibic.reference import ReferenceData
from ibic.vocabulary import CaseStatus, ClosingReason
from ui.common.fields import text_line
from ui.i18n import language


@dataclass(frozen=True)
class ClosingKept:
    """The question as answered so far (the reason chosen, the text of "Annat"), kept in memory (never on screen)
    while the window is locked: the lock closes the question, the unlock asks it again with this typed in."""

    reason: ClosingReason | None
    note: str


class ReasonList(QListWidget):
    """The reasons, none chosen until an arrow or a letter chooses one.

    Qt makes the first row current when a list gets the focus by keys, unselected: the first Down then chose the
    second reason. The current row is let go again while nothing is chosen, so Down chooses the first."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if not self.selectedItems():
            self.setCurrentIndex(QModelIndex())


class ClosingDialog(QDialog):
    def __init__(self, ref: ReferenceData, case_number: str, within_days: int, parent: QWidget | None = None,
                 kept: ClosingKept | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closeCaseQuestion")
        self.setWindowTitle(self.tr("Close the case?"))
        self.question = QLabel(self.tr("Close case %1?").replace("%1", case_number), self)
        self.question.setObjectName("closeCaseText")
        font = self.question.font()
        font.setBold(True)
        self.question.setFont(font)
        self.detail = QLabel(self._what_follows(within_days), self)
        self.detail.setObjectName("closeCaseDetail")
        self.detail.setWordWrap(True)
        self.reasons = ReasonList(self)
        self.reasons.setObjectName("closingReason")
        self.reasons.setAccessibleName(self.tr("Why the case is closed"))
        for reason in ClosingReason:
            item = QListWidgetItem(ref.label("closing_reason", reason.value, language()), self.reasons)
            item.setData(Qt.ItemDataRole.UserRole, reason.value)
        asked = QLabel(self.tr("&Why is the case closed?"), self)
        asked.setBuddy(self.reasons)
        self.note = text_line("closingReasonNote", self.tr("Other reason, in short"), self)
        # No maxLength: a longer paste is kept whole and refused with why at Enter (it was cut without a word).
        self.note.setEnabled(False)
        note_label = QLabel(self.tr("Other &reason:"), self)
        note_label.setBuddy(self.note)
        self.error = QLabel(self)
        self.error.setObjectName("closingReasonError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a4000f;")
        self.error.hide()
        self.close_button = QPushButton(self.tr("Close the case"), self)
        self.keep_button = QPushButton(self.tr("Keep it open"), self)
        self.close_button.setObjectName("closeCaseYes")
        self.keep_button.setObjectName("closeCaseNo")
        # Enter closes with the reason chosen (none at first: then it says so), from the list or the text alike.
        self.close_button.setDefault(True)
        self.keep_button.setAutoDefault(False)
        self.close_button.clicked.connect(self._close_if_complete)
        self.keep_button.clicked.connect(self.reject)
        self.reasons.itemSelectionChanged.connect(self._reason_chosen)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        for widget in (self.question, self.detail, asked, self.reasons, note_label, self.note, self.error):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.reasons.setFocus(Qt.FocusReason.OtherFocusReason)
        if kept is not None:
            self._take(kept)

    def _take(self, kept: ClosingKept) -> None:
        """The reason and the text a lock closed the question with, typed back; the focus where they were asked."""
        self.note.setText(kept.note)
        for row in range(self.reasons.count()):
            item = self.reasons.item(row)
            if kept.reason is not None and item.data(Qt.ItemDataRole.UserRole) == kept.reason.value:
                self.reasons.setCurrentItem(item)
        if kept.reason == ClosingReason.OTHER:
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def kept(self) -> ClosingKept:
        """The question as answered so far, for a lock to ask it again with: the text of "Annat" as typed, even with
        another reason chosen (chosen back, it is there)."""
        return ClosingKept(self.reason(), self.note.text())

    def _what_follows(self, within_days: int) -> str:
        follows = (
            self.tr("It leaves To do: no reminders of deadlines or follow-ups."),
            self.tr("The provider gets no uppdrag and is not asked for underlag."),
            self.tr("Decisions in force do not end here: the central system ends them, and until then Internal "
                    "control counts them."),
        )
        return "\n".join((
            *(f"– {line}" for line in follows),
            self.tr("Its handläggare, or whoever closed it, can open it again within %1 days, to the status it has "
                    "now; the closing and its reason stay in the case's history.").replace("%1", str(within_days)),
            self.tr("What you have written in the case is kept."),
        ))

    def reason(self) -> ClosingReason | None:
        chosen = self.reasons.selectedItems()
        return ClosingReason(chosen[0].data(Qt.ItemDataRole.UserRole)) if chosen else None

    def reason_note(self) -> str:
        """The text of "Annat" (empty for any other reason: what was typed there before another was chosen is not
        stored with it)."""
        return self.note.text().strip() if self.reason() == ClosingReason.OTHER else ""

    def _reason_chosen(self) -> None:
        self.note.setEnabled(self.reason() == ClosingReason.OTHER)
        self._say("")

    def _close_if_complete(self) -> None:
        if self.reason() is None:
            self._say(self.tr("Choose why the case is closed: an arrow key or a reason's first letter, then Enter."))
            self.reasons.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if len(self.reason_note()) > SHORT_TEXT_MAX:
            self._say(self.tr("The text is too long: at most %1 characters.").replace("%1", str(SHORT_TEXT_MAX)))
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        # The domain's rule (``closing_reason_problem``): a text of spaces or invisible characters says nothing.
        if closing_reason_problem(CaseStatus.CLOSED, self.reason(), self.reason_note()):
            self._say(self.tr("Write in short why the case is closed (Other), then Enter."))
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.accept()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


def reason_text(ref: ReferenceData, change: StatusChange) -> str:
    """A closing's reason as shown: its label, "Annat" with the handläggare's words; "" when none was recorded."""
    if change.reason is None:
        return ""
    label = ref.label("closing_reason", change.reason.value, language())
    return f"{label}: {change.reason_note}" if change.reason == ClosingReason.OTHER else label
