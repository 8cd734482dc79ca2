"""The dataset the commands read: the user's, opened (and built or updated first) as the window opens it.

The commands call `open_dataset` through this module, so a test can hand them a store of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.store import Store


def open_dataset() -> Store:
    from db.opening import open_store

    return open_store()
