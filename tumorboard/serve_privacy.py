"""A Datasette plugin `tumorboard serve` registers: the instance pages show no absolute path and no version.

Datasette 0.x has no setting for this: `/-/databases` names each served file's absolute path (the data
folder, so the home folder and the user name), `/-/versions` the Python, SQLite and Datasette versions, and
`/-/threads` where each task is running and its callbacks were defined (Datasette trims a path only up
to `site-packages`, so a Python installed in a home folder shows through). Routes from
the `register_routes` hook are matched before Datasette's own, so these three are replaced here, with and
without `.json`: versions answers 404, databases lists the served names without `path`, threads keeps
the threads and the tasks' names and coroutines, without source locations.

Imported only when the command runs (Datasette is an optional extra).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from datasette.views.special import JsonDataView

NAME = "tumorboard_privacy"


def _databases(datasette: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.items() if k != "path"} for d in datasette._connected_databases()]


def _threads() -> dict[str, Any]:
    threads = threading.enumerate()
    tasks = asyncio.all_tasks()
    return {"num_threads": len(threads),
            "threads": [{"name": t.name, "ident": t.ident, "daemon": t.daemon} for t in threads],
            "num_tasks": len(tasks),
            "tasks": sorted(f"{t.get_name()}: {getattr(t.get_coro(), '__qualname__', '')}" for t in tasks)}


def _not_found() -> Response:
    raise NotFound("Not found")


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [
        (r"^/-/versions(\.json)?$", _not_found),
        (r"^/-/databases(\.(?P<format>json))?$",
         JsonDataView.as_view(datasette, "databases.json", lambda: _databases(datasette))),
        (r"^/-/threads(\.(?P<format>json))?$",
         JsonDataView.as_view(datasette, "threads.json", _threads)),
    ]


def register() -> None:
    """Register with Datasette's plugin manager before its command line starts the server."""
    import sys

    from datasette.plugins import pm

    if pm.get_plugin(NAME) is None:
        pm.register(sys.modules[__name__], name=NAME)
