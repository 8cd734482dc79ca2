from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _strict_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """An SQLite error in a search query fails the test (and any command it starts) instead of
    passing as "no matches", the answer the program gives a user (db/search/engine.py `strict`)."""
    from db.search.engine import STRICT_ENV

    monkeypatch.setenv(STRICT_ENV, "1")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh per-user data folder for each test."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("TUMORBOARD_HOME", str(folder))
    return folder


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled seeds that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


MINI = [
    "dataset.yaml", "sources.yaml", "drugs/everolimus.yaml", "drugs/placebo.yaml", "diseases/pnet.yaml",
    "diseases/gep-net.yaml", "diseases/net.yaml", "diseases/gi-net.yaml", "diseases/lung-net.yaml",
    "adverse_events/stomatitis.yaml",
    "grading/who-2019-gep.yaml", "therapy-classes.yaml", "markers.yaml",
]


@pytest.fixture
def mini_seeds(tmp_path: Path) -> Path:
    """A small seed folder (a few bundled entities, no studies) for tests that add their own."""
    target = tmp_path / "seeds"
    for name in MINI:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SEEDS / name, target / name)
    (target / "studies").mkdir()
    return target


# A database built from these seeds by the same code, for a run that changes none of the modules the build
# uses (mutation/runner.py, which checks that): saves the build in each of its thousands of short runs.
BUILT_DB = "TUMORBOARD_TEST_BUILT_DB"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled seeds built once for read-only tests."""
    from db.building.build import build

    path = tmp_path_factory.mktemp("dataset") / "dataset.sqlite3"
    if os.environ.get(BUILT_DB):
        shutil.copyfile(os.environ[BUILT_DB], path)
        return path
    build(SEEDS, path)
    return path


@pytest.fixture
def store(built_db: Path):  # type: ignore[no-untyped-def]
    from db.store import Store

    s = Store(built_db)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread():  # type: ignore[no-untyped-def]
    """Qt objects left in reference cycles by one test must not be finalised by a worker
    thread of the next (see desktop/gc_guard.py)."""
    yield
    import gc

    gc.collect()


def _is_gui(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("gui") is not None or "qtbot" in request.fixturenames


@pytest.fixture(autouse=True)
def _nothing_left_running(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A GUI test fails when it leaves a thread it started, a QThread or a global thread-pool task running,
    or an active QTimer in a widget that outlives it (tests/leaks.py). Set up before the test's other fixtures,
    so checked after they (and pytest-qt's closing of the widgets added to qtbot) have torn down."""
    if not _is_gui(request):
        yield
        return
    from tests import leaks

    before = leaks.snapshot()
    yield
    leaks.check(before)
