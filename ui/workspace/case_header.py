"""The line above every step that says whose case is open: name, masked personnummer, case number, status (a
closed case's with its avslutsorsak) and the next deadline with what it is for."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ibic.cases import Case, closing
from ibic.deadlines import Urgency, next_deadline
from ibic.people import Person
from ibic.reference import ReferenceData
from ui.cases.deadline_text import deadline_kind_text
from ui.i18n import language
from ui.workspace.closing_dialog import reason_text


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
            self._status(case),
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

    def _status(self, case: Case) -> str:
        """The status; a closed case's with why it was closed ("Avslutad (Flyttat till annan kommun)")."""
        status = self._ref.label("case_status", case.status.value, language())
        closed = closing(case)
        why = "" if closed is None else reason_text(self._ref, closed)
        return f"{status} ({why})" if why else status
