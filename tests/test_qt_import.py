"""PySide6 imported for the window (desktop/qt_import.py): the modules imported before it are not read again by its
`__feature__` check when the window's modules name them; the window's own modules are checked as before; nothing in
the project uses `__feature__`, so the value recorded changes no module's features."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from db.opening import open_store
from desktop.qt_import import NOT_QT, before_qt
from tests.conftest import ROOT

PACKAGES = ("db", "desktop", "handout", "tumorboard", "benchmarks")
FEATURES = re.compile(r"^\s*(from\s+__feature__\s+import|import\s+__feature__)", re.MULTILINE)

# As `tumorboard` opens the window: which modules PySide6 read through (linecache keeps what inspect read), and
# what its table says of a few.
READ = '''
import json, linecache, sys
from tumorboard.cli import window_imports
window_imports()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.app import start
window, tasks = start(app)
window.show()
while window.store is None:
    app.processEvents()
app.processEvents()
table = sys.modules["PySide6.support.feature"].pyside_feature_dict
read = [name for name, module in sorted(sys.modules.items())
        if getattr(module, "__file__", None) and module.__file__ in linecache.cache]
print(json.dumps({"read": read, "table": {n: table.get(n) for n in ("typing", "db.store", "desktop.main_window")}}))
tasks.shutdown()
'''


def test_the_modules_imported_before_pyside6_are_not_read_again_at_start(home: Path) -> None:
    open_store().close()  # built: an ordinary start, its Trials tab in the first paint
    out = subprocess.run([sys.executable, "-c", READ], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.splitlines()[-1])
    read = set(found["read"])
    assert {"typing", "dataclasses", "db.store", "db.presentation.present"}.isdisjoint(read), sorted(read)
    assert {"desktop.main_window", "desktop.trials_tab"} <= read, "the window's own modules are checked as before"
    assert found["table"] == {"typing": NOT_QT, "db.store": NOT_QT, "desktop.main_window": 0}


def test_only_modules_imported_before_pyside6_are_recorded_and_none_twice() -> None:
    table = sys.modules["PySide6.support.feature"].pyside_feature_dict
    names = ["tests.qt_import_probe_a", "tests.qt_import_probe_b"]
    table["tests.qt_import_probe_b"] = 0  # already checked: kept as PySide6 found it
    try:
        assert before_qt([*names, "PySide6.QtCore"]) == 0  # PySide6 among them: they may use it, none recorded
        assert "tests.qt_import_probe_a" not in table
        assert before_qt(names) == 1
        assert table["tests.qt_import_probe_a"] == NOT_QT and table["tests.qt_import_probe_b"] == 0
    finally:
        for name in names:
            table.pop(name, None)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_of_the_project_uses_pyside6_features(package: str) -> None:
    users = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py")
             if FEATURES.search(p.read_text(encoding="utf-8"))]
    assert users == [], "a module with PySide6 features: desktop/qt_import.py's record would change them"
