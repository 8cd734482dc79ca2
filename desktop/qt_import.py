"""PySide6 imported for the window, told first which modules cannot use it (`import desktop.qt_import`).

Once imported, PySide6 checks every module that a later import statement names, the first time it is named,
for its `from __feature__` switch: it reads the module's whole source to see whether it mentions PySide6
(`_mod_uses_pyside`). The window's modules name the standard library's and db's (typing, dataclasses,
importlib, db.store, ...), imported before PySide6: about 40 modules read again, 5-10 ms of every start. A
module imported before PySide6 did not import it, so each is recorded as PySide6's own check records a module
that does not use it (NOT_QT: left out of the feature switching). Nothing in this project uses `__feature__`
(tests/test_qt_import.py), so no module's features change; the window's own modules are checked as before.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

NOT_QT = -1  # PySide6's value for a module that does not use it


def before_qt(names: Iterable[str]) -> int:
    """Record the modules `names`, all imported before PySide6, as not using it; how many were recorded.
    Nothing is recorded when PySide6 is among them (imported earlier, by whatever imported it: they may use it)
    or keeps no such table (another version of it: its own check runs, only slower)."""
    names = list(names)
    if any(name == "PySide6" or name.startswith("PySide6.") for name in names):
        return 0
    table = getattr(sys.modules.get("PySide6.support.feature"), "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    recorded = 0
    for name in names:
        if name not in table:
            table[name] = NOT_QT
            recorded += 1
    return recorded


_BEFORE = [name for name, module in sys.modules.items()  # not those being imported now: desktop.app itself
           if not getattr(getattr(module, "__spec__", None), "_initializing", False)]
import PySide6.QtWidgets  # noqa: E402, F401  # isort: skip

before_qt(_BEFORE)
