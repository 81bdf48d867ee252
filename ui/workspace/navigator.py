"""The left navigator: each step of the case and each life area with its state; under an area, its chosen
delområden with their values (Enter on one puts focus on it in the form)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ibic.investigation import AreaState, Investigation, LifeAreaAssessment
from ibic.reference import LifeArea, ReferenceData
from ibic.workflow import Step, WorkspaceFlow
from ui.i18n import text_of
from ui.workspace.hyphenation import hyphenable
from ui.workspace.steps import step_titles

PlaceRole = Qt.ItemDataRole.UserRole + 30
SubAreaRole = Qt.ItemDataRole.UserRole + 31  # the code of a delområde row; areas and steps hold ""
STATE_MARKS = {AreaState.NOT_STARTED: "○", AreaState.IN_PROGRESS: "◐", AreaState.DONE: "●", AreaState.NOT_RELEVANT: "–"}


class StepNavigator(QTreeWidget):
    """Emits ``place_chosen(step, area_id)`` when the user picks a row, ``sub_area_chosen(area_id, code)`` on Enter
    on a delområde row."""

    place_chosen = Signal(str, str)
    sub_area_chosen = Signal(str, str)

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepNavigator")
        self.setAccessibleName(self.tr("Steps of the case"))
        self.setHeaderHidden(True)
        # A row longer than the pane wraps onto more lines: where the page beside it keeps its least width (1366×768
        # and the narrowest window at 16 pt) "Personligt stöd från person som vårdar eller stödjer e…" and two more
        # life areas were cut, whole only in their tooltips (s30-look).
        self.setWordWrap(True)
        self.setItemDelegate(_WrappingRows(self))
        self._ref = ref
        self._state_names = {
            AreaState.NOT_STARTED: self.tr("not started"),
            AreaState.IN_PROGRESS: self.tr("in progress"),
            AreaState.DONE: self.tr("done"),
            AreaState.NOT_RELEVANT: self.tr("not relevant"),
        }
        titles = step_titles()
        self._items: dict[tuple[str, str], QTreeWidgetItem] = {}
        for step in Step:
            item = QTreeWidgetItem(self, [titles[step]])
            item.setToolTip(0, titles[step])
            item.setData(0, PlaceRole, (step.value, ""))
            item.setData(0, SubAreaRole, "")  # never an empty QVariant: PySide6 miscounts the None it returns
            self._items[(step.value, "")] = item
        areas_item = self._items[(Step.AREAS.value, "")]
        for area in ref.life_areas:
            child = QTreeWidgetItem(areas_item, [text_of(area)])
            child.setToolTip(0, text_of(area))
            child.setData(0, PlaceRole, (Step.AREAS.value, area.id))
            child.setData(0, SubAreaRole, "")
            self._items[(Step.AREAS.value, area.id)] = child
        areas_item.setExpanded(True)
        self._titles = {key: item.text(0) for key, item in self._items.items()}
        self.currentItemChanged.connect(self._changed)
        self.itemActivated.connect(self._activated)

    def show_flow(self, flow: WorkspaceFlow, investigation: Investigation | None = None) -> None:
        """Update every row's state mark and its accessible text, and each area's delområden."""
        for view in flow.steps:
            item = self._items[(view.step.value, view.area_id or "")]
            title = self._titles[(view.step.value, view.area_id or "")]
            suffix = f"  ({view.findings})" if view.step == Step.CHECK and view.findings else ""
            assessment = investigation.assessment_for(view.area_id) if investigation and view.area_id else None
            counted = self._sub_area_count(assessment)
            suffix += f" ({counted})" if counted else ""
            shown = f"{STATE_MARKS[view.state]}\u00a0{title}{suffix}"  # a wrapped row keeps its mark by its title
            if item.text(0) != shown:  # unchanged rows are not set again: nothing to repaint on an area switch
                item.setText(0, shown)
                item.setToolTip(0, shown)  # the pane is narrow: at 16 pt "Lärande och att till…" was all it said
                spoken = f"{title}, {self._state_names[view.state]}" + (f", {counted}" if counted else "")
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, spoken)
            if view.area_id:
                self._show_sub_areas(item, self._ref.life_area(view.area_id), assessment)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            # The rows' heights are kept from the width they were laid out at: wrapped anew at this one.
            self.scheduleDelayedItemsLayout()

    def text_width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """The room a row's text has: the pane's column less the row's indentation and the cell's text margins."""
        depth = 1 if self.rootIsDecorated() else 0
        parent = index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1)
        return self.columnWidth(0) - self.indentation() * depth - margin

    def wanted_width(self) -> int:
        """The width that shows every step and life-area row on one line (a narrower pane wraps them), at the
        pane's text size."""
        metrics = self.fontMetrics()
        widest = 0
        for (_step, area_id), item in self._items.items():
            depth = 1 if area_id else 0
            widest = max(widest, metrics.horizontalAdvance(item.text(0)) + self.indentation() * (depth + 1))
        margins = 2 * metrics.averageCharWidth() + 2 * self.frameWidth()
        return widest + margins + self.verticalScrollBar().sizeHint().width()

    def _sub_area_count(self, assessment: LifeAreaAssessment | None) -> str:
        if assessment is None or not assessment.sub_areas:
            return ""
        # Counted by the total: "1 av 1 delområde bedömt", "1 av 2 delområden bedömda".
        text = self.tr("%1 of %n sub-area(s) assessed", "", len(assessment.sub_areas))
        return text.replace("%1", str(assessment.assessed_sub_areas()))

    def _show_sub_areas(self, item: QTreeWidgetItem, area: LifeArea, assessment: LifeAreaAssessment | None) -> None:
        """One child row per chosen delområde; rows are replaced only when what they say has changed."""
        wanted = [(sub.code, self._sub_area_text(area, sub.code, sub.qualifier))
                  for sub in (assessment.sub_areas if assessment else [])]
        children = [child for i in range(item.childCount()) if (child := item.child(i)) is not None]
        if wanted == [(child.data(0, SubAreaRole), child.text(0)) for child in children]:
            return
        self.blockSignals(True)
        try:
            current = self.currentItem()
            current_code = current.data(0, SubAreaRole) if current is not None else ""
            item.takeChildren()
            for code, text in wanted:
                child = QTreeWidgetItem(item, [text])
                child.setToolTip(0, text)
                child.setData(0, PlaceRole, (Step.AREAS.value, area.id))
                child.setData(0, SubAreaRole, code)
                if code == current_code:
                    self.setCurrentItem(child)
            item.setExpanded(True)
        finally:
            self.blockSignals(False)

    def _sub_area_text(self, area: LifeArea, code: str, value: str | None) -> str:
        listed = next((sub for sub in area.sub_areas if sub.code == code), None)
        name = f"{code} {text_of(listed)}" if listed else code
        step = self._ref.scale(area.scale).step(value) if value is not None else None
        return f"{name}: {text_of(step) if step else (value or self.tr('not assessed'))}"

    def select(self, step: str, area_id: str = "") -> None:
        item = self._items.get((step, area_id))
        current = self.currentItem()
        if current is not None and current.parent() is item and current.data(0, SubAreaRole):
            return  # a delområde row of that area is current: it stays, so Down walks on through the rows
        if item is not None and item is not current:
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.blockSignals(False)

    def _changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            return
        step, area_id = current.data(0, PlaceRole)
        if step == Step.AREAS.value and not area_id:
            area_id = self._ref.life_areas[0].id
        self.place_chosen.emit(step, area_id)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, SubAreaRole)
        if code:
            self.sub_area_chosen.emit(item.data(0, PlaceRole)[1], code)


class _WrappingRows(QStyledItemDelegate):
    """A row as tall as its text wrapped at the room the pane gives it: QTreeView's own word wrap measured the rows
    at the column's whole width, indentation included, and kept them one line high. A word wider than the room is
    hyphenated where it must break (``breakable``)."""

    def __init__(self, navigator: StepNavigator) -> None:
        super().__init__(navigator)
        self._navigator = navigator
        self._broken: dict[tuple[str, int, str], str] = {}  # (text, width, font) → ``breakable``'s text

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        option.text = self._breakable(option.text, option, self._navigator.text_width(index))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        metrics = option.fontMetrics
        width = max(self._navigator.text_width(index), metrics.averageCharWidth())
        text = self._breakable(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), option, width)
        wrapped = metrics.boundingRect(QRect(0, 0, width, 1 << 20), int(Qt.TextFlag.TextWordWrap), text).height()
        return QSize(hint.width(), max(hint.height(), wrapped + hint.height() - metrics.height()))

    def _breakable(self, text: str, option: QStyleOptionViewItem, width: int) -> str:
        """``breakable`` once per text, width and font (``option.fontMetrics`` is ``option.font``'s): each row's
        paint and size hint measured every word of it again, several times a paint (s31's read-back). Emptied when
        full: the rows' texts are few, but every width the pane is dragged through is another key."""
        key = (text, width, option.font.key())
        found = self._broken.get(key)
        if found is None:
            if len(self._broken) >= 512:
                self._broken.clear()
            found = self._broken[key] = breakable(text, option.fontMetrics, width)
        return found


def breakable(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` with a soft hyphen between the letters of each word wider than ``width`` (the mark and the word it
    is bound to count as one), so the word breaks where it must, with a hyphen, and the row shows it whole. In the
    narrowest window at 20 pt "○ Samhällsgemenskap," and "○ Mellanmänskliga" were wider than a life area's row and
    ended in "…" (s31-menus). Where it breaks: ``hyphenation``."""
    words = text.split(" ")
    if all(metrics.horizontalAdvance(word) <= width for word in words):
        return text
    return " ".join(hyphenable(word) if metrics.horizontalAdvance(word) > width else word for word in words)
