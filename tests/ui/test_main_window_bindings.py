"""The window's parts split out of ``ui/main_window.py`` (session 21) are module functions that ``MainWindow`` binds as
its methods under other names (``_create = window_unlock.create_and_open``). PySide looks a connected slot up by the
function's own name among the window's Qt methods: a function named ``create`` (or ``update``, ``close``…) is called
as ``QWidget.create(str, str)`` when the page's signal fires, a TypeError, and the profile is never created. The
tests going through the page catch that for the handlers they press; this one for every binding, also one a later
change adds.
"""

from __future__ import annotations

import inspect


def test_no_function_the_window_binds_under_another_name_is_named_like_a_qt_method_of_it() -> None:
    from PySide6.QtWidgets import QMainWindow

    from ui.main_window import MainWindow

    qt_names = set(dir(QMainWindow))
    # A method defined in the class under its own name (``closeEvent``) overrides Qt's on purpose.
    renamed = {name: value.__name__ for name, value in vars(MainWindow).items()
               if inspect.isfunction(value) and value.__name__ != name}
    assert "_create" in renamed and "_show_error" in renamed  # the bindings are still found here
    assert {name: function for name, function in renamed.items() if function in qt_names} == {}
