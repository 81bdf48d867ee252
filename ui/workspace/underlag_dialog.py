"""The pre-filled request for underlag to the utförare (seed 002), checked against consent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ibic.case_actions import underlag_permission
from ibic.cases import Case
from ibic.follow_up import FollowUp, time_to_explain, underlag_due, underlag_request_sv
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import FollowUpTrigger
from ui.clipboard import copy_text
from ui.common.screen_fit import fit_to_screen
from ui.common.text_area import wrap_long_runs_anywhere
from ui.messages import shown


@dataclass(frozen=True)
class UnderlagKept:
    """An open request's follow-up and text, kept in memory (never on screen) while the window is locked."""

    follow_up_id: str
    full_number: bool
    text: str


class UnderlagDialog(QDialog):
    """Shows the message to copy into the municipality's messaging system; nothing is sent from here."""

    def __init__(
        self,
        ref: ReferenceData,
        case: Case,
        person: Person,
        follow_up: FollowUp,
        caseworker: str,
        today: date,
        parent: QWidget | None = None,
        kept: UnderlagKept | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("underlagDialog")
        self.follow_up_id = follow_up.id
        self.setWindowTitle(self.tr("Request for underlag"))
        permission = underlag_permission(case, follow_up, today)
        self.permission = QLabel(shown(permission.reason), self)
        self.permission.setObjectName("underlagPermission")
        self.permission.setWordWrap(True)
        if not permission.allowed:
            self.permission.setStyleSheet("color: #a4000f; font-weight: bold;")
        followed = [d for d in case.decisions if d.id in follow_up.decision_ids] or case.decisions_in_force(today)
        insatser = [d.insats_text for d in followed]
        # Before the follow-up planned, or in two weeks, or by a followed decision's last day (``underlag_due``): one
        # planned on a day already past asked the utförare for underlag "senast" that day.
        by = underlag_due(follow_up.planned_on, (d.ends_on for d in followed), today)
        less_time, more_time = time_to_explain(follow_up, ref.rules.follow_up.time_tolerance_percent)
        # The message leaves the app by copy and paste: the personnummer is masked unless the handläggare asks.
        self._numbers = (person.number.masked(), person.number.formatted())
        self.channel = QLabel(
            self.tr(
                "Send the message only through the municipality's secure messaging system, never by ordinary e-mail:"
                " it holds information covered by secrecy."
            ),
            self,
        )
        self.channel.setObjectName("underlagChannel")
        self.channel.setWordWrap(True)
        self.full_number = QCheckBox(self.tr("Show the full personnummer in the message"), self)
        self.full_number.setObjectName("underlagFullNumber")
        self.message = QPlainTextEdit(self)
        self.message.setObjectName("underlagMessage")
        self.message.setAccessibleName(self.tr("The message to the provider"))
        self.message.setTabChangesFocus(True)  # Tab must reach Copy and Close: the message needs no tab characters
        wrap_long_runs_anywhere(self.message)  # a pasted blob without spaces: no freeze laying it out
        self.message.setPlainText(
            underlag_request_sv(
                follow_up_by=f"senast {by.isoformat()}",
                insats_text=" och ".join(insatser) or "hemtjänst",
                person_name=person.full_name,
                personal_number=self._numbers[0],
                caseworker=caseworker,
                ask_about_time=less_time,
                ask_about_more_time=more_time,
                provider_started=follow_up.trigger == FollowUpTrigger.PROVIDER,
            )
        )
        self.message.setEnabled(permission.allowed)
        self.full_number.setEnabled(permission.allowed)
        self.full_number.toggled.connect(self._show_full_number)
        copy = QPushButton(self.tr("Copy the message"), self)
        copy.setObjectName("underlagCopy")
        copy.setEnabled(permission.allowed)
        copy.clicked.connect(lambda: copy_text(self.message.toPlainText()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.permission)
        layout.addWidget(self.channel)
        layout.addWidget(self.full_number)
        layout.addWidget(self.message, 1)
        layout.addWidget(copy)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().lineSpacing() * 24))
        if kept is not None and permission.allowed:  # as it was when a lock closed it
            self.full_number.setChecked(kept.full_number)
            self.message.setPlainText(kept.text)

    def kept(self) -> UnderlagKept:
        """The message as the handläggare adapted it (seed 002: "behöver anpassas"), for a lock to reopen it with."""
        return UnderlagKept(self.follow_up_id, self.full_number.isChecked(), self.message.toPlainText())

    def _show_full_number(self, full: bool) -> None:
        """Swap the number in place, so words the handläggare already changed in the message stay."""
        masked, formatted = self._numbers
        before, after = (masked, formatted) if full else (formatted, masked)
        self.message.setPlainText(self.message.toPlainText().replace(before, after))
