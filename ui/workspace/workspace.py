"""The case workspace: navigator on the left, the current step on the right, autosave underneath.

Autosave: every edit marks the case dirty and restarts a short debounce; the save also runs at once on a
change of step or area, when focus leaves a field, on lock and on close. A save is two small transactions
(person, case) of a few milliseconds on SQLCipher, so it runs on the UI thread: moving it to a worker would add a
second connection and a cross-thread hand-over for no visible gain (bench/bench_autosave.py measures it).

Pages are built on first use and reused for the next case, so opening a case only loads values into widgets.
The main window destroys the whole workspace on lock, so no personal data outlives it.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ibic.completeness import Finding
from ibic.consent import Consent
from ibic.workflow import Step, neighbour_area, workspace_flow
from storage.errors import StorageError
from ui.assessment.life_area_form import LifeAreaForm
from ui.assessment.others import OthersEditor
from ui.common.binding import Binder, typed_text
from ui.common.fields import DateField, ErrorLabel
from ui.common.screen_fit import least_width_on_screen
from ui.common.widgets import focus_by_keys, focus_chain_step, reading_order, step_in_reading_order
from ui.printing.coverage import can_print
from ui.session import OpenCase, Session, Today, calendar_day
from ui.workspace.autosave import EditedObjects
from ui.workspace.case_header import CaseHeader
from ui.workspace.case_page import CasePage
from ui.workspace.check_page import CheckPage
from ui.workspace.closing_dialog import ClosingKept
from ui.workspace.consent_section import CONSENT_REMOVED, RECORDED_ANEW
from ui.workspace.drafts import DraftKeeper, Drafts
from ui.workspace.follow_up_page import FollowUpPage
from ui.workspace.leaving import asked_before_leaving
from ui.workspace.lists import ListEditor
from ui.workspace.navigator import StepNavigator
from ui.workspace.proposal_page import ProposalPage
from ui.workspace.underlag_dialog import UnderlagKept
from ui.workspace.visit_page import VisitPage

log = logging.getLogger(__name__)
AUTOSAVE_DEBOUNCE_MS = 800
_FINDING_FIELDS = {"qualifier": "scale_0", "own_description": "ownDescription", "assessment": "assessmentText"}
# Where a finding on the Case and Visit steps is answered (ibic.completeness's fields), by the widget's name.
_PAGE_FINDING_FIELDS = {
    Step.CASE.value: {"applicant": "caseApplicant", "received_on": "applicationReceivedOn",
                      "application": "applicationItemInsats"},
    Step.VISIT.value: {"visits": "visitDate"},
}


PageT = TypeVar("PageT", bound=QWidget)


@dataclass(frozen=True)
class Place:
    """Where the handläggare is: restored after an idle lock."""

    case_id: str
    step: str
    area_id: str
    field: str = ""
    cursor: int = 0
    underlag: UnderlagKept | None = None  # a request for underlag a lock closed (only the lock's place holds one)
    closing: ClosingKept | None = None  # the closing question a lock closed, as answered so far (the same)


@dataclass(frozen=True)
class RefusedTexts:
    """The texts the fields of the shown page hold though the model refused them (too long, an impossible date),
    kept in memory across a lock (never on screen while locked) and typed back after the unlock: each binder of the
    page by its place among the page's binders, with its bindings' indexes and texts (``Binder.refused``); the other
    refused texts (a delområde's, the ej aktuellt note, an add form's) by their field's object name, unique on the
    page; and the hidden steps' refused adds, by step and object name (the unlock loads each step to type them)."""

    case_id: str
    step: str
    area_id: str
    fields: tuple[tuple[int, tuple[tuple[int, str], ...]], ...]
    named: tuple[tuple[str, str], ...] = ()
    # A hidden step's add forms whose add was refused (Ctrl+<n> left them as typed): by step, then by object name.
    hidden: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


# The widest step page's least width in average characters, its scroll bar included (the case page's list of what is
# applied for: 828 px at 20 pt, 660 at 16 pt on 150 %, tests/ui/layout_probe.py); and the navigator's least. Both
# make the window's least width (``Workspace.minimumSizeHint``): 1,194 px at 20 pt, within a 1280×720 screen's room.
PAGE_LEAST_CHARS = 64
NAVIGATOR_LEAST_CHARS = 21


class ReadingOrderPages(QStackedWidget):
    """The step pages, where Tab follows reading order (top to bottom, left to right) instead of the order the
    widgets were created in: list editors build their add form before their list, a page adds the rows of a case
    on load. Tab inside a page ends here (QWidget passes focusNextPrevChild up to the parents), so no page needs
    a hand-kept tab order; past the last control Tab leaves the pages as before."""

    def focusNextPrevChild(self, next: bool) -> bool:
        page = self.currentWidget()
        focus = QApplication.focusWidget()
        if page is None or focus is None or not page.isAncestorOf(focus):
            return super().focusNextPrevChild(next)
        if step_in_reading_order(page, next):
            return True
        outside = self._outside(next)
        if outside is None:
            return super().focusNextPrevChild(next)
        outside.setFocus(Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
        return True

    def _outside(self, next: bool) -> QWidget | None:
        """The first Tab stop before or after the pages in the window's focus chain."""
        widget = focus_chain_step(self, next)
        while widget is not self:
            if (not self.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None):
                return widget
            widget = focus_chain_step(widget, next)
        return None


class CaseWorkspace(QWidget):
    saved = Signal(object)  # datetime of the save
    save_failed = Signal(object)  # the exception; the edits stay in memory and are retried
    preview_requested = Signal()

    def __init__(self, session: Session, opened: OpenCase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseWorkspace")
        self.session, self.opened = session, opened
        self._dirty = False
        self.last_save_error: BaseException | None = None  # why the latest save failed, None after a success
        self.failure_repeated = False  # the latest save failed as the one before it did (a retry): said once
        self._changes = EditedObjects()  # what the next save must diff
        # consent audits (action, case, consent, recipient kind) awaiting a save
        self._unaudited: list[tuple[str, str, str, str]] = []
        self._step, self._area = Step.CASE.value, ""
        self._flow_shown_for: OpenCase | None = None  # the case whose states the navigator shows
        self._pages: dict[str, QWidget] = {}
        self._add_forms: dict[str, list[ListEditor | OthersEditor]] = {}  # each built page's, found once
        self.navigator = StepNavigator(session.ref, self)
        self.pages = ReadingOrderPages(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("workspaceSplitter")
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        # The navigator's width is set as the workspace is shown and whenever its room or text size changes
        # (``_fit_navigator``); a width the user drags stays until then.
        self._navigator_fitted: tuple[int, int] | None = None
        self.splitter.setSizes([self.fontMetrics().averageCharWidth() * 30, 900])
        self.header = CaseHeader(session.ref, self)
        self.header.show_case(opened.case, opened.person, session.today())
        self.banner = QLabel(self.tr("Fictitious person – demo data"), self)
        self.banner.setObjectName("fictitiousBanner")
        self.banner.setStyleSheet("background: #fff4c2; color: #3d3000; padding: 4px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header, 0)
        layout.addWidget(self.banner, 0)
        layout.addWidget(self.splitter, 1)
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_DEBOUNCE_MS)
        self.autosave.timeout.connect(self.save_now)
        self.saved.connect(self._audit_saved_consents)  # a consent's audit entry once a save holds it
        # The add forms' texts not added and the refused texts, kept in the profile (ui.workspace.drafts).
        self.drafts_keeper = DraftKeeper(self, AUTOSAVE_DEBOUNCE_MS)
        self.stored_drafts: Drafts | None = None  # the shown case's drafts as stored when it was shown
        self._flow_timer = QTimer(self)
        self._flow_timer.setSingleShot(True)
        self._flow_timer.setInterval(0)
        self._flow_timer.timeout.connect(self.refresh_flow)
        self.navigator.place_chosen.connect(lambda step, area: self._asked_then(step, area, lambda: None))
        self.navigator.sub_area_chosen.connect(self.go_to_sub_area)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.show_case(opened)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab from the navigator goes to the first control of the page in reading order."""
        page = self.pages.currentWidget()
        if next and QApplication.focusWidget() is self.navigator and page is not None:
            order = reading_order(page)
            if order:
                order[0].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().focusNextPrevChild(next)

    # --- pages ----------------------------------------------------------------------------------------------
    def _page(self, step: str) -> QWidget:
        page = self._pages.get(step)
        if page is None:
            page = self._build_page(step)
            page.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a page's scroll area is no tab stop: Tab goes to its fields
            self._pages[step] = page
            self.pages.addWidget(page)
            for editor in self._page_add_forms(step):  # typing there reaches no case: the drafts learn of it here
                for field in editor.draft_fields():
                    field.textChanged.connect(self.drafts_keeper.touched)
        return page

    def _build_page(self, step: str) -> QWidget:
        ref = self.session.ref
        # Each page reads the session's day when it records one (a status change, a consent, a visit): a step left
        # open past midnight dates what is done the next morning on that morning (s34-days).
        today = _session_day(self.session)
        if step == Step.CHECK.value:
            check = CheckPage(self.pages)
            check.finding_activated.connect(self._go_to_finding)
            check.preview_requested.connect(self.preview_requested)
            return check
        page: CasePage | VisitPage | LifeAreaForm | ProposalPage | FollowUpPage
        if step == Step.FOLLOW_UP.value:
            page = FollowUpPage(ref, self.session.caseworker, self.pages, today=today)
            page.document_requested.connect(self._preview_document)
            page.underlag_typed.connect(self.drafts_keeper.touched)  # kept as a draft, as an add form's text
        elif step == Step.CASE.value:
            page = CasePage(ref, self.session.caseworker, self.pages, self.session.profile.people.holder_of,
                            today=today)
            page.consents.recorded.connect(self._audit_consent)
            page.closing_typed.connect(self.drafts_keeper.touched)  # kept as a draft, as the request for underlag
        elif step == Step.VISIT.value:
            page = VisitPage(ref, self.pages, today=today)
        elif step == Step.AREAS.value:
            page = LifeAreaForm(ref, self.pages, today=today)
        else:
            page = ProposalPage(ref, self.pages)
        page.edited.connect(self._edited)
        return page

    def _typed_page(self, step: Step, kind: type[PageT]) -> PageT:
        page = self._page(step.value)
        assert isinstance(page, kind)
        return page

    @property
    def case_page(self) -> CasePage:
        return self._typed_page(Step.CASE, CasePage)

    @property
    def visit_page(self) -> VisitPage:
        return self._typed_page(Step.VISIT, VisitPage)

    @property
    def area_form(self) -> LifeAreaForm:
        return self._typed_page(Step.AREAS, LifeAreaForm)

    @property
    def proposal_page(self) -> ProposalPage:
        return self._typed_page(Step.PROPOSAL, ProposalPage)

    @property
    def follow_up_page(self) -> FollowUpPage:
        return self._typed_page(Step.FOLLOW_UP, FollowUpPage)

    @property
    def check_page(self) -> CheckPage:
        return self._typed_page(Step.CHECK, CheckPage)

    # --- navigation -----------------------------------------------------------------------------------------
    def show_case(self, opened: OpenCase) -> None:
        """Show a case in these widgets (the previous one is saved first, its drafts kept)."""
        self.save_now()
        self.drafts_keeper.keep()
        self.opened = opened
        self.stored_drafts = self.drafts_keeper.take()
        self._changes.unknown()  # another case's objects: nothing is known of them yet
        self.banner.setVisible(opened.person.fictitious)
        self.header.show_case(opened.case, opened.person, self.session.today())
        self.go_to(Step.CASE.value, "")

    def reload(self, opened: OpenCase, place: Place) -> None:
        """Show a fresher copy of the same case where the user was (after a sync pulled changes)."""
        self.opened = opened
        self._changes.unknown()
        self.banner.setVisible(opened.person.fictitious)
        self.header.show_case(opened.case, opened.person, self.session.today())
        self.restore(place)

    def _page_add_forms(self, step: str) -> list[ListEditor | OthersEditor]:
        forms = self._add_forms.get(step)
        if forms is None:
            page = self._pages[step]
            forms = self._add_forms[step] = [*page.findChildren(ListEditor), *page.findChildren(OthersEditor)]
        return forms

    def add_pending(self, whole_case: bool = True) -> None:
        """Add what add forms hold. Leaving the case (a lock, a close, another case): every page's, and when only a
        hidden step's add is refused, that step is shown, so the question (or the lock) keeps its text in view.
        Leaving the page for another of the case (``whole_case`` False): only the life area's others' description,
        which the next area's load empties; a step's add forms keep what they hold until it is shown again
        (``ListEditor.bind``: nothing half typed is added by moving between steps). An add refused keeps its text,
        and the question before leaving names it (``refused_fields``)."""
        steps = list(self._pages) if whole_case else [self._step] if self._step in self._pages else []
        for step in steps:
            for editor in self._page_add_forms(step):
                if whole_case or isinstance(editor, OthersEditor):
                    editor.flush_pending()
        page = self.pages.currentWidget()
        first = next(iter(self.refused_fields()), None) if whole_case and page is not None else None
        if first is not None and page is not None and not page.isAncestorOf(first):
            # The first refused text is on a hidden step, so the page shown holds none: its leaving loses nothing.
            self.go_to(next(step for step in self._pages if first in self._hidden_refused(step)))

    def _hidden_refused(self, step: str, *, choices: bool = False) -> list[QWidget]:
        """The fields of ``step``'s add forms whose add was refused (the step not shown: none of its binders'),
        and with ``choices`` what else those forms hold as chosen (``ListEditor.refused_choices``)."""
        if step == self._step:
            return []
        return [field for editor in self._page_add_forms(step) if isinstance(editor, ListEditor)
                for field in (_with_choices(editor) if choices else editor.refused_fields())]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_navigator()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_navigator()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a new text size: the navigator's own font changes after this
            QTimer.singleShot(0, self._fit_navigator)

    def minimumSizeHint(self) -> QSize:
        """Wide enough for the steps pane's least width beside the widest page's (the window's least width follows):
        at 20 pt the narrowest window gave the pages 630 pixels, and the case page, the life areas and the proposal
        scrolled sideways (s30-look). Never wider than the screen (``least_width_on_screen``)."""
        hint = super().minimumSizeHint()
        char = self.navigator.fontMetrics().averageCharWidth()
        least = (NAVIGATOR_LEAST_CHARS + PAGE_LEAST_CHARS) * char + self.splitter.handleWidth()
        return QSize(max(hint.width(), least_width_on_screen(self, least)), hint.height())

    def _fit_navigator(self) -> None:
        """The navigator as wide as its steps and life areas need, where the page beside it keeps its own least
        width (``PAGE_LEAST_CHARS``: less, and the page scrolls sideways at large text sizes and 150 % scaling).
        It was set once, as the workspace was made and before it had the window's width: 300 pixels at any window,
        and at 16 pt the life areas read "Lärande och att till…", "Mellanmänsk…" beside a page with room to spare
        (s29-look). Where the window is too narrow for both, the navigator keeps that least width, as before."""
        if not self.isVisible():
            return
        char = self.navigator.fontMetrics().averageCharWidth()
        key = (self.width(), char)
        if key == self._navigator_fitted:
            return
        self._navigator_fitted = key
        room = self.width() - self.splitter.handleWidth() - PAGE_LEAST_CHARS * char
        width = min(self.navigator.wanted_width(), max(room, NAVIGATOR_LEAST_CHARS * char))
        total = sum(self.splitter.sizes()) or self.width()
        self.splitter.setSizes([width, max(total - width, 0)])

    def leave(self) -> bool:
        """Before a lock, a close or another case: add what the add forms hold, then save everything."""
        for step in self._pages:
            for editor in self._page_add_forms(step):
                editor.flush_pending()
        saved = self.save_now()
        self.drafts_keeper.keep()  # after the save: a text just added is in the case before it leaves the draft
        if not saved:
            return False  # the workspace stays shown (another case or the close waits), its navigator as it was
        # The navigator's states are not refreshed for a workspace about to be hidden (part of Ctrl+E's frame):
        # the next case shown here refreshes them (``go_to``).
        self._flow_timer.stop()
        self._flow_shown_for = None
        return True

    def shows_errors(self) -> bool:
        """True while any field shows a refused value: a reload would replace the text the user is correcting."""
        return any(label.isVisible() and label.text() for label in self.findChildren(ErrorLabel))

    def _binders(self) -> list[Binder]:
        page = self.pages.currentWidget()
        return page.findChildren(Binder) if page is not None else []

    def _refusing(self, whole_case: bool = True) -> list[ListEditor | LifeAreaForm | ProposalPage | FollowUpPage]:
        """Beside the binders, what on the shown page may hold a refused text: its add forms (when the case is
        left: a step shown again keeps them), and the pages' own fields refused without a binder (a life area's ej
        aktuellt note and delområden, the form answering for its others' descriptions too; a proposal's scope; the
        follow-up's boxes)."""
        page = self.pages.currentWidget()
        if page is None:
            return []
        if isinstance(page, LifeAreaForm):
            return [page]
        lists = [editor for editor in self._page_add_forms(self._step)
                 if whole_case and isinstance(editor, ListEditor)]
        return [*lists, page] if isinstance(page, ProposalPage | FollowUpPage) else [*lists]

    def refused_fields(self, whole_case: bool = True) -> list[QWidget]:
        """The fields holding a text the model refused, or an add refused, that leaving would lose: the shown
        page's, and when the case is left the hidden steps' refused adds too."""
        if not ErrorLabel.any_saying():
            return []  # the usual case, at each switch of page: no walk of the page
        hidden = [field for step in self._pages for field in self._hidden_refused(step)] if whole_case else []
        return [*(widget for binder in self._binders() for widget in binder.refused_fields()),
                *(widget for holder in self._refusing(whole_case) for widget in holder.refused_fields()), *hidden]

    def drop_refused(self, whole_case: bool = True) -> None:
        """The person chose to leave them: the refused texts give way to what is stored, so no hidden page keeps
        one (a lock keeps the shown page's only); when the case is left, the hidden steps' refused adds go too."""
        for binder in self._binders():
            if binder.refused():
                binder.load()
        for holder in self._refusing(whole_case):
            holder.drop_refused()
        if whole_case:
            for step in self._pages:
                if self._hidden_refused(step):
                    for editor in self._page_add_forms(step):
                        editor.drop_refused()

    def refused_texts(self) -> RefusedTexts | None:
        """What the shown page's fields hold that the model refused (lost when the case is left), or None. The
        caller tries the add forms' adds first (``add_pending``), so what they hold is added or refused."""
        fields = tuple((index, tuple(refused)) for index, binder in enumerate(self._binders())
                       if (refused := binder.refused()))
        # An add form's choices and typed days first: typed back before its text, they are what its add takes.
        named = tuple(((widget.edit if isinstance(widget, DateField) else widget).objectName(), _kept_text(widget))
                      for holder in self._refusing() for widget in _with_choices(holder))
        hidden = tuple((step, tuple((widget.objectName(), _kept_text(widget)) for widget in held))
                       for step in self._pages if (held := self._hidden_refused(step, choices=True)))
        if not (fields or named or hidden):
            return None
        return RefusedTexts(self.opened.case.id, self._step, self._area, fields, named, hidden)

    def put_back(self, kept: RefusedTexts, add: bool = True) -> None:
        """Type the texts a lock kept back into their fields (refused again, each with its message), when this is
        the case and the page they were on; ``add`` False (a draft's) tries no add form's add."""
        if (kept.case_id, kept.step, kept.area_id) != (self.opened.case.id, self._step, self._area):
            return
        for step, named in kept.hidden:
            # Loaded to bind its add forms to this case's lists; shown again, the step keeps what they hold.
            self.go_to(step)
            self._type_back(self.pages.currentWidget(), named)
        if kept.hidden:
            self.go_to(kept.step, kept.area_id)
        binders = self._binders()
        for index, refused in kept.fields:
            if index < len(binders):
                binders[index].put_back(list(refused))
        self._type_back(self.pages.currentWidget(), kept.named)
        if add and (kept.named or kept.hidden):
            self.add_pending()  # the add forms' texts: refused again, each with its message

    def drafts(self) -> Drafts:
        """What the built pages hold that the case does not: each add form's text not added (by step, area and
        field), and the shown page's refused texts (an add form's among the former)."""
        typed = tuple((step, self.area_form.area_id if step == Step.AREAS.value else "", field.objectName(), text)
                      for step in self._pages for editor in self._page_add_forms(step) if editor.has_pending_text()
                      for field in editor.draft_fields() if (text := typed_text(field)).strip())
        refused = self.refused_texts() if ErrorLabel.any_saying() else None  # the usual case: no walk of the page
        if refused is not None:
            names = {name for *_, name, _text in typed}
            refused = replace(refused, named=tuple(pair for pair in refused.named if pair[0] not in names), hidden=())
        refused = refused if refused is not None and (refused.fields or refused.named) else None
        follow_up_step = Step.FOLLOW_UP.value
        held_there = any(step == follow_up_step for step, *_ in typed) or (
            refused is not None and refused.step == follow_up_step)
        holders = self._binder_names() if refused is not None and refused.fields else []
        binders = tuple(holders[index] for index, _texts in refused.fields) if refused is not None else ()
        underlag = self.follow_up_page.open_underlag() if follow_up_step in self._pages else None
        closing = self.case_page.open_closing() if Step.CASE.value in self._pages else None
        return Drafts(typed, refused, follow_up=self.follow_up_page.shown_id if held_there else "", binders=binders,
                      underlag=underlag, closing=closing)

    def put_drafts_back(self) -> Drafts | None:
        """Type the shown case's stored drafts back (``ui.workspace.drafts``): the add forms' texts not added, the
        refused texts refused again; shown on the refused texts' page, else the first typed text's. The drafts typed
        back, or None when there were none."""
        drafts, self.stored_drafts = self.stored_drafts, None
        if drafts is None:
            return None
        groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for step, area, name, text in drafts.typed:
            if self._known_place(step, area):
                groups.setdefault((step, area), []).append((name, text))
        refused = drafts.refused if drafts.refused and self._known_place(drafts.refused.step, drafts.refused.area_id) \
            else None
        # Shown last, so it stays: a life area's, whose next load empties its others' description, else the first.
        areas = (place for place in groups if place[0] == Step.AREAS.value)
        last = (refused.step, refused.area_id) if refused is not None else next(areas, next(iter(groups), None))
        if last is None:
            return self._reopen_dialog(drafts)
        elsewhere = False
        for place in [*(place for place in groups if place != last), last]:  # the last one shown stays shown
            self.go_to(*place)
            if place[0] == Step.FOLLOW_UP.value and drafts.follow_up:  # typed for that follow-up, not the last one
                elsewhere = not self.follow_up_page.show_follow_up(drafts.follow_up)
            self._type_back(self.pages.currentWidget(), tuple(groups.get(place, ())))
        gone = False
        if refused is not None:
            refused, gone = self._refused_here(refused, drafts.binders)
            self.put_back(refused, add=False)
        self._reopen_dialog(drafts)
        return replace(drafts, elsewhere=elsewhere, gone=gone)

    def _reopen_dialog(self, drafts: Drafts) -> Drafts | None:
        """The request for underlag, or the closing question, open when the program was killed (locked or not),
        opened again on its step; ``drafts`` if one was, else None."""
        if drafts.underlag is not None:
            self.restore(Place(self.opened.case.id, Step.FOLLOW_UP.value, "", underlag=drafts.underlag))
        elif drafts.closing is not None:
            self.restore(Place(self.opened.case.id, Step.CASE.value, "", closing=drafts.closing))
        else:
            return None
        return drafts

    def _binder_names(self) -> list[str]:
        """The shown page's binders by their holder's object name (a proposal's editor carries the proposal's id)."""
        return [parent.objectName() if (parent := binder.parent()) is not None else "" for binder in self._binders()]

    def _refused_here(self, refused: RefusedTexts, binders: tuple[str, ...]) -> tuple[RefusedTexts, bool]:
        """A draft's refused texts placed on the page as it is now: each binder's by its holder's name, not its
        place (a sync may have added or removed a proposal before it); with whether any field is gone."""
        names = self._binder_names()
        page = self.pages.currentWidget()
        named = tuple(pair for pair in refused.named if page is not None and page.findChild(QWidget, pair[0]))
        if len(binders) != len(refused.fields):  # not named (none was): by place, as a lock keeps them
            return replace(refused, named=named), len(named) != len(refused.named)
        fields = tuple((names.index(name), texts) for (_index, texts), name in zip(refused.fields, binders, strict=True)
                       if names.count(name) == 1)
        gone = len(fields) != len(refused.fields) or len(named) != len(refused.named)
        return replace(refused, fields=fields, named=named), gone

    def _known_place(self, step: str, area_id: str) -> bool:
        """A step (and life area) this program shows: a draft stored by another version may name one it does not."""
        if step == Step.AREAS.value:
            return any(area.id == area_id for area in self.session.ref.life_areas)
        return step in {value.value for value in Step} - {Step.CHECK.value} and not area_id

    @staticmethod
    def _type_back(page: QWidget | None, named: tuple[tuple[str, str], ...]) -> None:
        for name, text in named:
            widget = page.findChild(QWidget, name) if page is not None and name else None
            if isinstance(widget, QComboBox):
                at = next((i for i in range(widget.count()) if str(widget.itemData(i)) == text), -1)
                if at >= 0:
                    widget.setCurrentIndex(at)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(text == TICKED)
            elif isinstance(widget, QLineEdit):
                widget.setText(text)
                widget.setModified(True)  # typed by the person: a date field's day is no default (``DateField.typed``)
                widget.textEdited.emit(text)  # as typed: a delområde's row, a date, a box's field take it on this
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)  # textChanged: the ej aktuellt note is refused again

    def _asked_then(self, step: str, area_id: str, then: Callable[[], object]) -> None:
        """Go to ``step``/``area_id``, then ``then()``: at once, or, when the shown page holds a text the model
        refused, once the person answers Lämna to the question (``ui.workspace.leaving``); Stanna kvar leaves the
        page, and the navigator, where they were."""
        if step == Step.AREAS.value:
            area_id = area_id or self.session.ref.life_areas[0].id

        def go() -> None:
            self.go_to(step, area_id)
            then()

        if (step, area_id if step == Step.AREAS.value else "") == (self._step, self._area):
            # The page shown already: loaded again, it would replace the refused text with the stored one.
            (then if self.refused_fields() else go)()
        elif asked_before_leaving(self, self, go, whole_case=False):
            self.navigator.select(self._step, self._area)
        else:
            go()

    def go_to(self, step: str, area_id: str = "") -> None:
        """Show ``step`` (and ``area_id`` for the kartläggning); saves what is pending first."""
        # From one area to the next with nothing saved, nothing has changed the navigator's states: the switch
        # skips the completeness check (issue 14: a switch within one frame).
        unchanged = not self._dirty and self._flow_shown_for is self.opened
        self.save_now()
        area_to_area = unchanged and step == self._step == Step.AREAS.value
        today = self.session.today()
        case, person = self.opened.case, self.opened.person
        if step == Step.AREAS.value:
            area_id = area_id or self.session.ref.life_areas[0].id
            if case.investigation.assessment_for(area_id) is None:
                self._changes.unknown()  # the form creates the area's assessment as it loads
            self.area_form.load(case, person, self.session.ref.life_area(area_id), today)
        elif step != Step.CHECK.value:
            self._changes.unknown()  # these pages may add records as they load (proposals for applied items)
        if step == Step.CASE.value:
            self.case_page.load(case, person, today)
        elif step == Step.VISIT.value:
            self.visit_page.load(case, today)
        elif step == Step.PROPOSAL.value:
            self.proposal_page.load(case, person, today)
        elif step == Step.FOLLOW_UP.value:
            self.follow_up_page.load(case, person, today)
        self._step, self._area = step, area_id if step == Step.AREAS.value else ""
        self.pages.setCurrentWidget(self._page(step))
        self.navigator.select(step, self._area)
        if not area_to_area:
            self.refresh_flow()

    def go_to_step(self, step: str, field: str = "") -> None:
        """Ctrl+1 … Ctrl+6 (the window's Go menu): show ``step`` with focus in its first field; an Att göra row's
        in the field named ``field``, where its work is typed (``ui.cases.work_list.WORK_FIELDS``), when it is there
        to type in (the SIP day's box off: the first field)."""

        def focus_first() -> None:
            page = self.pages.currentWidget()
            named = page.findChild(QWidget, field) if page is not None and field else None
            if page is not None and named is not None and named.isVisibleTo(page) and named.isEnabled():
                focus_by_keys(named)
                body = page.widget() if isinstance(page, QScrollArea) else None
                if isinstance(page, QScrollArea) and body is not None:
                    if (layout := body.layout()) is not None:
                        layout.activate()  # the page was just loaded: placed now, so the scroll goes to the field
                    page.ensureWidgetVisible(named)
                return
            order = reading_order(page) if page is not None else []
            if order:
                focus_by_keys(order[0])

        self._asked_then(step, self._area if step == Step.AREAS.value else "", focus_first)

    def step_area(self, offset: int) -> None:
        """Ctrl+PgDown / Ctrl+PgUp (the Go menu): the next or previous life area, focus in its description."""
        current = self._area or self.session.ref.life_areas[0].id
        target = neighbour_area(self.session.ref, current, offset) if self._step == Step.AREAS.value else current
        if target is not None:
            self._asked_then(Step.AREAS.value, target, lambda: focus_by_keys(self.area_form.own))

    def go_to_sub_area(self, area_id: str, code: str) -> None:
        """Enter on a delområde row of the navigator: its area, focus on that delområde."""

        def focus_sub_area() -> None:
            self.area_form.sub_areas.focus_sub_area(code)
            focus = QApplication.focusWidget()
            if focus is not None and self.area_form.isAncestorOf(focus):
                self.area_form.ensureWidgetVisible(focus)

        self._asked_then(Step.AREAS.value, area_id, focus_sub_area)

    def _go_to_finding(self, finding: Finding) -> None:
        if finding.field == "sub_area" and finding.area_id and finding.item_id:
            self.go_to_sub_area(finding.area_id, finding.item_id)  # a chosen delområde: focus on its value
            return
        self.go_to(finding.step, finding.area_id or "")
        if finding.step == Step.AREAS.value and finding.field:
            name = _FINDING_FIELDS.get(finding.field, finding.field)
            widget = self.area_form.findChild(QWidget, name)
            if widget is not None:
                widget.setFocus()
        elif finding.step in _PAGE_FINDING_FIELDS and finding.field in _PAGE_FINDING_FIELDS[finding.step]:
            page = self.case_page if finding.step == Step.CASE.value else self.visit_page
            field = page.findChild(QWidget, _PAGE_FINDING_FIELDS[finding.step][finding.field])
            if field is not None:
                field.setFocus()
                page.ensureWidgetVisible(field)
        elif finding.step == Step.PROPOSAL.value:
            # Enter on "Trygghetslarm: Välj bifall …" showed the step with the cursor in none of the fields it
            # names: the user had to find which proposal, and which of its fields, by hand (s34-probe3).
            self.proposal_page.focus_finding(finding.item_id, finding.field)
        elif finding.step == Step.FOLLOW_UP.value:
            self.follow_up_page.focus_finding(finding.item_id, finding.field)

    def preview_follow_up(self) -> None:
        """Ärende → Förhandsgranska uppföljning (Ctrl+Shift+F): the follow-up step (asked first, as Ctrl+6, when the
        page shown holds a refused text), then the record of the follow-up it shows: the one chosen there, else the
        newest."""
        self._asked_then(Step.FOLLOW_UP.value, "", self.follow_up_page.preview_follow_up)

    def _preview_document(self, kind: str, outline: object) -> None:
        """The uppdrag, beslutsmeddelande or uppföljning in the utredning's preview dialog; print and save audited on
        the case."""
        from ui.workspace.document_preview import preview_decision_document

        self.save_now()
        case_id = self.opened.case.id
        audit = self.session.profile.audit
        preview_decision_document(self, kind, outline, lambda a, d: audit.record(a, case_id=case_id, detail=d))

    def _audit_consent(self, action: str, consent: Consent) -> None:
        """A consent given, refused, withdrawn or removed, told apart in the audit log (the recipient's kind, never a
        name), once a save holds it: after a failed save it waits for the retry (the log must not tell of a consent
        the case on disk lacks), and one removed before then is never written, nor its removal. One a save held, then
        removed (Ta bort markerad, asked first), is written as removed: the log had told of the person's no and
        nothing of its going, though the no was what kept the utförare from the uppdrag (s35-rui)."""
        if action == CONSENT_REMOVED and any(waiting[2] == consent.id and waiting[0] in RECORDED_ANEW
                                             for waiting in self._unaudited):
            self._unaudited = [waiting for waiting in self._unaudited if waiting[2] != consent.id]
        else:
            self._unaudited.append((action, self.opened.case.id, consent.id, consent.recipient.value))
        if self.save_now():  # saved now (its ``saved`` wrote it) or nothing was left to save
            self._audit_saved_consents()

    def _audit_saved_consents(self, _saved_at: object = None) -> None:
        """Write the waiting consent entries the case just saved holds (called on ``saved``: the case in memory is
        what was stored)."""
        waiting, self._unaudited = self._unaudited, []
        case = self.opened.case
        for action, case_id, consent_id, recipient in waiting:
            consent = next((c for c in case.consents if c.id == consent_id), None) if case_id == case.id else None
            if case_id != case.id or (consent is not None) == (action == CONSENT_REMOVED):
                continue  # removed before a save held it, another case's left unsaved, or (removed) put back
            if action == "consent_withdrawn" and consent is not None and consent.withdrawn_on is None:
                continue
            try:
                self.session.profile.audit.record(action, case_id=case_id, detail=f"recipient: {recipient}")
            except StorageError as error:  # the consent is in the case and its journal; the log says what is missing
                log.warning("consent not audited", extra={"error_type": type(error).__name__})

    def refresh_flow(self) -> None:
        today = self.session.today()
        flow = workspace_flow(self.opened.case, self.opened.person, self.session.ref, today, can_print)
        self.navigator.show_flow(flow, self.opened.case.investigation)
        self._flow_shown_for = self.opened
        # Status and deadlines change with what was just saved (a decision, a status change).
        self.header.show_case(self.opened.case, self.opened.person, today)
        if self._step == Step.CHECK.value:
            self.check_page.show_findings(flow.findings)

    # --- autosave -------------------------------------------------------------------------------------------
    def _edited(self) -> None:
        self._dirty = True
        self._changes.edited()
        self.autosave.start()
        self.drafts_keeper.touched()

    def mark_dirty(self) -> None:
        """The case holds edits not yet stored (kept across a lock after a failed save)."""
        self._edited()

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        if self._dirty:
            self.save_now()

    def save_now(self) -> bool:
        """Store pending edits now; returns False (and keeps them) if the store refused."""
        self.autosave.stop()
        if not self._dirty:
            return True
        try:
            saved_at: datetime = self.session.save(self.opened, self._changes.objects)
        except Exception as error:
            self.failure_repeated = type(error) is type(self.last_save_error)
            self.last_save_error = error
            self.save_failed.emit(error)
            self.autosave.start()  # retry later; the text stays in the widgets and in memory
            return False
        self._dirty = False
        self.last_save_error, self.failure_repeated = None, False
        self._changes.saved()
        self.saved.emit(saved_at)
        # The navigator's states come after the save is durable, off the keystroke-to-durable path.
        self._flow_timer.start()
        return True

    @property
    def step(self) -> str:
        """The step shown now (a ``Step`` value)."""
        return self._step

    @property
    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def holds_typed_adds(self) -> bool:
        """An add form of a built page holds text not added: a fresher copy of the case loaded would empty it."""
        return any(editor.has_pending_text() for step in self._pages for editor in self._page_add_forms(step))

    # --- place, for the idle lock ---------------------------------------------------------------------------
    def place(self) -> Place:
        focused = self.area_form.focused_field() if self._step == Step.AREAS.value else None
        field, cursor = focused or ("", 0)
        return Place(self.opened.case.id, self._step, self._area, field, cursor)

    def lock_place(self) -> Place:
        """``place()`` with the request for underlag open on the follow-up step, or the closing question on the
        case step: the unlock opens it again."""
        place = self.place()
        if self._step == Step.CASE.value:
            return replace(place, closing=self.case_page.open_closing())
        if self._step != Step.FOLLOW_UP.value:
            return place
        return replace(place, underlag=self.follow_up_page.open_underlag())

    def restore(self, place: Place, refused: RefusedTexts | None = None) -> None:
        self.go_to(place.step, place.area_id)
        if refused is not None:
            self.put_back(refused)
        if place.field:
            self.area_form.restore_focus(place.field, place.cursor)
        if place.underlag is not None:  # after the unlock has returned: the dialog's exec() holds its own loop
            kept = place.underlag
            QTimer.singleShot(0, self.follow_up_page, lambda: self.follow_up_page.reopen_underlag(kept))
        if place.closing is not None:  # the same: asked again once the unlock has returned
            closing = place.closing
            QTimer.singleShot(0, self.case_page, lambda: self.case_page.ask_closing_again(closing))

    def detach(self) -> None:
        """Stop listening to application-wide signals before the widget is destroyed."""
        self.drafts_keeper.stop()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._focus_changed)


def _with_choices(holder: ListEditor | LifeAreaForm | ProposalPage | FollowUpPage) -> list[QWidget]:
    """``holder``'s refused fields; an add form's after its choices and typed days, or its choices and days alone
    when it holds no text (``ListEditor.kept_at_lock``)."""
    return holder.kept_at_lock() if isinstance(holder, ListEditor) else holder.refused_fields()


TICKED = "1"  # what a lock keeps of a box ticked ("" unticked)


def _kept_text(widget: QWidget) -> str:
    """What a lock keeps of ``widget``: its text as typed, a list's choice (its item's data, as text), or whether a
    box is ticked (``TICKED``)."""
    if isinstance(widget, QComboBox):
        return str(widget.currentData())
    if isinstance(widget, QCheckBox):
        return TICKED if widget.isChecked() else ""
    return typed_text(widget)


def _session_day(session: Session) -> Today:
    """The session's day at each call (looked up on the session, so a clock set there reaches the pages too), held
    weakly: a page's wrapper, which PySide may keep after the lock deleted its widget, must not keep the session and
    the people it loaded alive until quit (tests/ui/test_lock_while_sync_ends.py)."""
    held = weakref.ref(session)

    def today() -> date:
        alive = held()
        return alive.today() if alive is not None else calendar_day()

    return today
