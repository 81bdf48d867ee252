"""Step 4, Bedömning och förslag till beslut: one editor per applied item, then the kommunicering."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ibic.case_actions import ensure_proposals
from ibic.cases import Case
from ibic.decisions import person_conditions
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import CommunicationMethod
from ui.common.binding import Binder
from ui.common.fields import DateField, line_edit
from ui.common.text_area import TextArea
from ui.common.widgets import focus_by_keys, wrapped_label
from ui.i18n import language, text_of
from ui.workspace.leaving import reason_said_beside
from ui.workspace.proposal_editor import ProposalEditor


class ProposalPage(QScrollArea):
    edited = Signal()

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalPage")
        self.setWidgetResizable(True)
        self._ref = ref
        self._case: Case | None = None
        body = QWidget(self)
        self.setWidget(body)
        self.editors_box = QWidget(body)
        self.editors_layout = QVBoxLayout(self.editors_box)
        self.editors_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_note = QLabel(self.tr("Nothing is applied for yet: add it on the Case step."), body)
        self.empty_note.setObjectName("proposalEmpty")
        self.editors: list[ProposalEditor] = []
        communication = self._communication_box(body)
        layout = QVBoxLayout(body)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.editors_box)
        layout.addWidget(communication)
        layout.addStretch(1)

    def _communication_box(self, body: QWidget) -> QGroupBox:
        # A short title and the explanation wrapped under it: a group box title never wraps, and at 20 pt on a
        # 1280×720 screen the whole sentence as the title made the page scroll sideways (s25-odd).
        box = QGroupBox(self.tr("Kommunicering"), body)
        box.setObjectName("communicationBox")
        explained = wrapped_label(self.tr("The person sees the material before the decision."), box)
        explained.setObjectName("communicationExplained")
        self.communicated_on = DateField("communicatedOn", self.tr("Date of kommunicering"), box)
        self.method = QComboBox(box)
        self.method.setObjectName("communicationMethod")
        self.method.setAccessibleName(self.tr("How the material was communicated"))
        self.method.addItem(self.tr("– choose –"), None)
        for value in CommunicationMethod:
            self.method.addItem(self._ref.label("communication_method", value.value, language()), value)
        self.with_whom = line_edit("communicatedWith", self.tr("With whom"), box)
        self.reply_by = DateField("replyBy", self.tr("Reply at the latest"), box)
        self.response = TextArea("communicationResponse", self.tr("The person's response"), box)
        self.not_done = line_edit("communicationNotDone", self.tr("Why kommunicering is not needed"), box)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above their fields at large text
        form.addRow(explained)
        for label, widget in (
            (self.tr("Date"), self.communicated_on),
            (self.tr("How"), self.method),
            (self.tr("With whom"), self.with_whom),
            (self.tr("Reply by"), self.reply_by),
            (self.tr("Response"), self.response),
            (self.tr("Not needed because"), self.not_done),
        ):
            form.addRow(label, widget)
        self.binder = Binder(self)
        target = self._communication
        self.binder.date(self.communicated_on, target, "done_on")
        self.binder.choice(self.method, target, "method")
        self.binder.text(self.with_whom, target, "with_whom")
        self.binder.date(self.reply_by, target, "reply_by")
        self.binder.text(self.response, target, "response")
        self.binder.text(self.not_done, target, "not_done_reason")
        self.binder.edited.connect(lambda _a: self.edited.emit())
        return box

    def refused_fields(self) -> list[QWidget]:
        """Beyond the binders': each proposal's scope as typed where it is refused (not a number, over the limit)."""
        return reason_said_beside([editor.amount for editor in self.editors if editor.amount_error.text()])

    def drop_refused(self) -> None:
        for editor in self.editors:
            editor.drop_refused()

    def focus_finding(self, item_id: str | None, field: str | None) -> None:
        """Put the cursor where a Kontroll finding is answered: the field of the proposal for the applied item
        ``item_id``, or the kommunicering's date or "With whom"; the page scrolls to it."""
        editor = next((e for e in self.editors if item_id and e.application_item_id == item_id), None)
        if editor is not None:
            target: QWidget = editor.field_widget(field)
        elif field == "with_whom":
            target = self.with_whom
        elif field == "communication":
            target = self.communicated_on
        else:
            return  # a finding naming no field here (a text that cannot be printed): the page, as Ctrl+4 shows it
        focus_by_keys(target)
        body = self.widget()
        layout = body.layout() if body is not None else None
        if layout is not None:
            layout.activate()  # the editors were just built: placed now, so the scroll goes to where the field is
        self.ensureWidgetVisible(target.focusProxy() or target)

    def _communication(self) -> Any:
        return None if self._case is None else self._case.communication

    def load(self, case: Case, person: Person, today: date) -> None:
        """Rebuild one editor per applied item (creating an empty proposal for new items)."""
        self._case = case
        for editor in self.editors:
            editor.setParent(None)  # out of the layout at once, so old and new editors never show together
            editor.deleteLater()
        self.editors = []
        age = person.age_on(today)
        conditions = person_conditions(person)
        for item, proposal in zip(case.application.items, ensure_proposals(case, self._ref), strict=True):
            insats = self._ref.insats(item.insats_id)
            title = text_of(insats) if insats else item.free_text
            editor = ProposalEditor(self._ref, proposal, title, age, today, self.editors_box, conditions)
            editor.edited.connect(self.edited)
            self.editors_layout.addWidget(editor)
            self.editors.append(editor)
        self.empty_note.setVisible(not self.editors)
        self.binder.load()
