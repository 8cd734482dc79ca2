"""How deeply a JSON text nests, measured without parsing it.

Python's json module recurses once per level: a file of 200 000 `[` ends in a RecursionError
(and, on a small stack, could end the process). Counting brackets outside strings first lets a
reader refuse such a file with a message before the parser sees it.
"""

from __future__ import annotations

import re

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text` (0 for a bare value).

    Brackets inside strings are ignored; an unbalanced text is measured as written (the
    parser then reports it)."""
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", _STRINGS.sub("", text)):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest
