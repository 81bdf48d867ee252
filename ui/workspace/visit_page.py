"""Step 2, Hembesök: visits with participants and interpreter, the person's situation, discharge planning."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ibic.case_actions import parse_participants
from ibic.cases import Case, DischargeContext
from ibic.investigation import Visit
from ibic.reference import ReferenceData
from ibic.vocabulary import VisitPlace
from ui.common.binding import Binder
from ui.common.fields import DateField, line_edit, text_line
from ui.common.text_area import TextArea
from ui.i18n import language
from ui.session import Today
from ui.workspace.lists import ListEditor
from ui.workspace.person_section import vocabulary_combo


class VisitPage(QScrollArea):
    edited = Signal()

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None, *, today: Today) -> None:
        super().__init__(parent)
        self.setObjectName("visitPage")
        self.setWidgetResizable(True)
        self._ref, self._today = ref, today
        self._case: Case | None = None
        self._set_aside: DischargeContext | None = None
        body = QWidget(self)
        self.setWidget(body)
        self.visits = self._visits_editor(body)
        self.situation = TextArea("situation", self.tr("The person's situation and background"), body)
        self.information = TextArea("informationGiven", self.tr("Information given to the person"), body)
        self.health = TextArea("healthCondition", self.tr("Health condition"), body)
        self.body_functions = TextArea("bodyFunctions", self.tr("Body functions"), body)
        self.environment = TextArea("environment", self.tr("Environmental factors"), body)
        self.personal = TextArea("personalFactors", self.tr("Personal factors"), body)
        discharge = self._discharge_box(body)
        layout = QVBoxLayout(body)
        layout.addWidget(self.visits)
        for label, widget in (
            (self.tr("The person's situation and background"), self.situation),
            (self.tr("Information given to the person"), self.information),
            (self.tr("Health condition"), self.health),
            (self.tr("Body functions"), self.body_functions),
            (self.tr("Environmental factors"), self.environment),
            (self.tr("Personal factors"), self.personal),
        ):
            caption = QLabel(label, body)
            caption.setBuddy(widget)
            layout.addWidget(caption)
            layout.addWidget(widget)
        layout.addWidget(discharge)
        layout.addStretch(1)
        self.binder = Binder(self)
        for widget, attribute in ((self.situation, "situation"), (self.information, "information_given")):
            self.binder.text(widget, self._investigation, attribute)
        for widget, attribute in (
            (self.health, "health_condition"),
            (self.body_functions, "body_functions"),
            (self.environment, "environment"),
            (self.personal, "personal_factors"),
        ):
            self.binder.text(widget, self._factors, attribute)
        for date_field, attribute in (
            (self.ready_on, "ready_for_discharge_on"),
            (self.sip_on, "sip_meeting_on"),
            (self.discharged_on, "discharged_on"),
        ):
            self.binder.date(date_field, self._discharge, attribute)
        self.binder.text(self.ward, self._discharge, "hospital_ward")
        self.binder.edited.connect(lambda _a: self.edited.emit())
        self.visits.edited.connect(self.edited)

    def _visits_editor(self, body: QWidget) -> ListEditor:
        form = QWidget(body)
        self.visit_date = DateField("visitDate", self.tr("Date of the visit"), form)
        self.visit_place = vocabulary_combo(
            self._ref, "visit_place", list(VisitPlace), "visitPlace", self.tr("Place of the visit"), form
        )
        self.participants = TextArea("visitParticipants", self.tr("Participants, one per line: name – role"), form)
        self.participants.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.interpreter = QCheckBox(self.tr("Interpreter present"), form)
        self.interpreter.setObjectName("visitInterpreter")
        self.interpreter_language = text_line("visitInterpreterLanguage", self.tr("Interpreter language"), form)
        rows = QFormLayout(form)
        rows.addRow(self.tr("Date"), self.visit_date)
        rows.addRow(self.tr("Place"), self.visit_place)
        rows.addRow(self.tr("Participants"), self.participants)
        rows.addRow("", self.interpreter)
        rows.addRow(self.tr("Interpreter language"), self.interpreter_language)
        return ListEditor(self.tr("Visits"), "visits", form, self._describe_visit, self._build_visit, body)

    def _discharge_box(self, body: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Discharge planning from hospital"), body)
        box.setObjectName("dischargeBox")
        box.setAccessibleName(self.tr("Discharge planning from hospital"))
        box.setCheckable(True)
        self.discharge_box = box
        self.ward = line_edit("dischargeWard", self.tr("Hospital ward"), box)
        self.ready_on = DateField("readyForDischargeOn", self.tr("Ready for discharge (date of notice)"), box)
        self.sip_on = DateField("sipMeetingOn", self.tr("SIP meeting"), box)
        self.discharged_on = DateField("dischargedOn", self.tr("Discharged"), box)
        rows = QFormLayout(box)
        rows.addRow(self.tr("Ward"), self.ward)
        rows.addRow(self.tr("Ready for discharge"), self.ready_on)
        rows.addRow(self.tr("SIP meeting"), self.sip_on)
        rows.addRow(self.tr("Discharged"), self.discharged_on)
        box.toggled.connect(self._discharge_toggled)
        return box

    def _describe_visit(self, visit: Visit) -> str:
        place = self._ref.label("visit_place", visit.place.value, language())
        people = ", ".join(p.name for p in visit.participants)
        return f"{visit.visited_on.isoformat()} {place}" + (f": {people}" if people else "")

    def _build_visit(self) -> Visit | None:
        if not self.visit_date.typed():  # the default, today as the step was shown: today as the visit is added
            self.visit_date.set_date(self._today())
        when = self.visit_date.value()
        if when is None:
            self.visits.error.show_message(self.tr("Enter the date of the visit as YYYY-MM-DD."))
            return None
        participants = parse_participants(self.participants.text())
        built = Visit(
            visited_on=when,
            place=self.visit_place.currentData(),
            participants=participants,
            interpreter_used=self.interpreter.isChecked(),
            interpreter_language=self.interpreter_language.text().strip(),
        )
        self.participants.clear()
        return built

    def _investigation(self) -> Any:
        return None if self._case is None else self._case.investigation

    def _factors(self) -> Any:
        return None if self._case is None else self._case.investigation.related_factors

    def _discharge(self) -> Any:
        return None if self._case is None else self._case.discharge

    def load(self, case: Case, today: date) -> None:
        self._case = case
        self._set_aside = None
        self.discharge_box.blockSignals(True)
        self.discharge_box.setChecked(case.discharge is not None)
        self.discharge_box.blockSignals(False)
        self.binder.load()
        if self.visits.bind(lambda: case.investigation.visits):  # the same case's step again: the form as typed
            self.visit_date.set_date(today)

    def _discharge_toggled(self, checked: bool) -> None:
        if self._case is None:
            return
        if checked:
            # Re-checking brings back what was typed before, within this visit to the page.
            self._case.discharge = self._set_aside or self._case.discharge or DischargeContext()
            self._set_aside = None
        else:
            # No discharge planning: its clocks (SIP, payment) must stop, so the context goes from the case.
            self._set_aside, self._case.discharge = self._case.discharge, None
        self.binder.load()
        self.edited.emit()
