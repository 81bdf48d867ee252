"""The delområden (ICF activities such as d450 Gå) of one life area: choose one, give it a value, write its text.

One row per delområde of the area: a check box that chooses it, a value on the area's own scale ("Not assessed"
first: a chosen delområde need not carry a value) and a line of text. The rows are built once for the longest
list in the reference data and relabelled when another area is shown, so switching area builds no widgets.
Unchecking a delområde takes it out of the assessment, but its row keeps the value and text until another area is
shown: checking it again brings them back, so one stray Space loses nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from ibic.investigation import LifeAreaAssessment, SubAreaAssessment
from ibic.limits import LONG_TEXT_MAX
from ibic.reference import LifeArea, ReferenceData, Scale, SubArea
from ui.common.fields import clean_text
from ui.common.widgets import named
from ui.i18n import text_of

QLINEEDIT_MAX = 32767  # Qt's own ceiling for QLineEdit.maxLength
NOT_ASSESSED = ""  # the item data of "Not assessed": the model holds no value then


class _Row:
    """The widgets of one delområde row; ``sub_area`` is the reference entry it shows now."""

    def __init__(self, index: int, parent: QWidget) -> None:
        # Named before any area relabels them: a row hidden for a shorter list is still a named control.
        self.chosen = named(QCheckBox(parent), f"subArea_{index}", parent.tr("Sub-area"))
        self.value = named(QComboBox(parent), f"subAreaValue_{index}", parent.tr("Value of the sub-area"))
        self.text = named(QLineEdit(parent), f"subAreaText_{index}", parent.tr("Text on the sub-area"))
        self.text.setMaxLength(min(LONG_TEXT_MAX, QLINEEDIT_MAX))
        self.sub_area: SubArea | None = None
        self.scale_id = ""

    def widgets(self) -> tuple[QWidget, ...]:
        return self.chosen, self.value, self.text


class SubAreaEditor(QGroupBox):
    """Edits ``LifeAreaAssessment.sub_areas``; emits ``edited`` after each change of the assessment."""

    edited = Signal()

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Sub-areas (ICF activities)"), parent)
        self.setObjectName("subAreas")
        self._assessment: LifeAreaAssessment | None = None
        self._loading = False
        # One shared item model per scale: a combo box switches scale by pointing at another model.
        self._models = {scale.id: self._scale_model(scale) for scale in ref.scales}
        grid = QGridLayout(self)
        self.hint = QLabel(self.tr("Choose the sub-areas that concern the person (Space), then their value and text."),
                           self)
        self.hint.setWordWrap(True)
        grid.addWidget(self.hint, 0, 0, 1, 3)
        longest = max((len(area.sub_areas) for area in ref.life_areas), default=0)
        self.rows = [_Row(index, self) for index in range(longest)]
        for index, row in enumerate(self.rows, start=1):
            for column, widget in enumerate(row.widgets()):
                grid.addWidget(widget, index, column)
            row.chosen.toggled.connect(lambda checked, r=row: self._chosen(r, checked))
            row.value.currentIndexChanged.connect(lambda _i, r=row: self._value_changed(r))
            row.text.textEdited.connect(lambda _t, r=row: self._text_changed(r))
        grid.setColumnStretch(2, 1)

    def _scale_model(self, scale: Scale) -> QStandardItemModel:
        model = QStandardItemModel(self)
        unassessed = QStandardItem(self.tr("Not assessed"))
        unassessed.setData(NOT_ASSESSED, Qt.ItemDataRole.UserRole)  # a Python None held by Qt crashed PySide6
        model.appendRow(unassessed)
        for step in scale.steps:
            item = QStandardItem(f"{step.value}  {text_of(step)}")
            item.setData(step.value, Qt.ItemDataRole.UserRole)
            model.appendRow(item)
        return model

    def load(self, assessment: LifeAreaAssessment, area: LifeArea) -> None:
        """Show ``area``'s delområden with what ``assessment`` holds; rows beyond the area's list are hidden."""
        self._loading = True
        try:
            self._assessment = assessment
            if self.isHidden() == bool(area.sub_areas):
                self.setVisible(bool(area.sub_areas))
            for index, row in enumerate(self.rows):
                sub_area = area.sub_areas[index] if index < len(area.sub_areas) else None
                self._load_row(row, sub_area, area.scale, assessment)
        finally:
            self._loading = False

    def _load_row(self, row: _Row, sub_area: SubArea | None, scale_id: str, assessment: LifeAreaAssessment) -> None:
        # Every setter is skipped when the widget already shows the value: a switch between areas with the same
        # list then costs reads only, and Qt has no layout to redo (issue 14: a switch within one frame).
        row.sub_area = sub_area
        for widget in row.widgets():
            if widget.isHidden() != (sub_area is None):
                widget.setVisible(sub_area is not None)
        if sub_area is None:
            return
        if row.scale_id != scale_id:
            row.value.setModel(self._models[scale_id])
            row.scale_id = scale_id
        label = f"{sub_area.code} {text_of(sub_area)}"
        if row.chosen.text() != label:
            row.chosen.setText(label)
            row.chosen.setAccessibleName(label)
            row.value.setAccessibleName(self.tr("Value for %1").replace("%1", label))
            row.text.setAccessibleName(self.tr("Text for %1").replace("%1", label))
        held = assessment.sub_area(sub_area.code)
        if row.chosen.isChecked() != (held is not None):
            row.chosen.setChecked(held is not None)
        index = max(row.value.findData(held.qualifier or NOT_ASSESSED if held else NOT_ASSESSED), 0)
        if row.value.currentIndex() != index:
            row.value.setCurrentIndex(index)
        text = held.text if held else ""
        if row.text.text() != text:
            row.text.setText(text)
        self._enable(row, held is not None)

    @staticmethod
    def _enable(row: _Row, chosen: bool) -> None:
        for widget in (row.value, row.text):
            if widget.isEnabled() != chosen:
                widget.setEnabled(chosen)

    def _chosen(self, row: _Row, checked: bool) -> None:
        self._enable(row, checked)
        if self._loading or self._assessment is None or row.sub_area is None:
            return
        code = row.sub_area.code
        kept = [sub for sub in self._assessment.sub_areas if sub.code != code]
        if checked:
            text = clean_text(row.text.text())
            kept.append(SubAreaAssessment(code=code, qualifier=self._value_of(row), text=text))
            kept.sort(key=self._reference_order)
        self._assessment.sub_areas = kept
        self.edited.emit()

    def _reference_order(self, sub: SubAreaAssessment) -> int:
        codes = [row.sub_area.code for row in self.rows if row.sub_area is not None]
        return codes.index(sub.code) if sub.code in codes else len(codes)

    @staticmethod
    def _value_of(row: _Row) -> str | None:
        return str(row.value.currentData() or "") or None

    def _held(self, row: _Row) -> SubAreaAssessment | None:
        if self._loading or self._assessment is None or row.sub_area is None:
            return None
        return self._assessment.sub_area(row.sub_area.code)

    def _value_changed(self, row: _Row) -> None:
        held = self._held(row)
        if held is not None and held.qualifier != self._value_of(row):
            held.qualifier = self._value_of(row)
            self.edited.emit()

    def _text_changed(self, row: _Row) -> None:
        held = self._held(row)
        text = clean_text(row.text.text())
        if held is not None and held.text != text:
            held.text = text
            self.edited.emit()

    def row_of(self, code: str) -> _Row | None:
        return next((row for row in self.rows if row.sub_area is not None and row.sub_area.code == code), None)

    def focus_sub_area(self, code: str) -> None:
        """Put focus on the delområde ``code``: its value when chosen, else its check box."""
        row = self.row_of(code)
        if row is not None:
            (row.value if row.chosen.isChecked() else row.chosen).setFocus(Qt.FocusReason.OtherFocusReason)
