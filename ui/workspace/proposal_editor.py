"""One förslag till beslut: outcome, scope, period, law reference, motivering and the bedömning behind it."""

from __future__ import annotations

import math
import re
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QWidget

from ibic.decisions import SCOPE_AMOUNT_MAX, Proposal, proposal_problems
from ibic.documents.parts import amount_text
from ibic.reference import Insats, ReferenceData
from ibic.vocabulary import DecisionForm, DecisionOutcome, ScopeUnit
from ui.common.binding import Binder
from ui.common.fields import DateField, ErrorLabel, line_edit
from ui.common.text_area import TextArea
from ui.common.typed_run import TypedRun
from ui.i18n import language, whole_number
from ui.messages import shown
from ui.workspace.person_section import vocabulary_combo


class AmountOutOfRange(ValueError):
    """A number, but negative or above SCOPE_AMOUNT_MAX: the message says the limit, not "write a number"."""

    limit = SCOPE_AMOUNT_MAX


def amount_limit_message(message: str) -> str:
    """``message`` (translated, holding ``%1``) with the amount's limit in place, written as every figure is."""
    return message.replace("%1", whole_number(AmountOutOfRange.limit))


# Digits (0-9 only), their thousands grouped by one space as Swedish formatting does ("1 040,5": a space, U+00A0 or
# U+202F, which a number copied from a spreadsheet or a time report keeps; s25-probe), a decimal comma or point.
_AMOUNT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]*)(?:[.,][0-9]*)?")


def parse_amount(text: str) -> float | None:
    """A Swedish-typed number ("8,5", "8.5", "1 040"); empty means none. Raises AmountOutOfRange for a number outside
    0..SCOPE_AMOUNT_MAX, ValueError for anything else (words, "nan", "inf")."""
    stripped = text.strip()
    if not stripped:
        return None
    # Not every space dropped, nor Python's float() left to read the rest: "10 40" and "1 0 4 0" became 1040, "1_040"
    # and digits of other scripts were read, "1e3" was 1000, each without a word (s25-rprobe).
    if not _AMOUNT.fullmatch(stripped) or not any(char in "0123456789" for char in stripped):
        raise ValueError("not a number")
    value = float("".join(char for char in stripped if not char.isspace()).replace(",", "."))
    if not math.isfinite(value):
        raise ValueError("not a number")
    if not 0 <= value <= SCOPE_AMOUNT_MAX:
        raise AmountOutOfRange("range")
    return value


class ProposalEditor(QGroupBox):
    """Edits one proposal; shows what still stops it from becoming a decision."""

    edited = Signal()

    def __init__(
        self,
        ref: ReferenceData,
        proposal: Proposal,
        title: str,
        person_age: int | None,
        today: date,
        parent: QWidget | None = None,
        conditions: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(title, parent)
        self._ref, self._proposal, self._age = ref, proposal, person_age
        self._conditions = conditions  # facts about the person an insats's excluded_when names (sjukresa)
        key = proposal.id[:8]
        self.setObjectName(f"proposal_{key}")
        self.outcome = QComboBox(self)
        self.outcome.setObjectName(f"proposalOutcome_{key}")
        self.outcome.setAccessibleName(self.tr("Proposed outcome"))
        self.outcome.addItem(self.tr("– choose –"), None)
        for value in DecisionOutcome:
            self.outcome.addItem(ref.label("decision_outcome", value.value, language()), value)
        self.amount = line_edit(f"proposalAmount_{key}", self.tr("Scope (amount)"), self)
        self.amount_error = ErrorLabel(self)
        self.unit = vocabulary_combo(
            ref, "scope_unit", list(ScopeUnit), f"proposalUnit_{key}", self.tr("Unit of the scope"), self
        )
        self.form_combo = vocabulary_combo(
            ref,
            "decision_form",
            list(DecisionForm),
            f"proposalForm_{key}",
            self.tr("Frame or per-service decision"),
            self,
        )
        self.starts_on = DateField(f"proposalStart_{key}", self.tr("Valid from"), self)
        self.ends_on = DateField(f"proposalEnd_{key}", self.tr("Valid until"), self)
        self.until_notice = QLabel(self)
        self.law = QComboBox(self)
        self.law.setObjectName(f"proposalLaw_{key}")
        self.law.setAccessibleName(self.tr("Law reference"))
        for law in ref.decision_laws_on(today) or [law for law in ref.laws if law.use == "decision"]:
            self.law.addItem(law.citation, law.id)
        self.motivation = TextArea(f"proposalMotivation_{key}", self.tr("Reasons (motivering) in plain language"), self)
        self.need_exists = TextArea(f"proposalNeed_{key}", self.tr("Is there a need?"), self)
        self.met_otherwise = TextArea(f"proposalOtherwise_{key}", self.tr("Can the need be met in another way?"), self)
        self.reasonable = TextArea(
            f"proposalReasonable_{key}", self.tr("Is the service needed for a reasonable standard of living?"), self
        )
        self.fitting = TextArea(f"proposalFitting_{key}", self.tr("Which service fits the need?"), self)
        self.medical_visits = QCheckBox(self.tr("Escort to doctor's and other medical visits"), self)
        self.medical_visits.setObjectName(f"proposalMedicalVisits_{key}")
        insats = ref.insats(proposal.insats_id) if proposal.insats_id else None
        self.medical_visits.setVisible(bool(insats and insats.excluded_when))  # only where a rule depends on it
        self.insats_rules = self._rules_label(insats, key)
        self.problems = QLabel(self)
        self.problems.setObjectName(f"proposalProblems_{key}")
        self.problems.setWordWrap(True)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above their fields at large text
        for label, widget in (
            ("", self.insats_rules),
            (self.tr("Is there a need?"), self.need_exists),
            (self.tr("Can it be met otherwise?"), self.met_otherwise),
            (self.tr("Needed for a reasonable standard of living?"), self.reasonable),
            (self.tr("Which service fits?"), self.fitting),
            (self.tr("Outcome"), self.outcome),
            (self.tr("Scope"), self.amount),
            ("", self.amount_error),
            (self.tr("Unit"), self.unit),
            (self.tr("Decision form"), self.form_combo),
            ("", self.medical_visits),
            (self.tr("Valid from"), self.starts_on),
            (self.tr("Valid until"), self.ends_on),
            ("", self.until_notice),
            (self.tr("Law reference"), self.law),
            (self.tr("Reasons"), self.motivation),
            ("", self.problems),
        ):
            form.addRow(label, widget)
        self.binder = Binder(self)
        target, scope = (lambda: self._proposal), (lambda: self._proposal.scope)
        self.binder.choice(self.outcome, target, "outcome")
        self.binder.choice(self.unit, scope, "unit")
        self.binder.choice(self.form_combo, scope, "form")
        self.binder.date(self.starts_on, target, "starts_on")
        self.binder.date(self.ends_on, target, "ends_on")
        self.binder.choice(self.law, target, "law_reference_id")
        self.binder.flag(self.medical_visits, target, "for_medical_visits")
        for widget, attribute in (
            (self.motivation, "motivation"),
            (self.need_exists, "need_exists"),
            (self.met_otherwise, "met_otherwise"),
            (self.reasonable, "needed_for_reasonable_living"),
            (self.fitting, "fitting_insats"),
        ):
            self.binder.text(widget, target, attribute)
        self.binder.load()
        self.amount.setText("" if proposal.scope.amount is None else amount_text(proposal.scope.amount))
        self._amounts = TypedRun((self.amount.text(),), proposal.scope.amount)  # a text refused puts one back
        self.binder.edited.connect(self._after_edit)
        self.amount.textEdited.connect(self._amount_edited)
        self.amount.editingFinished.connect(self._amount_left)
        self._show_problems()

    @property
    def application_item_id(self) -> str | None:
        """The applied item this proposal answers: Kontroll's findings name it."""
        return self._proposal.application_item_id

    def field_widget(self, field: str | None) -> QWidget:
        """Where a Kontroll finding about ``field`` (a ``ProposalProblem.field``) is answered: its widget, else the
        first question. "insats_id" (an insats that needs no decision) is answered by the outcome."""
        widgets: dict[str, QWidget] = {
            "outcome": self.outcome, "insats_id": self.outcome, "scope": self.amount, "starts_on": self.starts_on,
            "ends_on": self.ends_on, "law_reference_id": self.law, "motivation": self.motivation,
            "need_exists": self.need_exists, "for_medical_visits": self.medical_visits,
        }
        return widgets.get(field or "", self.need_exists)

    def _rules_label(self, insats: Insats | None, key: str) -> QLabel:
        """The catalogue's rules for the insats (seed 001: servicehus refused when ordinary housing meets the need,
        korttidsvistelse not for rehabilitation …) above the questions they bear on; hidden when it has none."""
        rules = insats.rules_en if insats and language() == "en" and insats.rules_en else \
            (insats.rules_sv if insats else ())
        label = QLabel(self.tr("Guidelines for this service:") + "".join(f"\n• {rule}" for rule in rules)
                       if rules else "", self)
        label.setObjectName(f"proposalInsatsRules_{key}")
        label.setAccessibleName(self.tr("Guidelines for this service"))
        label.setWordWrap(True)
        label.setVisible(bool(rules))
        return label

    def _amount_edited(self, text: str) -> None:
        try:
            value = parse_amount(text)
        except AmountOutOfRange:
            self.amount_error.show_message(amount_limit_message(self.tr("The scope is at most %1 and not negative.")))
            self._put_back_amount(text)
            return
        except ValueError:
            self.amount_error.show_message(self.tr("Write the scope as a number, e.g. 8 or 8,5."))
            self._put_back_amount(text)
            return
        self.amount_error.show_message("")
        self._amounts.accepted((text,), value)
        self._proposal.scope.amount = value
        self._after_edit("amount")

    def _amount_left(self) -> None:
        """Left with a figure taken: a key refused after it keeps that figure (``TypedRun.settled``)."""
        if not self.amount_error.text():
            self._amounts.settled((self.amount.text(),), self._proposal.scope.amount)

    def _put_back_amount(self, text: str) -> None:
        """A refused text keeps the scope held before it was typed, never a figure its keys passed (``TypedRun``)."""
        before = self._amounts.before((text,))
        if self._proposal.scope.amount != before:
            self._proposal.scope.amount = before
            self._after_edit("amount")

    def drop_refused(self) -> None:
        """The person chose to leave: the scope shows what is stored again."""
        if self.amount_error.text():
            amount = self._proposal.scope.amount
            self.amount.setText("" if amount is None else amount_text(amount))
            self.amount_error.show_message("")

    def _after_edit(self, _attribute: str) -> None:
        self._show_problems()
        self.edited.emit()

    def _show_problems(self) -> None:
        until_further_notice = self._ref.granted_until_further_notice(self._proposal.insats_id)
        self.until_notice.setText(
            self.tr("Granted until further notice: no end date is needed.") if until_further_notice else ""
        )
        problems = proposal_problems(self._proposal, self._ref, person_age=self._age, conditions=self._conditions)
        self.problems.setText(
            "\n".join(f"• {shown(p.message)}" for p in problems) if problems else self.tr("The proposal is complete.")
        )
