"""The main window's menus and what their actions open: File, Case, Go (the steps, Ctrl+1 …), Sync and Help; the
settings, the passphrase change (and what a lock says of one under way) and the draft utredning's preview.

Kept out of ``ui.main_window`` (session 21: it was over 1,100 lines): functions of the window, which binds the ones
it and others call as its methods (``MainWindow._preview`` is ``preview``). The actions are the window's
attributes (``window.action_lock``), declared on ``MainWindow``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ui.common.widgets import focus_by_keys, ignoring_checked, text_action
from ui.menu_reasons import explain_menus
from ui.settings import CASEWORKER_CONTACT, IDLE_LOCK_MINUTES, ISSUING_UNIT, MUNICIPALITY

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

    from ui.main_window import MainWindow


def create_actions(window: MainWindow) -> None:
    def add(text: str, shortcut: str, slot: Any, menu: Any) -> QAction:
        return _action(window, text, shortcut, slot, menu)

    tr = window.tr
    menu_file = window.menuBar().addMenu(tr("&File"))
    menu_case = window.menuBar().addMenu(tr("&Case"))
    window.action_new = add(tr("&New case…"), "Ctrl+N", window._new_case, menu_file)
    window.action_list = add(tr("&Case list"), "Ctrl+E", lambda: window.leaving.then(window.show_case_list), menu_file)
    window.action_work = add(tr("&To do"), "Ctrl+T", lambda: window.leaving.then(window.show_work_list), menu_file)
    window.action_settings = add(tr("&Settings…"), "Ctrl+,", partial(_open_settings, window), menu_file)
    window.action_passphrase = add(tr("Change &passphrase…"), "", partial(_change_passphrase, window), menu_file)
    # Printing where people look for it (Arkiv): the same preview, its Skriv ut focused once the document is shown
    # (Enter prints): the pages printed are the ones the preview shows. A print dialog that opened by itself from
    # the preview's render would come up over whatever the person had turned to meanwhile.
    window.action_print = add(tr("P&rint draft utredning…"), "Ctrl+Shift+P", partial(preview, window, True),
                              menu_file)
    window.action_lock = add(tr("&Lock"), "Ctrl+L", window.lock, menu_file)
    add(tr("&Quit"), "Ctrl+Q", window.close, menu_file)
    window.action_preview = add(tr("&Preview draft utredning…"), "Ctrl+P", partial(preview, window), menu_case)
    # Ctrl+Shift+F: Ctrl+U deletes a line in a text field on Linux, Ctrl+Shift+U starts IBus's Unicode entry.
    window.action_follow_up = add(tr("Preview the &follow-up record…"), "Ctrl+Shift+F",
                                  partial(_preview_follow_up, window), menu_case)
    window.menu_go = window.menuBar().addMenu(tr("&Go"))  # filled at the first unlock
    # The previews and the print act on the case shown: enabled with the steps, not while the list is shown (the
    # workspace stays built behind the list, and Ctrl+P there previewed the case left, not the row chosen).
    window._case_actions = [window.action_preview, window.action_follow_up, window.action_print]
    # Filled once, at the first unlock: _case_actions holds the preview's actions from here on, so it cannot say so.
    window._go_menu_filled = False
    menu_sync = window.menuBar().addMenu(tr("S&ync"))
    window.action_sync = add(tr("&Sync now"), "Ctrl+Shift+S", window._sync_now, menu_sync)
    window.action_conflicts = add(tr("Sync &conflicts…"), "", window._show_conflicts, menu_sync)
    window.action_enroll = add(tr("Co&nnect to the sync server…"), "", window._enroll, menu_sync)
    from ui.reports.menu import ReportsMenu

    window.reports = ReportsMenu(window)  # the Rapporter menu (issue 13); its actions need an unlocked session
    menu_help = window.menuBar().addMenu(tr("&Help"))
    window.action_shortcuts = add(tr("&Keyboard shortcuts…"), "F1", partial(_show_shortcuts, window), menu_help)
    window.action_about = add(tr("&About Hembesök"), "", partial(_about, window), menu_help)
    window._session_actions = [
        window.action_passphrase,
        window.action_new,
        window.action_list,
        window.action_work,
        window.action_lock,
        window.action_sync,
        window.action_conflicts,
        window.action_enroll,
        *window.reports.actions.values(),
    ]
    explain_menus(window)


def create_go_menu(window: MainWindow) -> None:
    """Ctrl+1 … Ctrl+6 for the steps, F6 to the navigator, Ctrl+PgDown/PgUp between life areas: no step is
    more than one key press away. Enabled while a case is shown."""
    from ui.workspace.steps import step_titles  # not the navigator: it brings the domain's models (issue 14)

    if window._go_menu_filled:
        return
    window._go_menu_filled = True
    menu = window.menu_go
    for number, (step, title) in enumerate(step_titles().items(), start=1):
        # The step's number is its mnemonic in the open menu (Alt+G, 3), as its Ctrl+3 is outside it.
        window._case_actions.append(_action(window, f"&{title}", f"Ctrl+{number}",
                                            partial(_go_to_step, window, step), menu))
    menu.addSeparator()
    for text, keys, offset in ((window.tr("&Next life area"), "Ctrl+PgDown", 1),
                               (window.tr("&Previous life area"), "Ctrl+PgUp", -1)):
        window._case_actions.append(_action(window, text, keys, partial(_step_area, window, offset), menu))
    window._case_actions.append(_action(window, window.tr("Go to the &steps of the case"), "F6",
                                        partial(_focus_navigator, window), menu))
    enable_case_actions(window)


def lock_key_in_dialogs(window: MainWindow) -> None:
    """Ctrl+L (Arkiv › Lås) in every dialog over the window, as outside them (once; later calls do nothing).

    A dialog shown with exec() is modal: the window's shortcuts do not reach past it, and Ctrl+L did nothing in
    Inställningar, Kortkommandon, the request for underlag or the closing question (s32-probe2). The lock action is
    added to each such dialog as it gets the keys, so the shortcut is the dialog's own too; the lock then closes it
    as the idle lock does. Connected at the first unlock: before it, there is nothing to lock."""
    from PySide6.QtWidgets import QApplication

    application = QApplication.instance()
    if window._lock_key_in_dialogs or not isinstance(application, QApplication):
        return
    window._lock_key_in_dialogs = True
    application.focusChanged.connect(partial(_lock_key_in_dialog, window))


def _lock_key_in_dialog(window: MainWindow, _old: QWidget | None, new: QWidget | None) -> None:
    from PySide6.QtWidgets import QDialog

    dialog = new.window() if new is not None else None
    if not isinstance(dialog, QDialog) or window.action_lock in dialog.actions() or not _over(window, dialog):
        return
    dialog.addAction(window.action_lock)


def _over(window: MainWindow, dialog: QWidget) -> bool:
    """``dialog`` belongs to ``window`` (a child at any depth; isAncestorOf stops at a dialog's own window)."""
    parent = dialog.parentWidget()
    while parent is not None and parent is not window:
        parent = parent.parentWidget()
    return parent is window


def enable_session_actions(window: MainWindow) -> None:
    """The items that need an unlocked profile, enabled by the rule their reason says (``session_refusal``): the
    unlock and the lock decided it again, each on its own (s32-tidy)."""
    refusal = session_refusal(window)
    for action in window._session_actions:
        action.setEnabled(not refusal)


def enable_case_actions(window: MainWindow) -> None:
    refusal = case_refusal(window)
    for action in window._case_actions:
        action.setEnabled(not refusal)


def session_refusal(window: MainWindow) -> str:
    """Why the items that need an unlocked profile are greyed ("" when unlocked): their status tip says it, and
    ``enable_session_actions`` greys them by it."""
    return window.tr("Hembesök is locked: unlock it with your passphrase first.") if window.session is None else ""


def case_refusal(window: MainWindow) -> str:
    """Why the items that act on the case shown are greyed ("" when a case is shown): their status tip says it."""
    if window.session is None:
        return session_refusal(window)
    if window.workspace is None or window.stack.currentWidget() is not window.workspace:
        return window.tr("No case is shown: open one from the case list first (Enter on its row).")
    return ""


def _go_to_step(window: MainWindow, step: str) -> None:
    if window.workspace is not None:
        window.workspace.go_to_step(step)


def _step_area(window: MainWindow, offset: int) -> None:
    if window.workspace is not None:
        window.workspace.step_area(offset)


def _focus_navigator(window: MainWindow) -> None:
    if window.workspace is not None:
        focus_by_keys(window.workspace.navigator)


def _show_shortcuts(window: MainWindow) -> None:
    from ui.shortcuts_dialog import ShortcutsDialog

    ShortcutsDialog(window.menuBar(), window).exec()


def _action(window: MainWindow, text: str, shortcut: str, slot: Any, menu: Any) -> QAction:
    action = text_action(text, window)
    if shortcut:
        # Set by name, as the property, which Qt parses from the text: setShortcut's overloads make the binding
        # build every enum of Qt's namespace (about 40 ms) and QKeySequence.fromString creates QKeySequence with
        # its enums (a few ms), before the unlock page, which needs neither.
        action.setProperty("shortcut", shortcut)
    action.triggered.connect(ignoring_checked(slot))  # never pass `checked` on as the slot's argument
    menu.addAction(action)
    return action


def _preview_follow_up(window: MainWindow) -> None:
    """The follow-up record of the case on screen (none from the case list: which case would it be?)."""
    if not case_refusal(window) and window.workspace is not None:
        window.workspace.preview_follow_up()


def _about(window: MainWindow) -> None:
    from ui.about import AboutDialog

    AboutDialog(window).open()


def preview(window: MainWindow, print_focused: bool = False) -> None:
    """The draft utredning of the case shown, previewed; with ``print_focused`` (Arkiv → Skriv ut…) its Skriv ut
    button takes the focus once the document is shown, so Enter opens the print dialog."""
    if window.session is None or window.workspace is None:
        return
    window.workspace.save_now()
    from ui.printing.preview import open_preview

    session, opened = window.session, window.workspace.opened
    dialog = open_preview(
        window,
        opened.case,
        opened.person,
        session.ref,
        caseworker=session.caseworker,
        unit=window.settings.get(ISSUING_UNIT),
        municipality=window.settings.get(MUNICIPALITY),
        contact=window.settings.get(CASEWORKER_CONTACT),
        audit=lambda action, detail: session.profile.audit.record(action, case_id=opened.case.id, detail=detail),
        today=session.today(),
    )
    if print_focused:
        dialog.document_loaded.connect(lambda _pages: dialog.print_button.setFocus())
    dialog.exec()


def _change_passphrase(window: MainWindow) -> None:
    if window.session is None:
        return
    from ui.unlock.change_passphrase import ChangePassphraseDialog

    if ChangePassphraseDialog(window.session.profile, window).exec():
        window.statusBar().showMessage(window.tr("The passphrase is changed. Use the new one from now on."), 15_000)


def report_passphrase_change(window: MainWindow, under_way: tuple[Any, list[BaseException | None]] | None) -> None:
    """A lock closes the passphrase dialog while its change runs: the change goes on (its worker holds the
    store), and once it ends the unlock page says which passphrase opens the profile (the status bar, if the
    window was unlocked again meanwhile): the person learns it before typing one (docs/architecture.md)."""
    if under_way is None:
        return
    job, outcome = under_way

    def ended() -> None:
        if outcome and outcome[0] is None:
            message = window.tr("Your passphrase was changed before Hembesök locked. Unlock with the new one.")
        else:
            message = window.tr("The passphrase was not changed before Hembesök locked. Unlock with the one you "
                                "had.")
        on_the_page = window.session is None and window.stack.currentWidget() is window.unlock_panel
        if on_the_page:
            window.unlock_panel.explanation.setText(message)
        if not on_the_page or window.unlock_panel.busy.isVisible():
            # An unlock under way (the old passphrase read the key file before the re-wrap) replaces the page
            # in a moment: the status bar says it on in the window it opens.
            window.statusBar().showMessage(message, 60_000)

    job.then(ended)


def _open_settings(window: MainWindow) -> None:
    """Inställningar; what a lock closed it with typed back (``MainWindow.settings_kept``: s35-probelock, the
    contact details and unit typed were lost at every lock), at the unlock or at Ctrl+, on the lock page."""
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.settings, window)
    if window.settings_kept is not None:
        dialog.put_back(window.settings_kept)
        window.settings_kept = None
    if dialog.exec():
        window.idle.set_minutes(window.settings.get(IDLE_LOCK_MINUTES))
