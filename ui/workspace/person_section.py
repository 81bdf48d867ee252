"""The person (den enskilde) and their representatives, on the Ärendet step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QVBoxLayout, QWidget

from ibic.errors import InvalidPersonalNumber
from ibic.limits import NAME_MAX
from ibic.name_rules import NAME_BLANK, name_problem
from ibic.people import Person, Representative, sex_after_correction
from ibic.personal_number import parse_personal_number
from ibic.reference import ReferenceData
from ibic.vocabulary import RepresentativeKind, Sex
from storage.repositories.known_people import KnownPerson
from ui.common.binding import Binder
from ui.common.fields import ErrorLabel, line_edit, text_line
from ui.errors import personal_number_message
from ui.i18n import language
from ui.workspace.lists import ListEditor


def vocabulary_combo(
    ref: ReferenceData, vocabulary: str, values: list[Any], name: str, accessible: str, parent: QWidget
) -> QComboBox:
    """A combo box of enum values with their Swedish labels."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    for value in values:
        combo.addItem(ref.label(vocabulary, str(value), language()), value)
    return combo


class PersonSection(QWidget):
    edited = Signal()

    def __init__(
        self,
        ref: ReferenceData,
        parent: QWidget | None = None,
        holder_of: Callable[[str], KnownPerson | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._person: Person | None = None
        self._holder_of = holder_of  # who else here holds a personnummer (the store's ``people.holder_of``)
        box = QGroupBox(self.tr("The person"), self)
        self.given_name = line_edit("personGivenName", self.tr("Given name"), box)
        self.family_name = line_edit("personFamilyName", self.tr("Family name"), box)
        self.personal_number = line_edit("personPersonalNumber", self.tr("Personal identity number"), box)
        self.personal_number_error = ErrorLabel(box)
        self.sex = vocabulary_combo(ref, "sex", list(Sex), "personSex", self.tr("Sex"), box)
        self.street = line_edit("personStreet", self.tr("Street address"), box)
        self.postal_code = line_edit("personPostalCode", self.tr("Postal code"), box)
        self.city = line_edit("personCity", self.tr("City"), box)
        self.phone = line_edit("personPhone", self.tr("Phone"), box)
        self.language = line_edit("personLanguage", self.tr("Language"), box)
        self.interpreter = QCheckBox(self.tr("Needs an interpreter"), box)
        self.interpreter.setObjectName("personInterpreter")
        self.interpreter_language = line_edit("personInterpreterLanguage", self.tr("Interpreter language"), box)
        # Seed 001: sjukresa to medical visits rules out a följeslagare to the doctor (shown on the proposal).
        self.patient_transport = QCheckBox(self.tr("Entitled to sjukresa (patient transport) to medical visits"), box)
        self.patient_transport.setObjectName("personPatientTransport")
        form = QFormLayout(box)
        for label, widget in (
            (self.tr("Given name"), self.given_name),
            (self.tr("Family name"), self.family_name),
            (self.tr("Personal identity number"), self.personal_number),
            ("", self.personal_number_error),
            (self.tr("Sex"), self.sex),
            (self.tr("Street address"), self.street),
            (self.tr("Postal code"), self.postal_code),
            (self.tr("City"), self.city),
            (self.tr("Phone"), self.phone),
            (self.tr("Language"), self.language),
            ("", self.interpreter),
            (self.tr("Interpreter language"), self.interpreter_language),
            ("", self.patient_transport),
        ):
            form.addRow(label, widget)
        self.representatives = self._representatives_editor(ref)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addWidget(self.representatives)
        self.binder = Binder(self)
        person = self._current
        address = self._address
        for widget, attribute in ((self.given_name, "given_name"), (self.family_name, "family_name")):
            # The server's rule (``name_problem``), as the new-case dialog applies it: a name of nothing visible showed
            # and printed no name, and one holding a tab was refused by the server at every push.
            self.binder.text(widget, person, attribute, refuse=self._name_refusal)
        for widget, attribute in (
            (self.phone, "phone"),
            (self.language, "language"),
            (self.interpreter_language, "interpreter_language"),
        ):
            self.binder.text(widget, person, attribute)
        for widget, attribute in ((self.street, "street"), (self.postal_code, "postal_code"), (self.city, "city")):
            self.binder.text(widget, address, attribute)
        self.binder.choice(self.sex, person, "sex")
        self.binder.flag(self.interpreter, person, "interpreter_needed")
        self.binder.flag(self.patient_transport, person, "patient_transport_entitled")
        self.binder.edited.connect(lambda _a: self.edited.emit())
        self.representatives.edited.connect(self.edited)
        self.personal_number.textEdited.connect(self._personal_number_edited)

    def _representatives_editor(self, ref: ReferenceData) -> ListEditor:
        form = QWidget(self)
        self.rep_kind = vocabulary_combo(
            ref,
            "representative_kind",
            list(RepresentativeKind),
            "representativeKind",
            self.tr("Kind of representative"),
            form,
        )
        self.rep_name = text_line("representativeName", self.tr("Representative's name"), form)
        self.rep_scope = text_line("representativeScope", self.tr("Mandate (scope)"), form)
        rows = QFormLayout(form)
        rows.addRow(self.tr("Kind"), self.rep_kind)
        rows.addRow(self.tr("Name"), self.rep_name)
        rows.addRow(self.tr("Mandate"), self.rep_scope)
        editor = ListEditor(
            self.tr("Representatives"),
            "representatives",
            form,
            lambda r: (
                f"{ref.label('representative_kind', r.kind.value, language())}: {r.name}"
                + (f" ({r.scope})" if r.scope else "")
            ),
            self._build_representative,
            self,
        )
        return editor

    def _build_representative(self) -> Representative | None:
        if not self.rep_name.text().strip():
            self.representatives.error.show_message(self.tr("Write the representative's name."))
            return None
        built = Representative(
            kind=self.rep_kind.currentData(), name=self.rep_name.text().strip(), scope=self.rep_scope.text().strip()
        )
        self.rep_name.clear()
        self.rep_scope.clear()
        return built

    def _name_refusal(self, text: str) -> str:
        if len(text) > NAME_MAX:
            return ""  # the model refuses it, with the length message every text field gives
        problem = name_problem(text)
        if problem == NAME_BLANK:
            return self.tr("Enter both given name and family name.")
        return self.tr("A name cannot hold tabs, line breaks or other control characters.") if problem else ""

    def _current(self) -> Person | None:
        return self._person

    def _address(self) -> Any:
        return None if self._person is None else self._person.address

    def load(self, person: Person) -> None:
        self._person = person
        self.binder.load()
        self.personal_number.setText(person.number.formatted())
        self.personal_number_error.show_message("")
        self.representatives.bind(lambda: person.representatives)

    def _personal_number_edited(self, text: str) -> None:
        if self._person is None:
            return
        try:
            number = parse_personal_number(text)
        except InvalidPersonalNumber as error:
            self.personal_number_error.show_message(personal_number_message(error.kind))
            return
        if number.digits == self._person.personal_number:
            self.personal_number_error.show_message("")
            return
        holder = self._holder_of(number.digits) if self._holder_of is not None else None
        if holder is not None and holder.person_id != self._person.id:
            # Never two people on one number (as the new-case dialog): the pull would then take one person's
            # central record for the other's (``storage.person_clash``). Refused; the typed text stays.
            self.personal_number_error.show_message(
                self.tr("This personnummer already belongs to %1 here. Check the number.").replace(
                    "%1", holder.full_name + (self.tr(" (fictitious)") if holder.fictitious else "")
                )
            )
            return
        self.personal_number_error.show_message("")
        sex = sex_after_correction(self._person.sex, self._person.personal_number, number.digits)
        self._person.personal_number = number.digits
        if sex != self._person.sex:  # Kön follows the corrected number unless it was chosen against the old one
            self._person.sex = sex
            self.sex.setCurrentIndex(self.sex.findData(sex))
        self.edited.emit()
