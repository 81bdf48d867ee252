"""Granted against performed time for one follow-up, with the deviation and the ±5 % verdict shown live."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from ibic.follow_up import FollowUp, TimeComparison, stored_minutes, time_deviation
from ui.common.fields import ErrorLabel, line_edit
from ui.common.typed_run import TypedRun
from ui.i18n import whole_number
from ui.messages import shown
from ui.workspace.proposal_editor import AmountOutOfRange, amount_limit_message, parse_amount

# Hours and minutes as a time report writes them ("92:20"): the minutes always two digits, below 60.
_HOURS_AND_MINUTES = re.compile(r"([0-9]{1,5}):([0-5][0-9])")


@dataclass(frozen=True)
class TypedHours:
    """Typed hours as the whole minutes stored; ``rounded`` when the typed hours lie between two minutes."""

    minutes: int
    rounded: bool = False
    exact: Fraction | None = None  # the minutes as typed, when they are no whole number


def parse_minutes(text: str) -> TypedHours | None:
    """Hours typed as "104", "92,5" or "92:20", as whole minutes; empty means none. Decimal hours that are no whole
    number of minutes, as an utförare's time report gives them ("43,73" is 2 623,8 minutes), are stored as the nearest
    minute (a half up here; once both are read, the way ``ibic.follow_up.stored_minutes`` says): the document keeps
    minutes, and the box says beside the field what is stored."""
    match = _HOURS_AND_MINUTES.fullmatch(text.strip())
    if match is not None:
        clock = int(match[1]) * 60 + int(match[2])
        if clock > AmountOutOfRange.limit * 60:
            raise AmountOutOfRange("range")
        return TypedHours(clock)
    hours = parse_amount(text)
    if hours is None:
        return None
    minutes = Fraction(str(hours)) * 60  # exact: 43,73 h is 2 623,8 minutes, not 2 623,7999…
    whole = minutes.denominator == 1
    return TypedHours(math.floor(minutes + Fraction(1, 2)), rounded=not whole, exact=None if whole else minutes)


def _stored(granted: TypedHours, performed: TypedHours, tolerance: float) -> tuple[TypedHours, TypedHours]:
    """Both figures as the minutes kept of them (``ibic.follow_up.stored_minutes``: a half minute's way)."""
    exact = [Fraction(t.minutes) if t.exact is None else t.exact for t in (granted, performed)]
    kept = stored_minutes(exact[0], exact[1], tolerance)
    return (TypedHours(kept[0], granted.rounded, granted.exact),
            TypedHours(kept[1], performed.rounded, performed.exact))


def _hours(minutes: int) -> str:
    """Stored minutes as typed: decimal hours where at most two decimals say them exactly ("92,25", "104"), else
    hours and minutes ("92:20"), which read back as the same minutes ("43,73" typed is kept as 2 624 minutes and
    comes back "43:44", not as hours that would read as another figure: "10,71" came back "10,72")."""
    if minutes * 100 % 60 == 0:
        return f"{minutes / 60:g}".replace(".", ",")
    return f"{minutes // 60}:{minutes % 60:02d}"


class TimeComparisonBox(QGroupBox):
    """Hours per period as typed by the handläggare; stored as minutes; the verdict comes from ``ibic``."""

    edited = Signal()

    def __init__(self, tolerance_percent: float, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Granted and performed time"), parent)
        self.setObjectName("timeComparison")
        self._tolerance = tolerance_percent
        self._follow_up: FollowUp | None = None
        self._decision_id: str | None = None  # the decision the time is compared for (``time_compared_for``)
        self._typed: TypedRun[list[TimeComparison]] = TypedRun(("", ""), [])
        self.granted = line_edit("grantedHours", self.tr("Granted hours in the period"), self)
        self.performed = line_edit("performedHours", self.tr("Performed hours in the period"), self)
        self.error = ErrorLabel(self)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("timeVerdict")
        self.verdict.setWordWrap(True)
        # Beside each field, what is stored when the typed hours lie between two minutes ("Sparas som 43 h 44 min").
        self.granted_stored = self._stored_label("grantedStoredAs")
        self.performed_stored = self._stored_label("performedStoredAs")
        rows = QFormLayout(self)
        for text, field, note in ((self.tr("Granted (hours)"), self.granted, self.granted_stored),
                                  (self.tr("Performed (hours)"), self.performed, self.performed_stored)):
            label = QLabel(text, self)
            label.setBuddy(field)  # the field's label, not the row's holding the note
            rows.addRow(label, self._beside(field, note))
        rows.addRow("", self.error)
        rows.addRow("", self.verdict)
        self.granted.textEdited.connect(self._changed)
        self.performed.textEdited.connect(self._changed)
        self.granted.editingFinished.connect(self._left)
        self.performed.editingFinished.connect(self._left)

    def _stored_label(self, object_name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(object_name)
        label.hide()
        return label

    def _beside(self, field: QLineEdit, note: QLabel) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(field, 1)
        layout.addWidget(note)
        return row

    def _say_stored(self, field: QLineEdit, note: QLabel, typed: TypedHours | None) -> None:
        """``note`` says the minutes stored for ``field`` when they are not what was typed; a screen reader hears it
        with the field."""
        text = ""
        if typed is not None and typed.rounded:
            text = (self.tr("Stored as %1 h %2 min")
                    .replace("%1", whole_number(typed.minutes // 60)).replace("%2", str(typed.minutes % 60)))
        note.setText(text)
        note.setVisible(bool(text))
        field.setAccessibleDescription(text)

    def _clear_stored(self) -> None:
        self._say_stored(self.granted, self.granted_stored, None)
        self._say_stored(self.performed, self.performed_stored, None)

    def load(self, follow_up: FollowUp | None, decision_id: str | None) -> None:
        """Show ``follow_up``'s comparison; the hours typed from now on are compared for ``decision_id``."""
        self._follow_up, self._decision_id = follow_up, decision_id
        comparison = follow_up.time_comparisons[0] if follow_up and follow_up.time_comparisons else None
        self.granted.setText(_hours(comparison.granted_minutes) if comparison else "")
        self.performed.setText(_hours(comparison.performed_minutes) if comparison else "")
        # A text refused puts back the comparison held before it was typed (ui.common.typed_run).
        self._typed = TypedRun(self._texts(), list(follow_up.time_comparisons) if follow_up else [])
        self.error.show_message("")
        self._clear_stored()  # shown as stored, which reads back exactly
        self._show(comparison)

    def _changed(self) -> None:
        if self._follow_up is None:
            return
        self._clear_stored()  # what is typed now is stored only once both fields are read
        try:
            granted, performed = parse_minutes(self.granted.text()), parse_minutes(self.performed.text())
        except AmountOutOfRange:
            self.error.show_message(amount_limit_message(self.tr("The hours are at most %1 and not negative.")))
            self._put_back()
            return
        except ValueError:
            self.error.show_message(
                self.tr("Write the hours as numbers, e.g. 104 or 92,5, or as hours and minutes, e.g. 92:20.")
            )
            self._put_back()
            return
        self.error.show_message("")
        if granted is None or performed is None:
            self._typed.accepted(self._texts(), [])
            if self._follow_up.time_comparisons:
                self._follow_up.time_comparisons = []  # cleared on screen, so cleared in the record
                self.edited.emit()
            self._show(None)
            return
        granted, performed = _stored(granted, performed, self._tolerance)
        self._say_stored(self.granted, self.granted_stored, granted)
        self._say_stored(self.performed, self.performed_stored, performed)
        comparison = TimeComparison(
            decision_id=self._decision_id,
            granted_minutes=granted.minutes,
            performed_minutes=performed.minutes,
        )
        # The verdict on the minutes stored, which the notes beside the fields show.
        self._follow_up.time_comparisons = [comparison]
        self._typed.accepted(self._texts(), [comparison])
        self._show(comparison)
        self.edited.emit()

    def _left(self) -> None:
        """A field left with its figures taken: a key refused after them keeps them (``TypedRun.settled``)."""
        if self._follow_up is not None and not self.error.text():
            self._typed.settled(self._texts(), list(self._follow_up.time_comparisons))

    def _texts(self) -> tuple[str, str]:
        return self.granted.text(), self.performed.text()

    def _put_back(self) -> None:
        """A refused text keeps the comparison held before it was typed, and no verdict stands under the message:
        typed key by key, "1e9" stored 1 hour (its first key) and "20000" 2 000, and the verdict was worked out on
        those beside the message saying the text was not taken (s28-probe)."""
        assert self._follow_up is not None
        before = self._typed.before(self._texts())
        if self._follow_up.time_comparisons != before:
            self._follow_up.time_comparisons = list(before)
            self.edited.emit()
        self._show(None)

    def _show(self, comparison: TimeComparison | None) -> None:
        if comparison is None:
            self.verdict.setText(self.tr("Enter granted and performed time to compare them."))
            self.verdict.setStyleSheet("")
            return
        deviation = time_deviation(comparison, self._tolerance)
        self.verdict.setText(shown(deviation.verdict))
        self.verdict.setStyleSheet("color: #a4000f; font-weight: bold;" if deviation.outside_tolerance else "")
