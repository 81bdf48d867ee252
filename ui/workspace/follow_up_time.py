"""Granted against performed time for one follow-up, with the deviation and the ±5 % verdict shown live."""

from __future__ import annotations

import re
from fractions import Fraction

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from ibic.follow_up import FollowUp, TimeComparison, time_deviation
from ui.common.fields import ErrorLabel, line_edit
from ui.messages import shown
from ui.workspace.proposal_editor import AmountOutOfRange, amount_limit_message, parse_amount

# Hours and minutes as a time report writes them ("92:20"): the minutes always two digits, below 60.
_HOURS_AND_MINUTES = re.compile(r"([0-9]{1,5}):([0-5][0-9])")


class NotWholeMinutes(ValueError):
    """Decimal hours between two whole minutes ("43,73" is 2 623,8 minutes): the comparison is kept in minutes."""

    def __init__(self, typed: str, nearest: int) -> None:
        super().__init__("not whole minutes")
        self.typed, self.nearest = typed, nearest


def parse_minutes(text: str) -> int | None:
    """Hours typed as "104", "92,5" or "92:20", as whole minutes; empty means none. Decimal hours that are not whole
    minutes raise NotWholeMinutes: rounded, they moved the ±5 % verdict ("41,65" against "43,73" h, +4,99 %, read
    as 2 499 against 2 624 minutes, "5,002 % … utanför") and came back other than typed ("10,71" as "10,72")."""
    match = _HOURS_AND_MINUTES.fullmatch(text.strip())
    if match is not None:
        clock = int(match[1]) * 60 + int(match[2])
        if clock > AmountOutOfRange.limit * 60:
            raise AmountOutOfRange("range")
        return clock
    hours = parse_amount(text)
    if hours is None:
        return None
    minutes = Fraction(str(hours)) * 60  # exact: 43,73 h is 2 623,8 minutes, not 2 623,7999…
    if minutes.denominator != 1:
        raise NotWholeMinutes(text.strip(), round(minutes))
    return int(minutes)


def _hours(minutes: int) -> str:
    """Stored minutes as typed: decimal hours where at most two decimals say them exactly ("92,25", "104"), else
    hours and minutes ("92:20"), which read back as the same minutes (92,33 h is no whole number of minutes)."""
    if minutes * 100 % 60 == 0:
        return f"{minutes / 60:g}".replace(".", ",")
    return _clock(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


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
            granted, performed = parse_minutes(self.granted.text()), parse_minutes(self.performed.text())
        except AmountOutOfRange:
            self.error.show_message(amount_limit_message(self.tr("The hours are at most %1 and not negative.")))
            return
        except NotWholeMinutes as error:
            self.error.show_message(
                self.tr("%1 hours is not a whole number of minutes: write hours and minutes, e.g. %2.")
                .replace("%1", error.typed).replace("%2", _clock(error.nearest))
            )
            return
        except ValueError:
            self.error.show_message(
                self.tr("Write the hours as numbers, e.g. 104 or 92,5, or as hours and minutes, e.g. 92:20.")
            )
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
            granted_minutes=granted,
            performed_minutes=performed,
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
