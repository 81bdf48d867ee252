"""The form for one IBIC life area: own view, others' views, the assessment on IBIC's scale, its delområden, need,
goal. Every widget is built once; switching area only loads values and relabels (issue 14: within one frame)."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ibic.cases import Case
from ibic.investigation import LifeAreaAssessment, NotRelevant
from ibic.people import Person
from ibic.reference import LifeArea, ReferenceData, Scale
from ui.assessment.others import OthersEditor
from ui.assessment.sub_areas import SubAreaEditor
from ui.common.binding import Binder, validation_message
from ui.common.fields import ErrorLabel, heading
from ui.common.page_keys import NOT_RELEVANT_KEYS
from ui.common.text_area import TextArea
from ui.common.widgets import ReflowRow, ignoring_checked
from ui.i18n import text_of
from ui.session import Today


class LifeAreaForm(QScrollArea):
    """Edits the assessment of one area; ``load`` switches area without rebuilding the text fields."""

    edited = Signal()
    not_relevant_toggled = Signal(bool)

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None, *, today: Today) -> None:
        super().__init__(parent)
        self.setObjectName("lifeAreaForm")
        self.setWidgetResizable(True)
        self._ref = ref
        self._assessment: LifeAreaAssessment | None = None
        self._scale: Scale | None = None
        self._loading = False
        body = QWidget(self)
        self.setWidget(body)
        self.heading = heading("areaHeading", 1.4, body)
        self.guidance = QLabel(body)
        self.guidance.setObjectName("areaGuidance")
        self.guidance.setWordWrap(True)
        self.not_relevant = QCheckBox(self.tr("Not relevant (Alt+N)"), body)
        self.not_relevant.setObjectName("notRelevant")
        self.not_relevant.setAccessibleName(self.tr("Not relevant"))
        self.reason = QComboBox(body)
        self.reason.setObjectName("notRelevantReason")
        self.reason.setAccessibleName(self.tr("Reason the area is not relevant"))
        for reason in ref.not_relevant_reasons:
            self.reason.addItem(text_of(reason), reason.id)
        self.reason_note = TextArea("notRelevantNote", self.tr("Note on why the area is not relevant"), body)
        self.reason_note.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.reason_error = ErrorLabel(body)
        self.own = TextArea("ownDescription", self.tr("The person's own description"), body)
        self.others = OthersEditor(ref, body, today=today)
        self.scale_box = QGroupBox(self.tr("Assessment on IBIC's scale"), body)
        self.scale_box.setObjectName("scaleBox")
        self.scale_group = QButtonGroup(self)
        self.scale_layout = QVBoxLayout(self.scale_box)
        # The scale's name goes in a wrapped label, not the box's title: a title cannot wrap, and the environment
        # factors' long name made the page scroll sideways at 16 pt on a 150 % screen.
        self.scale_name = QLabel(self.scale_box)
        self.scale_name.setObjectName("scaleName")
        self.scale_name.setWordWrap(True)
        self.scale_layout.addWidget(self.scale_name)
        self.scale_explanation = QLabel(self.scale_box)
        self.scale_explanation.setObjectName("scaleExplanation")
        self.scale_explanation.setWordWrap(True)
        self.clear_scale = QPushButton(self.tr("Clear assessment"), self.scale_box)
        self.clear_scale.setObjectName("clearScale")
        self._build_scale_buttons(max(len(scale.steps) for scale in ref.scales))
        self.sub_areas = SubAreaEditor(ref, body)
        self.assessment = TextArea("assessmentText", self.tr("Caseworker's assessment"), body)
        self.need = TextArea("need", self.tr("Need"), body)
        self.resources = TextArea("resources", self.tr("Resources (own and network)"), body)
        self.goal = TextArea("goal", self.tr("The person's goal / wanted result"), body)
        self._layout(body)
        self.binder = Binder(self)
        target = self._current
        for widget, attribute in (
            (self.own, "own_description"),
            (self.assessment, "assessment"),
            (self.need, "need"),
            (self.resources, "resources"),
            (self.goal, "goal"),
        ):
            self.binder.text(widget, target, attribute)
        self.binder.edited.connect(lambda _a: self.edited.emit())
        self.others.edited.connect(self.edited)
        self.sub_areas.edited.connect(self.edited)
        self.scale_group.idClicked.connect(self._scale_chosen)
        self.clear_scale.clicked.connect(ignoring_checked(self._clear_scale))
        self.not_relevant.toggled.connect(self._not_relevant_changed)
        self.reason.currentIndexChanged.connect(self._reason_changed)
        self.reason_note.textChanged.connect(self._reason_changed)
        QShortcut(QKeySequence(NOT_RELEVANT_KEYS), self, self._toggle_not_relevant)

    def _layout(self, body: QWidget) -> None:
        layout = QVBoxLayout(body)
        layout.addWidget(self.heading)
        layout.addWidget(self.guidance)
        # The reason under its check box when both do not fit side by side (20 pt): the page never scrolls sideways.
        layout.addWidget(ReflowRow([self.not_relevant, self.reason], body, stretch_last=True))
        layout.addWidget(self.reason_note)
        layout.addWidget(self.reason_error)
        for label, widget in ((self.tr("The person's own description"), self.own),):
            layout.addWidget(self._label(label, widget, body))
            layout.addWidget(widget)
        layout.addWidget(self.others)
        layout.addWidget(self.scale_box)
        layout.addWidget(self.sub_areas)
        for label, widget in (
            (self.tr("Caseworker's assessment"), self.assessment),
            (self.tr("Need"), self.need),
            (self.tr("Resources (own and network)"), self.resources),
            (self.tr("The person's goal / wanted result"), self.goal),
        ):
            layout.addWidget(self._label(label, widget, body))
            layout.addWidget(widget)
        layout.addStretch(1)

    @staticmethod
    def _label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setBuddy(buddy)
        label.setWordWrap(True)
        return label

    def _current(self) -> LifeAreaAssessment | None:
        return self._assessment

    @property
    def area_id(self) -> str:
        """The life area shown ("" before the first)."""
        return self._assessment.area_id if self._assessment is not None else ""

    def load(self, case: Case, person: Person, area: LifeArea, today: date) -> None:
        """Show ``area`` of ``case``; creates its assessment record on first visit."""
        self._loading = True
        try:
            self._assessment = case.investigation.ensure_assessment(area.id)
            self.heading.setText(text_of(area))
            self.guidance.setText(text_of(area, "guidance"))
            self._show_scale(self._ref.scale(area.scale))
            self.binder.load()
            self.others.load(self._assessment, case, person, today)
            self.sub_areas.load(self._assessment, area)
            not_relevant = self._assessment.not_relevant
            self.not_relevant.setChecked(not_relevant is not None)
            self.reason.setCurrentIndex(max(self.reason.findData(not_relevant.reason_id if not_relevant else ""), 0))
            self.reason_note.set_text(not_relevant.note if not_relevant else "")
            self.reason_error.show_message("")
            self._show_qualifier(self._assessment.qualifier)
            self._apply_not_relevant_state(not_relevant is not None)
        finally:
            self._loading = False

    def _build_scale_buttons(self, count: int) -> None:
        """As many radio buttons as the longest scale has steps, made once; each area's scale relabels them."""
        for index in range(count):
            button = QRadioButton(self.scale_box)
            button.setAccessibleName(self.tr("Step on the scale"))  # named even while this area's scale is shorter
            self.scale_group.addButton(button, index)
            self.scale_layout.addWidget(button)
        self.scale_layout.addWidget(self.scale_explanation)
        self.scale_layout.addWidget(self.clear_scale, 0, Qt.AlignmentFlag.AlignLeft)

    def _show_scale(self, scale: Scale) -> None:
        if self._scale is not None and self._scale.id == scale.id:
            return  # same scale as the previous area: nothing to relabel
        self._scale = scale
        self.scale_name.setText(text_of(scale))
        self.scale_box.setAccessibleName(self.tr("Assessment on IBIC's scale") + f" – {text_of(scale)}")
        for index in range(len(self.scale_group.buttons())):
            button = self.scale_group.button(index)
            step = scale.steps[index] if index < len(scale.steps) else None
            button.setVisible(step is not None)
            if step is None:
                button.setObjectName(f"scale_unused_{index}")
                continue
            button.setText(f"{step.value}  {text_of(step)}" + (f"  ({step.range})" if step.range else ""))
            button.setObjectName(f"scale_{step.value}")
            button.setAccessibleName(f"{text_of(step)} {step.range}".strip())

    def _show_qualifier(self, value: str | None) -> None:
        assert self._scale is not None
        self.scale_group.setExclusive(False)
        for button in self.scale_group.buttons():
            button.setChecked(False)
        self.scale_group.setExclusive(True)
        step = self._scale.step(value)
        buttons = [self.scale_group.button(index) for index in range(len(self._scale.steps))]
        tab_stop = buttons[0] if buttons else None
        if step is not None:
            tab_stop = self.scale_group.button(self._scale.steps.index(step))
            tab_stop.setChecked(True)
        # Qt leaves the Tab stop of an exclusive group on the button checked last, which here is the previous
        # area's value: Tab would land on it and Space store it. The Tab stop is this area's value, or the first.
        for button in buttons:
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if button is tab_stop else Qt.FocusPolicy.ClickFocus
            )
        self.scale_explanation.setText(text_of(step, "explanation") if step else self.tr("No assessment chosen yet."))

    def _scale_chosen(self, index: int) -> None:
        if self._assessment is None or self._scale is None or self._loading:
            return
        self._assessment.qualifier = self._scale.steps[index].value
        self.scale_explanation.setText(text_of(self._scale.steps[index], "explanation"))
        self.edited.emit()

    def _clear_scale(self) -> None:
        if self._assessment is not None:
            self._assessment.qualifier = None
            self._show_qualifier(None)
            self.edited.emit()

    def _toggle_not_relevant(self) -> None:
        self.not_relevant.setChecked(not self.not_relevant.isChecked())
        if self.not_relevant.isChecked():
            self.reason.setFocus()

    def _not_relevant_changed(self, checked: bool) -> None:
        self._apply_not_relevant_state(checked)
        if self._loading or self._assessment is None:
            return
        if not checked:
            self.reason_error.show_message("")
        self._assessment.not_relevant = self._not_relevant_shown() if checked else None
        self.not_relevant_toggled.emit(checked)
        self.edited.emit()

    def _reason_changed(self) -> None:
        if self._loading or self._assessment is None or self._assessment.not_relevant is None:
            return
        value = self._not_relevant_shown()
        if value == self._assessment.not_relevant:
            return  # a refused note: nothing changed
        self._assessment.not_relevant = value
        self.edited.emit()

    def _not_relevant_shown(self) -> NotRelevant:
        """The ej aktuellt the form shows. A note longer than the store holds is refused under it (the text stays
        typed) and the last note stored is kept, as the binder does for the other texts."""
        reason = self.reason.currentData()
        try:
            value = NotRelevant(reason_id=reason, note=self.reason_note.text())
        except ValidationError as error:
            self.reason_error.show_message(validation_message(error))
            stored = self._assessment.not_relevant if self._assessment is not None else None
            return NotRelevant(reason_id=reason, note=stored.note if stored is not None else "")
        self.reason_error.show_message("")
        return value

    def refused_fields(self) -> list[QWidget]:
        """Beyond the binder's: the ej aktuellt note, a delområde's text and a description whose add the model
        refused (each stays typed with its message; leaving the area would lose it)."""
        note = [self.reason_note] if self.not_relevant.isChecked() and self.reason_error.text() else []
        return [*note, *self.others.refused_fields(), *self.sub_areas.refused_fields()]

    def drop_refused(self) -> None:
        """The person chose to leave: those texts give way to what is stored (the binder's are loaded again)."""
        if self.reason_error.text():
            stored = self._assessment.not_relevant if self._assessment is not None else None
            self.reason_note.set_text(stored.note if stored is not None else "")
            self.reason_error.show_message("")
        self.others.drop_refused()
        self.sub_areas.drop_refused()

    def _apply_not_relevant_state(self, checked: bool) -> None:
        # The texts stay (nothing typed is thrown away); they are only greyed out while the area is ej aktuellt.
        self.reason.setEnabled(checked)
        self.reason_note.setVisible(checked)
        for widget in (self.own, self.others, self.scale_box, self.sub_areas, self.assessment, self.need,
                       self.resources, self.goal):
            widget.setEnabled(not checked)

    def focused_field(self) -> tuple[str, int] | None:
        """The focused text field and cursor position, so unlock can return the user to the same place."""
        for widget in (self.own, self.assessment, self.need, self.resources, self.goal, self.reason_note):
            if widget.hasFocus():
                return widget.objectName(), widget.textCursor().position()
        return None

    def restore_focus(self, name: str, position: int) -> None:
        for widget in (self.own, self.assessment, self.need, self.resources, self.goal, self.reason_note):
            if widget.objectName() == name:
                widget.setFocus()
                cursor = widget.textCursor()
                cursor.setPosition(min(position, len(widget.toPlainText())))
                widget.setTextCursor(cursor)
