"""PySide6 loaded for the app's start, without one of its start-up costs that the app does not use.

Once PySide6 is loaded, its import hook looks at every module named in an ``import`` statement the first time it
is named, to see whether that module switches on one of PySide's optional ``__feature__`` sets: it reads the
module's whole source (``inspect.getsource``) and looks for the word "PySide6". The unlock page's modules name
typing, logging, pathlib, os, functools, contextlib… after PySide6 is loaded: about 400 KB of the standard
library's source read and decoded before the page is shown (~7 M instructions, ~2 ms), for an answer known in
advance: no module of the standard library uses PySide6. ``note_standard_library`` gives the hook that answer for
the standard library's modules already loaded (most of what the app names: PySide's own start-up loads them);
the app's own modules, and any other package's, are still read and decided by PySide.

The table is PySide's own (``shibokensupport.feature.pyside_feature_dict``: -1 = "does not use PySide", what the
hook would have found); where a PySide version keeps no such table, nothing is changed and the sources are read.
"""

from __future__ import annotations

import os
import sys

import PySide6  # noqa: F401  (installs the import hook, and loads the standard library modules its start needs)


def note_standard_library() -> int:
    """Mark the loaded modules of the standard library as not using PySide6; returns how many were marked."""
    table = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    library = os.path.dirname(os.__file__) + os.sep  # the standard library's folder (os is always a file there)
    installed = (f"{os.sep}site-packages{os.sep}", f"{os.sep}dist-packages{os.sep}")  # other packages, not the library
    marked = 0
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if (name in table or not isinstance(path, str) or not path.startswith(library)
                or any(folder in path for folder in installed)):
            continue
        table[name] = -1
        marked += 1
    return marked
