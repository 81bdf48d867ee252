"""An unlocked profile as the windows use it: list, open and save cases, and record what was viewed.

The unlocked list holds a ``Session`` but no model (issue 14, the memory row): the domain's modules are named here
for their types only, and imported where a case is opened, made or saved (``ui.case_opening`` imports them on a
worker before the first opening).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ibic.cases import Case
    from ibic.document_paths import FieldsOf
    from ibic.people import Person
    from ibic.reference import ReferenceData
    from storage.profile import Profile
    from storage.repositories.cases import CaseSummary
    from storage.repositories.documents import HeldBase


# A day read when it is needed: what a page records (a status change, a consent, a withdrawal) is dated on the day
# it is recorded, not the day the case was loaded (s34-days: a status changed after midnight, the step left open,
# was dated the day before).
Today = Callable[[], date]


def calendar_day() -> date:
    """The app's one clock: ``Session.today`` reads it, and so does what runs before a session exists (the unlock
    worker's listing, the kept listing). Tests set the day here (``monkeypatch.setattr(ui.session, "calendar_day",
    ...)``), or on one session's ``today``; callers look it up at each call, so either reaches them."""
    return date.today()


def store_uses_the_day(profile: Profile) -> None:
    """The store computes what it saves (deadlines, decisions in force) for ``calendar_day``, looked up at each save
    (a clock set by a test after the unlock reaches it too)."""
    profile.use_day(lambda: calendar_day())


@dataclass(frozen=True)
class OpenCase:
    case: Case
    person: Person


@dataclass(frozen=True)
class HeldCase:
    """An open case whose last save failed, kept in memory (never on screen) across a lock with the bases its save
    is diffed against (``Session.hold`` / ``take_back``)."""

    opened: OpenCase
    case_base: HeldBase | None
    person_base: HeldBase | None


class Session:
    """Everything a window needs from storage, in the handläggare's terms."""

    def __init__(self, profile: Profile, ref: ReferenceData | None = None) -> None:
        self.profile = profile
        store_uses_the_day(profile)
        self._ref = ref
        self._stored_person: dict[str, str] = {}  # person id -> JSON as last loaded or saved
        # What was saved since the case list last listed every case, so going back to the list reads only those.
        self._listed_on: date | None = None
        self._saved_cases: set[str] = set()
        self._saved_people: set[str] = set()

    @property
    def ref(self) -> ReferenceData:
        """The validated reference data, loaded at its first use (a case opened, a report, a conflict shown): the
        unlocked list reads only its labels (``ibic.reference_files.load_list_reference``), so pydantic and the
        models stay out of the window until then (docs/architecture.md, "Steady memory after unlock", plan step 2)."""
        if self._ref is None:
            from ibic.reference import load_reference_data  # cached; ui.case_opening's worker loads it first

            self._ref = load_reference_data()
        return self._ref

    @property
    def caseworker(self) -> str:
        return self.profile.user_id

    def today(self) -> date:
        """The day now (``calendar_day``): read at each use, never kept, so work past midnight is dated anew."""
        return calendar_day()

    def summaries(self) -> list[CaseSummary]:
        rows = self.profile.cases.list_summaries(today=self.today())
        self.listed()
        return rows

    def listed(self) -> None:
        """Every case was just listed (here, or by the unlock worker today): count saves from now."""
        self._listed_on = self.today()
        self._saved_cases.clear()
        self._saved_people.clear()

    def relist_needed(self) -> None:
        """Something other than this window's saves changed cases (a sync): the next listing reads them all."""
        self._listed_on = None

    def saved_summaries(self) -> list[CaseSummary] | None:
        """The summaries of the cases saved since the last listing (a person's save: all their cases); None when
        every case must be listed again (a new day refreshes every deadline, or a sync changed them)."""
        if self._listed_on != self.today():
            return None
        rows = self.profile.cases.summaries_of(self._saved_cases, self._saved_people)
        self._saved_cases.clear()
        self._saved_people.clear()
        return rows

    def open_case(self, case_id: str) -> OpenCase:
        """Load a case and its person; the view is written to the audit log."""
        case = self.profile.cases.load(case_id)
        person = self.profile.people.load(case.person_id)
        self._stored_person[person.id] = person.model_dump_json()
        self.profile.audit.record("view", case_id=case_id)
        return OpenCase(case, person)

    def reload_case(self, case_id: str) -> OpenCase:
        """Read the open case again after a sync (no new audit entry: it is the same view)."""
        case = self.profile.cases.load(case_id)
        person = self.profile.people.load(case.person_id)
        self._stored_person[person.id] = person.model_dump_json()
        return OpenCase(case, person)

    def create_case(self, case: Case, person: Person) -> None:
        from ibic.case_actions import local_case_number

        if not case.case_number:
            case.case_number = local_case_number(case)
        self.profile.people.save_new(person)  # one person per personnummer: refused if another holds it
        self._stored_person[person.id] = person.model_dump_json()
        self.profile.cases.save(case)
        self._saved_cases.add(case.id)

    def save(self, opened: OpenCase, changed: Sequence[BaseModel | FieldsOf] | None = None) -> datetime:
        """Store every change of the open case; each repository call is one transaction.

        ``changed``, when known, names every object edited since the last save (``ui.workspace.autosave``): the
        case then diffs only those, and the person is not even compared when none of them is in it. Otherwise
        the person is written only when it differs from what was last stored: most autosaves touch only the case.
        """
        from ibic.document_paths import changed_model
        from ibic.model_paths import locate

        # Most edits are in the case, where ``locate`` finds them again at once: only the others search the person.
        in_person = [] if changed is None else [
            o for o in changed
            if locate(opened.case, changed_model(o)) is None and _within(opened.person, changed_model(o))
        ]
        if changed is None or in_person:
            person_json = opened.person.model_dump_json()
            if self._stored_person.get(opened.person.id) != person_json:
                self.profile.people.save(opened.person)
                self._stored_person[opened.person.id] = person_json
                self._saved_people.add(opened.person.id)
        in_case = None if changed is None else [o for o in changed if all(o is not p for p in in_person)]
        result = self.profile.cases.save(opened.case, in_case)
        self._saved_cases.add(opened.case.id)
        return result.saved_at

    def hold(self, opened: OpenCase) -> HeldCase:
        """``opened`` with its bases, before a lock: its next save merges onto what it was loaded from."""
        return HeldCase(opened, self.profile.cases.base_of(opened.case), self.profile.people.base_of(opened.person))

    def take_back(self, held: HeldCase) -> OpenCase:
        """After an unlock: the held case, its saves diffed against its own bases again."""
        if held.case_base is not None:
            self.profile.cases.keep_base(held.opened.case, held.case_base)
        if held.person_base is not None:
            self.profile.people.keep_base(held.opened.person, held.person_base)
        return held.opened

    def lock(self) -> None:
        self.profile.lock()


def _within(root: BaseModel, item: BaseModel) -> bool:
    from ibic.model_paths import locate

    return item is root or locate(root, item) is not None
