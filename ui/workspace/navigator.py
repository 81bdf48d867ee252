"""The left navigator: each step of the case and each life area with its state."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from ibic.investigation import AreaState
from ibic.reference import ReferenceData
from ibic.workflow import Step, WorkspaceFlow
from ui.i18n import text_of, tr

PlaceRole = Qt.ItemDataRole.UserRole + 30
STATE_MARKS = {AreaState.NOT_STARTED: "○", AreaState.IN_PROGRESS: "◐", AreaState.DONE: "●", AreaState.NOT_RELEVANT: "–"}


def step_titles() -> dict[Step, str]:
    """The numbered title of each step, as the navigator, the Go menu and the shortcut list show it."""
    return {
        Step.CASE: tr("1. Case"),
        Step.VISIT: tr("2. Home visit"),
        Step.AREAS: tr("3. Mapping of life areas"),
        Step.PROPOSAL: tr("4. Assessment and proposed decision"),
        Step.CHECK: tr("5. Check"),
        Step.FOLLOW_UP: tr("6. Follow-up"),
    }


class StepNavigator(QTreeWidget):
    """Emits ``place_chosen(step, area_id)`` when the user picks a row."""

    place_chosen = Signal(str, str)

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepNavigator")
        self.setAccessibleName(self.tr("Steps of the case"))
        self.setHeaderHidden(True)
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
            item.setData(0, PlaceRole, (step.value, ""))
            self._items[(step.value, "")] = item
        areas_item = self._items[(Step.AREAS.value, "")]
        for area in ref.life_areas:
            child = QTreeWidgetItem(areas_item, [text_of(area)])
            child.setData(0, PlaceRole, (Step.AREAS.value, area.id))
            self._items[(Step.AREAS.value, area.id)] = child
        areas_item.setExpanded(True)
        self._titles = {key: item.text(0) for key, item in self._items.items()}
        self.currentItemChanged.connect(self._changed)

    def show_flow(self, flow: WorkspaceFlow) -> None:
        """Update every row's state mark and its accessible text."""
        for view in flow.steps:
            item = self._items[(view.step.value, view.area_id or "")]
            title = self._titles[(view.step.value, view.area_id or "")]
            suffix = f"  ({view.findings})" if view.step == Step.CHECK and view.findings else ""
            item.setText(0, f"{STATE_MARKS[view.state]} {title}{suffix}")
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{title}, {self._state_names[view.state]}")

    def select(self, step: str, area_id: str = "") -> None:
        item = self._items.get((step, area_id))
        if item is not None and item is not self.currentItem():
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
