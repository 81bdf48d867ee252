"""Step 6, Uppföljning: follow a decision up at a home visit (seed 002).

Granted against performed time with the ±5 % tolerance, the four questions to consider first, goal
attainment, changed needs, the outcome, and the pre-filled request for underlag to the utförare. Issue 13 added the
rambeslut question, continuity, the consent rule for a private utförare's material (``follow_up_boxes.py``) and the
documents from the decision with the days they were sent (``decision_documents_box.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ibic.case_actions import follow_up_record_refusal, start_follow_up
from ibic.cases import Case
from ibic.documents.uppfoljning import build_uppfoljning
from ibic.follow_up import FOUR_QUESTIONS, FollowUp, GoalResult, expected_underlag
from ibic.follow_up_rules import done_after_today, done_before_decided, time_compared_for
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import FollowUpOutcome, FollowUpTrigger, GoalAttainment, VisitPlace
from ui.common.binding import Binder
from ui.common.fields import DateField, text_line
from ui.common.text_area import TextArea
from ui.common.widgets import ReflowRow, ignoring_checked, wrapped_label
from ui.i18n import language
from ui.messages import shown
from ui.session import Today
from ui.workspace.decision_documents_box import DecisionDocumentsBox
from ui.workspace.follow_up_boxes import ContinuityBox, FrameFormBox, ProviderMaterialBox
from ui.workspace.follow_up_time import TimeComparisonBox
from ui.workspace.leaving import reason_said_beside
from ui.workspace.lists import ListEditor
from ui.workspace.person_section import vocabulary_combo
from ui.workspace.underlag_dialog import UnderlagDialog, UnderlagKept

# Where a Kontroll finding about a follow-up leads (ibic.follow_up_rules.follow_up_findings's fields).
_FINDING_WIDGETS = {"frame_still_right_form": "frameStillRightForm", "provider_consent_id": "providerConsent"}


class FollowUpPage(QScrollArea):
    edited = Signal()
    document_requested = Signal(str, object)  # the kind ("order"/"notice"/"follow_up") and its DocumentOutline
    underlag_typed = Signal()  # the request for underlag's text or choice changed, or it closed: the drafts learn it

    def __init__(self, ref: ReferenceData, caseworker: str, parent: QWidget | None = None, *, today: Today) -> None:
        super().__init__(parent)
        self.setObjectName("followUpPage")
        self.setWidgetResizable(True)
        self._ref, self._caseworker = ref, caseworker
        self._case: Case | None = None
        self._person: Person | None = None
        self._current: FollowUp | None = None
        self._today = today  # read at each use: the step may stay open past midnight
        body = QWidget(self)
        self.setWidget(body)
        self.follow_ups = self._list_editor(body)
        self.form = QGroupBox(self.tr("The selected follow-up"), body)
        self.form.setObjectName("followUpForm")
        self.done_on = DateField("followUpDoneOn", self.tr("Date the follow-up was done"), self.form)
        self.place = vocabulary_combo(
            ref, "visit_place", list(VisitPlace), "followUpPlace", self.tr("Place of the follow-up"), self.form
        )
        self.questions = [TextArea(f"followUpQuestion{i}", shown(question), self.form)
                          for i, question in enumerate(FOUR_QUESTIONS)]
        self.time = TimeComparisonBox(ref.rules.follow_up.time_tolerance_percent, self.form)
        self.frame = FrameFormBox(self.form)
        self.continuity = ContinuityBox(self.form)
        self.provider = ProviderMaterialBox(ref, self.form, today=today)
        self.provider_view = self.provider.view
        self.experience = TextArea("followUpExperience", self.tr("The person's experience of the services"), self.form)
        self.changed_needs = TextArea("followUpChangedNeeds", self.tr("Changed needs"), self.form)
        self.goals = self._goals_editor(self.form)
        self.outcome = QComboBox(self.form)
        self.outcome.setObjectName("followUpOutcome")
        self.outcome.setAccessibleName(self.tr("Outcome of the follow-up"))
        self.outcome.addItem(self.tr("– choose –"), None)
        for value in FollowUpOutcome:
            self.outcome.addItem(ref.label("follow_up_outcome", value.value, language()), value)
        self.outcome_note = TextArea("followUpOutcomeNote", self.tr("Note on the outcome"), self.form)
        # Seed 002's two routes: who raised the follow-up decides what the underlag should already be.
        self.expected = wrapped_label("", self.form)
        self.expected.setObjectName("followUpExpected")
        self.underlag_button = QPushButton(self.tr("Ask the provider for underlag…"), self.form)
        self.underlag_button.setObjectName("followUpUnderlag")
        # The record of the follow-up shown, printed as the utredning is (Ärende → Förhandsgranska uppföljning too).
        self.preview_button = QPushButton(self.tr("Preview the follow-up record…"), self.form)
        self.preview_button.setObjectName("followUpPreview")
        self.documents = DecisionDocumentsBox(ref, caseworker, body, today=today)
        self._layout(body)
        self._bind()

    def _layout(self, body: QWidget) -> None:
        rows = QFormLayout(self.form)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above their fields at large text
        rows.addRow(self.tr("Done on"), self.done_on)
        rows.addRow(self.tr("Place"), self.place)
        for question, widget in zip(FOUR_QUESTIONS, self.questions, strict=True):
            rows.addRow(wrapped_label(shown(question), self.form))
            rows.addRow(widget)
        rows.addRow(self.frame)
        rows.addRow(self.time)
        rows.addRow(self.continuity)
        rows.addRow(self.provider)
        rows.addRow(self.tr("The person's experience"), self.experience)
        rows.addRow(self.tr("Changed needs"), self.changed_needs)
        rows.addRow(self.goals)
        rows.addRow(self.tr("Follow-up outcome"), self.outcome)  # utfall: "Beslut" read as a decision
        rows.addRow(self.tr("Note"), self.outcome_note)
        rows.addRow(self.expected)
        rows.addRow(ReflowRow((self.underlag_button, self.preview_button), self.form))
        layout = QVBoxLayout(body)
        layout.addWidget(self.follow_ups)
        layout.addWidget(self.form)
        layout.addWidget(self.documents)
        layout.addStretch(1)

    def _done_refused(self, day: date | None) -> str:
        """A done date after today, or before the followed decision was made, is refused beside the field and stays
        typed."""
        follow_up = self._selected()
        if self._case is None or follow_up is None:
            return ""
        if (ahead := done_after_today(day, self._today())) is not None:
            return shown(ahead)
        made = done_before_decided(self._case, follow_up, day)
        return "" if made is None else self.tr(
            "The decision followed up was made %1: the follow-up cannot have been done before that."
        ).replace("%1", made.isoformat())

    def _bind(self) -> None:
        self.binder = Binder(self)
        target = self._selected
        self.binder.date(self.done_on, target, "done_on", refuse=self._done_refused)
        self.binder.choice(self.place, target, "place")
        for widget, attribute in zip(
            self.questions,
            ("how_best_done", "how_person_wants_it", "whom_person_wants_present", "others_needed"),
            strict=True,
        ):
            self.binder.text(widget, target, attribute)
        for widget, attribute in (
            (self.experience, "person_experience"),
            (self.changed_needs, "changed_needs"),
            (self.outcome_note, "outcome_note"),
        ):
            self.binder.text(widget, target, attribute)
        self.binder.choice(self.outcome, target, "outcome")
        self.binder.edited.connect(lambda _a: self._after_edit())
        self.time.edited.connect(self._after_edit)
        self.goals.edited.connect(self._after_edit)
        for box in (self.frame, self.continuity, self.provider, self.documents):
            box.edited.connect(self._after_edit)
        self.documents.document_requested.connect(self.document_requested)
        self.follow_ups.listing.currentRowChanged.connect(self._select_row)
        self.follow_ups.edited.connect(self._after_list_edit)
        self.underlag_button.clicked.connect(ignoring_checked(self._ask_for_underlag))
        self.preview_button.clicked.connect(ignoring_checked(self.preview_follow_up))

    def _list_editor(self, body: QWidget) -> ListEditor:
        form = QWidget(body)
        self.new_trigger = vocabulary_combo(
            self._ref,
            "follow_up_trigger",
            list(FollowUpTrigger),
            "followUpTrigger",
            self.tr("What started the follow-up"),
            form,
        )
        self.new_planned = DateField("followUpPlannedOn", self.tr("Planned date"), form)
        rows = QFormLayout(form)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows.addRow(self.tr("Started by"), self.new_trigger)
        rows.addRow(self.tr("Planned"), self.new_planned)
        return ListEditor(self.tr("Follow-ups"), "followUps", form, self._describe, self._build, body)

    def _goals_editor(self, parent: QWidget) -> ListEditor:
        form = QWidget(parent)
        self.goal_text = text_line("goalText", self.tr("Goal"), form)
        self.goal_attainment = vocabulary_combo(
            self._ref, "goal_attainment", list(GoalAttainment), "goalAttainment", self.tr("Is the goal met?"), form
        )
        rows = QFormLayout(form)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows.addRow(self.tr("Goal"), self.goal_text)
        rows.addRow(self.tr("Met?"), self.goal_attainment)
        return ListEditor(
            self.tr("Goal attainment"), "goalResults", form, self._describe_goal, self._build_goal, parent
        )

    def _describe(self, follow_up: FollowUp) -> str:
        when = follow_up.done_on or follow_up.planned_on
        trigger = self._ref.label("follow_up_trigger", follow_up.trigger.value, language())
        done = self.tr("done") if follow_up.done_on else self.tr("planned")
        return f"{when.isoformat() if when else '–'} ({done}): {trigger}"

    def _build(self) -> FollowUp | None:
        assert self._case is not None
        today = self._today()
        if not self.new_planned.typed():  # the default, today as the step was shown: today as it is added
            self.new_planned.set_date(today)
        if not self.new_planned.is_valid():  # as a consent's or a visit's date: not taken as "no planned date"
            self.follow_ups.error.show_message(self.tr("Enter the planned date as YYYY-MM-DD, or leave it empty."))
            return None
        return start_follow_up(
            self._case, today=today, trigger=self.new_trigger.currentData(), planned_on=self.new_planned.value()
        )

    def _describe_goal(self, goal: GoalResult) -> str:
        met = (
            self._ref.label("goal_attainment", goal.attainment.value, language())
            if goal.attainment
            else self.tr("not assessed")
        )
        return f"{goal.goal}: {met}"

    def _build_goal(self) -> GoalResult | None:
        if not self.goal_text.text().strip():
            self.goals.error.show_message(self.tr("Write the goal."))
            return None
        built = GoalResult(goal=self.goal_text.text().strip(), attainment=self.goal_attainment.currentData())
        self.goal_text.clear()
        return built

    def _selected(self) -> Any:
        return self._current

    def load(self, case: Case, person: Person, today: date) -> None:
        self._case, self._person = case, person
        self.documents.load(case, person, today)
        # Without a row selected while the listing fills: the goals' form would be bound to none, then emptied.
        self.follow_ups.listing.blockSignals(True)
        try:
            emptied = self.follow_ups.bind(lambda: case.follow_ups)
        finally:
            self.follow_ups.listing.blockSignals(False)
        if emptied:  # not the same case's step shown again, whose form stays as typed
            self.new_planned.set_date(today)
        self._select_row(len(case.follow_ups) - 1)
        if case.follow_ups:
            self.follow_ups.listing.setCurrentRow(len(case.follow_ups) - 1)

    def _select_row(self, row: int) -> None:
        follow_ups = self._case.follow_ups if self._case is not None else []
        self._current = follow_ups[row] if 0 <= row < len(follow_ups) else None
        self.form.setEnabled(self._current is not None)
        self.binder.load()
        self.time.load(self._current, None if self._current is None or self._case is None
                       else time_compared_for(self._case, self._current))
        if self._case is not None:
            self.frame.load(self._case, self._current)
            self.provider.load(self._case, self._current)
        self.continuity.load(self._current)
        self.expected.setText(shown(expected_underlag(self._current.trigger)) if self._current is not None else "")
        current = self._current
        self.goals.bind(lambda: current.goal_results if current is not None else [])

    def refused_fields(self) -> list[QWidget]:
        """Beyond the binder's and the add forms': the texts the boxes refused beside them (hours, staff, the care
        contact, the frame note, the provider's view, a document's date), each still as typed; leaving loses them."""
        time = self.time
        hours = [f for f in (time.granted, time.performed) if f.text().strip()] if time.error.text() else []
        said = [(self.continuity.staff_count, self.continuity.staff_error),
                (self.continuity.care_contact, self.continuity.contact_error),
                (self.frame.note, self.frame.error), (self.provider.view, self.provider.error),
                *((field, field.error) for field in self.documents.dates())]
        return reason_said_beside([*hours, *(field for field, error in said if error.text())])

    def drop_refused(self) -> None:
        """The person chose to leave: the follow-up shown and the documents show what is stored again."""
        self._select_row(self.follow_ups.listing.currentRow())
        if self._case is not None and self._person is not None:
            self.documents.load(self._case, self._person, self._today())

    def _after_list_edit(self) -> None:
        assert self._case is not None
        self.follow_ups.listing.setCurrentRow(len(self._case.follow_ups) - 1)
        self.edited.emit()

    def _after_edit(self) -> None:
        self.provider.refresh()  # the date held or the consent decides whether the material may be noted
        self.follow_ups.refresh_texts()
        self.goals.refresh_texts()
        self.edited.emit()

    def _ask_for_underlag(self, kept: UnderlagKept | None = None) -> None:
        if self._case is None or self._person is None or self._current is None:
            return
        dialog = UnderlagDialog(self._ref, self._case, self._person, self._current, self._caseworker, self._today(),
                                self, kept)
        for changed in (dialog.message.textChanged, dialog.full_number.toggled, dialog.finished):
            changed.connect(self.underlag_typed)
        dialog.exec()

    def preview_follow_up(self) -> None:
        """The record of the follow-up shown, to the preview (``document_requested``); with none, the list says so."""
        if self._case is None or self._person is None:
            return
        refusal = follow_up_record_refusal(self._case)
        if refusal is not None:
            self.follow_ups.error.show_message(shown(refusal))
            return
        if self._current is None:  # one is always chosen once the case has any (``load``)
            return
        outline = build_uppfoljning(self._case, self._person, self._ref, self._current.id, today=self._today(),
                                    caseworker=self._caseworker)
        self.document_requested.emit("follow_up", outline)

    def open_underlag(self) -> UnderlagKept | None:
        """The request for underlag open on screen, as typed: a lock closes it, the unlock opens it again."""
        shown = [d for d in self.findChildren(UnderlagDialog) if d.isVisible()]
        return shown[-1].kept() if shown else None

    def reopen_underlag(self, kept: UnderlagKept) -> None:
        """The request a lock closed, on its follow-up, with the text as it was (s25-probe: the handläggare's
        changes to the model message were lost at every idle lock)."""
        if self.show_follow_up(kept.follow_up_id):
            self._ask_for_underlag(kept)

    @property
    def shown_id(self) -> str:
        """The follow-up the form shows ("" when none): a draft's goal and refused texts are that one's."""
        return self._current.id if self._current is not None else ""

    def show_follow_up(self, follow_up_id: str | None) -> bool:
        """Select the follow-up ``follow_up_id``; False when the case holds none by that id (the selection stays)."""
        follow_ups = self._case.follow_ups if self._case is not None else []
        row = next((i for i, f in enumerate(follow_ups) if f.id == follow_up_id), -1)
        if row >= 0:
            self.follow_ups.listing.setCurrentRow(row)
        return row >= 0

    def focus_finding(self, follow_up_id: str | None, field: str | None) -> None:
        """Select the follow-up a Kontroll finding is about and put the cursor in its field (or the first question)."""
        self.show_follow_up(follow_up_id)
        target = self.form.findChild(QWidget, _FINDING_WIDGETS.get(field or "", "followUpQuestion0"))
        if target is not None:
            self.ensureWidgetVisible(target)
            target.setFocus()
