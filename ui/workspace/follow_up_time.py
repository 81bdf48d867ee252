"""Granted against performed time for one follow-up, with the deviation and the ±5 % verdict shown live."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from ibic.follow_up import FollowUp, TimeComparison, time_deviation
from ui.common.fields import ErrorLabel, line_edit
from ui.messages import shown
from ui.workspace.proposal_editor import AmountOutOfRange, amount_limit_message, parse_amount


def _hours(minutes: int) -> str:
    """Stored minutes as hours with at most two decimals, which read back as the same minutes: a whole minute is
    0,0166… h, so "92,33" typed came back as "92,3333" when the follow-up was opened again."""
    return f"{round(minutes / 60, 2):g}".replace(".", ",")


class TimeComparisonBox(QGroupBox):
    """Hours per period as typed by the handläggare; stored as minutes; the verdict comes from ``ibic``."""

    edited = Signal()

    def __init__(self, tolerance_percent: float, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Granted and performed time"), parent)
        self.setObjectName("timeComparison")
        self._tolerance = tolerance_percent
        self._follow_up: FollowUp | None = None
        self.granted = line_edit("grantedHours", self.tr("Granted hours in the period"), self)
        self.performed = line_edit("performedHours", self.tr("Performed hours in the period"), self)
        self.error = ErrorLabel(self)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("timeVerdict")
        self.verdict.setWordWrap(True)
        rows = QFormLayout(self)
        rows.addRow(self.tr("Granted (hours)"), self.granted)
        rows.addRow(self.tr("Performed (hours)"), self.performed)
        rows.addRow("", self.error)
        rows.addRow("", self.verdict)
        self.granted.textEdited.connect(self._changed)
        self.performed.textEdited.connect(self._changed)

    def load(self, follow_up: FollowUp | None) -> None:
        self._follow_up = follow_up
        comparison = follow_up.time_comparisons[0] if follow_up and follow_up.time_comparisons else None
        self.granted.setText(_hours(comparison.granted_minutes) if comparison else "")
        self.performed.setText(_hours(comparison.performed_minutes) if comparison else "")
        self.error.show_message("")
        self._show(comparison)

    def _changed(self) -> None:
        if self._follow_up is None:
            return
        try:
            granted, performed = parse_amount(self.granted.text()), parse_amount(self.performed.text())
        except AmountOutOfRange:
            self.error.show_message(amount_limit_message(self.tr("The hours are at most %1 and not negative.")))
            return
        except ValueError:
            self.error.show_message(self.tr("Write the hours as numbers, e.g. 104 or 92,5."))
            return
        self.error.show_message("")
        if granted is None or performed is None:
            if self._follow_up.time_comparisons:
                self._follow_up.time_comparisons = []  # cleared on screen, so cleared in the record
                self.edited.emit()
            self._show(None)
            return
        comparison = TimeComparison(
            decision_id=self._follow_up.decision_ids[0] if self._follow_up.decision_ids else None,
            granted_minutes=round(granted * 60),
            performed_minutes=round(performed * 60),
        )
        self._follow_up.time_comparisons = [comparison]
        self._show(comparison)
        self.edited.emit()

    def _show(self, comparison: TimeComparison | None) -> None:
        if comparison is None:
            self.verdict.setText(self.tr("Enter granted and performed time to compare them."))
            self.verdict.setStyleSheet("")
            return
        deviation = time_deviation(comparison, self._tolerance)
        self.verdict.setText(shown(deviation.verdict))
        self.verdict.setStyleSheet("color: #a4000f; font-weight: bold;" if deviation.outside_tolerance else "")
