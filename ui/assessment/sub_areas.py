"""The delområden (ICF activities such as d450 Gå) of one life area: choose one, give it a value, write its text.

One row per delområde of the area: a check box that chooses it, a value on the area's own scale ("Not assessed"
first: a chosen delområde need not carry a value) and a line of text. Each area's rows are built once, on a page
of their own, and switching area only hides one page and shows another and loads values (showing and hiding single
rows cost a relayout each: issue 14's one frame). Unchecking a delområde takes it out of the assessment, but its row
keeps the value and text until the area is loaded again: checking it again brings them back, so one stray Space
loses nothing. A chosen delområde's text longer than the model holds is refused as every text field's is: it stays
typed, the assessment keeps the text stored before, and the one message under the rows names the delområde; leaving
the area then asks first (``refused_fields``, ``ui.workspace.leaving``).
"""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ibic.investigation import LifeAreaAssessment, SubAreaAssessment
from ibic.reference import LifeArea, ReferenceData, Scale, SubArea
from ui.common.binding import validation_message
from ui.common.fields import ErrorLabel, clean_text, uncut
from ui.common.widgets import named
from ui.i18n import text_of

NOT_ASSESSED = ""  # the item data of "Not assessed": the model holds no value then


class ElidedLabel(QLabel):
    """One line of text, cut at the right with "…" when the label is narrower than it (a label cut mid-word read as
    a whole, wrong name: "d465 Röra sig omkring med hjälp av utrustn"). ``text()`` stays whole, and with it the
    accessible name. The shown text is worked out on a resize or a font change only, never on a switch of area that
    keeps the size, and painting it asks no relayout (a ``setText`` would: bench_switch)."""

    def __init__(self, text: str, parent: QWidget) -> None:
        super().__init__(text, parent)
        self._shown = text

    def shown_text(self) -> str:
        """What the label shows: its text, or its start and "…"."""
        return self._shown

    def _elide(self) -> None:
        self._shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                                    max(self.contentsRect().width(), 0))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the text size changed in Inställningar
            self._elide()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._shown == self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        alignment = QStyle.visualAlignment(self.layoutDirection(), self.alignment())
        self.style().drawItemText(painter, self.contentsRect(), int(alignment), self.palette(), self.isEnabled(),
                                  self._shown, self.foregroundRole())


class _Row:
    """The widgets of one delområde of one area."""

    def __init__(self, sub_area: SubArea, model: QStandardItemModel, parent: QWidget) -> None:
        self.sub_area = sub_area
        label = f"{sub_area.code} {text_of(sub_area)}"
        # The name is a label beside the box, not the box's own text, and claims no width: a long ICF title would
        # otherwise widen the whole form (a horizontal scroll bar, and every text field resized on each switch).
        # Not word-wrapped either: 13 wrapped labels were slower to lay out on each switch (bench_switch, on a
        # noisy machine). A title cut on a narrow window ends in "…" and is whole in its tooltip and the box's
        # accessible name; the code and the title's first words always show.
        self.chosen = named(QCheckBox(parent), f"subArea_{sub_area.code}", label)
        self.label = ElidedLabel(label, parent)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setToolTip(label)
        self.label.setMinimumWidth(self.label.fontMetrics().averageCharWidth() * 16)
        self.label.setBuddy(self.chosen)
        self.value = named(QComboBox(parent), f"subAreaValue_{sub_area.code}",
                           parent.tr("Value for %1").replace("%1", label))
        self.value.setModel(model)
        self.text = named(QLineEdit(parent), f"subAreaText_{sub_area.code}",
                          parent.tr("Text for %1").replace("%1", label))
        # No ceiling (Qt's default 32,767 cut a longer paste without a word; the model's 200,000 did too): a text
        # past the model's limit is refused with the editor's message and stays whole in the field.
        uncut(self.text)
        self.refusal = ""  # why the text shown is not the one stored ("" while it is)
        self.value.setEnabled(False)
        self.text.setEnabled(False)

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
        # One item model per scale, shared by the value boxes of every area on that scale.
        models = {scale.id: self._scale_model(scale) for scale in ref.scales}
        layout = QVBoxLayout(self)
        self.hint = QLabel(self.tr("Choose the sub-areas that concern the person (Space), then their value and text."),
                           self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self._pages: dict[str, tuple[QWidget, list[_Row]]] = {}
        for area in ref.life_areas:
            if area.sub_areas:
                self._pages[area.id] = self._page(area, models[area.scale])
                layout.addWidget(self._pages[area.id][0])
        self.error = ErrorLabel(self)  # the refused texts of the area shown, each named by its delområde
        layout.addWidget(self.error)
        self._shown = ""
        self.rows: list[_Row] = []  # the rows of the area shown now

    def _page(self, area: LifeArea, model: QStandardItemModel) -> tuple[QWidget, list[_Row]]:
        page = QWidget(self)
        page.setObjectName(f"subAreas_{area.id}")
        page.hide()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 3)
        rows = [_Row(sub_area, model, page) for sub_area in area.sub_areas]
        for index, row in enumerate(rows):
            for column, widget in enumerate((row.chosen, row.label, row.value, row.text)):
                grid.addWidget(widget, index, column)
            row.chosen.toggled.connect(lambda checked, r=row: self._chosen(r, checked))
            row.value.currentIndexChanged.connect(lambda _i, r=row: self._value_changed(r))
            row.text.textEdited.connect(lambda _t, r=row: self._text_changed(r))
        return page, rows

    def all_rows(self) -> list[_Row]:
        return [row for _page, rows in self._pages.values() for row in rows]

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
        """Show ``area``'s page of delområden with what ``assessment`` holds (the group is hidden for an area
        without delområden)."""
        self._loading = True
        try:
            self._assessment = assessment
            for row in self.rows:
                row.refusal = ""  # each row shows what is stored again
            if self.error.text():
                self.error.show_message("")
            self._show_page(area.id)
            for row in self.rows:
                self._load_row(row, assessment.sub_area(row.sub_area.code))
        finally:
            self._loading = False

    def _show_page(self, area_id: str) -> None:
        if area_id == self._shown:
            return
        if self._shown in self._pages:
            self._pages[self._shown][0].hide()
        page, self.rows = self._pages.get(area_id, (None, []))
        if page is not None:
            page.show()
        if self.isHidden() == (page is not None):
            self.setVisible(page is not None)
        self._shown = area_id

    def _load_row(self, row: _Row, held: SubAreaAssessment | None) -> None:
        # Setters are skipped when the widget already shows the value: reloading the same area redoes no layout.
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
        if self._loading or self._assessment is None:
            return
        code = row.sub_area.code
        kept = [sub for sub in self._assessment.sub_areas if sub.code != code]
        if checked:
            chosen = SubAreaAssessment(code=code, qualifier=self._value_of(row))
            kept.append(chosen)
            kept.sort(key=self._reference_order)
            self._refuse(row, self._assigned_text(chosen, row))
        elif row.refusal:
            self._refuse(row, "")  # not chosen: its text is not the assessment's any more, refused or not
        self._assessment.sub_areas = kept
        self.edited.emit()

    def _reference_order(self, sub: SubAreaAssessment) -> int:
        codes = [row.sub_area.code for row in self.rows]
        return codes.index(sub.code) if sub.code in codes else len(codes)

    @staticmethod
    def _value_of(row: _Row) -> str | None:
        return str(row.value.currentData() or "") or None

    def _held(self, row: _Row) -> SubAreaAssessment | None:
        if self._loading or self._assessment is None:
            return None
        return self._assessment.sub_area(row.sub_area.code)

    def _value_changed(self, row: _Row) -> None:
        held = self._held(row)
        if held is not None and held.qualifier != self._value_of(row):
            held.qualifier = self._value_of(row)
            self.edited.emit()

    def _text_changed(self, row: _Row) -> None:
        held = self._held(row)
        if held is None:
            return
        before = held.text
        self._refuse(row, self._assigned_text(held, row))
        if held.text != before:
            self.edited.emit()

    @staticmethod
    def _assigned_text(held: SubAreaAssessment, row: _Row) -> str:
        """The row's text into ``held``; the refusal's message when the model refuses it (``held`` keeps its own)."""
        text = clean_text(row.text.text())
        if held.text == text:
            return ""
        try:
            held.text = text
        except ValidationError as error:
            return validation_message(error)
        return ""

    def _refuse(self, row: _Row, message: str) -> None:
        row.refusal = message
        said = [f"{r.sub_area.code} {text_of(r.sub_area)}: {r.refusal}" for r in self.rows if r.refusal]
        self.error.show_message("\n".join(said))

    def refused_fields(self) -> list[QWidget]:
        """The chosen delområden's text fields whose text the model refused (leaving the area would lose it)."""
        return [row.text for row in self.rows if row.refusal]

    def drop_refused(self) -> None:
        """The person chose to leave: the refused texts give way to what is stored."""
        if self._assessment is None:
            return
        for row in self.rows:
            if row.refusal:
                held = self._assessment.sub_area(row.sub_area.code)
                row.text.setText(held.text if held else "")
                self._refuse(row, "")

    def row_of(self, code: str) -> _Row | None:
        return next((row for row in self.rows if row.sub_area.code == code), None)

    def focus_sub_area(self, code: str) -> None:
        """Put focus on the delområde ``code``: its value when chosen, else its check box."""
        row = self.row_of(code)
        if row is not None:
            (row.value if row.chosen.isChecked() else row.chosen).setFocus(Qt.FocusReason.OtherFocusReason)
