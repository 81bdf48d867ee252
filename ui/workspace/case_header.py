"""The line above every step that says whose case is open: name, masked personnummer, case number, status and
the next deadline with what it is for."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ibic.cases import Case
from ibic.deadlines import ReminderKind, Urgency, next_deadline
from ibic.people import Person
from ibic.reference import ReferenceData
from ui.i18n import language, tr


def deadline_kind_text(kind: ReminderKind) -> str:
    """What a deadline is for, in a few words (the reminder's own sentence is too long for one line)."""
    texts = {
        ReminderKind.DECISION_EXPIRING: tr("decision ends"),
        ReminderKind.REASSESSMENT_DUE: tr("yearly reassessment"),
        ReminderKind.UNDECIDED_APPLICATION: tr("application six months old"),
        ReminderKind.INVESTIGATION_SLOW: tr("target for the decision"),
        ReminderKind.DISCHARGE_SIP: tr("SIP invitation"),
        ReminderKind.DISCHARGE_PAYMENT: tr("payment for hospital days"),
        ReminderKind.COMMUNICATION_REPLY: tr("reply to kommunicering"),
        ReminderKind.LARGE_DECISION_FOLLOW_UP: tr("follow-up of a large decision"),
    }
    return texts[kind]


class CaseHeader(QLabel):
    """One line of facts; the personnummer is masked as in the case list, since the screen may face others."""

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ref = ref
        self.setObjectName("caseHeader")
        self.setWordWrap(True)
        self.setMargin(6)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.font()
        font.setBold(True)
        self.setFont(font)

    def show_case(self, case: Case, person: Person, today: date) -> None:
        """Fill in the facts of ``case`` as they stand on ``today``."""
        parts = [
            person.full_name,
            person.number.masked(),
            self.tr("Case %1").replace("%1", case.case_number or self.tr("without number")),
            self._ref.label("case_status", case.status.value, language()),
        ]
        reminder = next_deadline(case, today, self._ref.rules)
        if reminder is not None:
            kind = deadline_kind_text(reminder.kind)
            due = reminder.due.isoformat()
            if reminder.urgency == Urgency.OVERDUE:
                due = self.tr("%1, overdue").replace("%1", due)
            parts.append(self.tr("Next: %1 %2").replace("%1", kind).replace("%2", due))
        else:
            parts.append(self.tr("No deadline"))
        text = " · ".join(part for part in parts if part)
        self.setText(text)
        self.setAccessibleName(text)
