"""The window's process hashes with Python's built-in SHA-2, not OpenSSL's ``_hashlib`` (issue 14, the memory row;
``main.load_builtin_hashes``).

``secrets`` → ``hmac`` → ``_hashlib`` mapped the system's libcrypto (+3.3 MiB resident) beside the OpenSSL that
sqlcipher3 links in. A fresh process started through main.py unlocks, lists and opens a case without mapping it, and
the audit entries it wrote with the built-in SHA-256 are the chain this process (OpenSSL's hashes) verifies.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from app_child import (
    ENTER_PASSPHRASE,
    ENTER_THEN_LISTED,
    RUN_MAIN_THEN_DRIVE,
    WHEN_IDLE,
    run_app_script,
    tagged,
    verified_audit_entries,
)
from uihelpers import PASSPHRASE

UNLOCK_LIST_OPEN = WHEN_IDLE + ENTER_PASSPHRASE + """
import json, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
def mapped():
    with open("/proc/self/maps") as maps:
        return sorted({line.split()[-1] for line in maps if line.rstrip().endswith(".so") or ".so." in line})
def report(tag):
    print(tag, json.dumps({"openssl_hashes": sys.modules.get("_hashlib") is not None, "mapped": mapped()}))
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def listed():
        print("LISTED", json.dumps(window.case_list.model.rowCount()))
        report("AT_LIST")
        window.open_case(window.case_list.model.row(0).case_id)
        when_idle(window, opened)
    def opened():
        report("AT_CASE")
        import hashlib, hmac
        print("DIGESTS", json.dumps([hashlib.sha256(b"abc").hexdigest(),
                                     hmac.new(b"k", b"abc", "sha256").hexdigest()]))
        QApplication.instance().quit()
""" + ENTER_THEN_LISTED + RUN_MAIN_THEN_DRIVE


def test_the_window_maps_no_openssl_hashes_and_its_audit_chain_verifies(demo_profile_dir: Path,
                                                                         tmp_path: Path) -> None:
    spec = importlib.util.find_spec("_hashlib")
    assert spec is not None and spec.origin  # this process (the tests) has OpenSSL's hashes: the comparison below
    entries_before = verified_audit_entries(demo_profile_dir, PASSPHRASE)
    output = run_app_script(UNLOCK_LIST_OPEN, str(demo_profile_dir), PASSPHRASE, home=tmp_path / "home")
    assert tagged(output, "LISTED") > 0
    for moment in ("AT_LIST", "AT_CASE"):
        figures = tagged(output, moment)
        assert figures["openssl_hashes"] is False, moment
        assert spec.origin not in figures["mapped"], moment
        # on main: the system's libcrypto.so.3, loaded by _hashlib (sqlcipher3's own OpenSSL is linked in)
        assert [name for name in figures["mapped"] if "libcrypto" in Path(name).name] == [], moment
    assert tagged(output, "DIGESTS") == [
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "342e519ce0ad6c03a36b98eeb3f1d130db4813b9df4d1160eda488d712dc78ee",
    ]
    # the child's entries, hashed by the built-in SHA-256
    assert verified_audit_entries(demo_profile_dir, PASSPHRASE) > entries_before
