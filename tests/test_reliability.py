"""Hostile input, damaged files, read-only install folders, and the offline guarantee."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.build import build
from db.store import Store
from tests.conftest import ROOT, SEEDS
from tumorboard.cli import main

FTS_WORDS = ["AND", "OR", "NOT", "NEAR", "NEAR(", '"', "*", "^", "(", ")", ":", "-", "+", "{", "}", "'", ";",
             "drug:", "phase:", "kind:", "nct:", "\x00", "\u202e", "\u200f", "😀", "﷽", "ع", "中文", "%", "_", "\\"]
hostile = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(FTS_WORDS) | st.text(max_size=12), max_size=25).map(" ".join),
    st.lists(st.sampled_from(FTS_WORDS), max_size=40).map("".join),
)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile)
def test_any_string_gets_an_answer_not_an_exception(store: Store, text: str) -> None:
    hits = store.search(text)
    assert isinstance(hits, list)
    assert all(h.kind and h.ref for h in hits)


@pytest.mark.parametrize("text", ["x" * 100_000, "\x00" * 1000, '"' * 5001, "(" * 10_000, "drug:" * 3000,
                                  "\u202eevil\u202c", "😀" * 2000])
def test_extreme_strings_in_the_engine_and_the_command_line(store: Store, home: Path, text: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert isinstance(store.search(text), list)
    assert main(["search", text.replace("\x00", " ") or " ", "--json"]) == 0
    capsys.readouterr()


def test_a_nul_byte_on_the_real_command_line_is_answered(home: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "tumorboard", "search", "lenva\u202e hyper 😀", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(home))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.lstrip().startswith("[")


def _env(home: Path) -> dict[str, str]:
    import os

    return {**os.environ, "TUMORBOARD_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}


def test_the_install_folder_is_never_written(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A read-only install works because nothing is written beside the code: the seeds and
    resources folders are byte-for-byte the same after building, searching and exporting."""

    def snapshot() -> dict[str, tuple[int, int]]:
        return {str(p): (p.stat().st_size, p.stat().st_mtime_ns)
                for folder in (ROOT / "seeds", ROOT / "resources") for p in folder.rglob("*")}

    before = snapshot()
    assert main(["build"]) == 0
    assert main(["search", "everolimus"]) == 0
    assert main(["export", "--format", "csv", "-o", str(tmp_path / "x.csv")]) == 0
    capsys.readouterr()
    assert snapshot() == before


def test_an_unwritable_data_folder_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    import os

    env = {**os.environ, "TUMORBOARD_HOME": str(blocker / "data")}
    for args in (["search", "everolimus"], ["notes", "export", str(tmp_path / "n.json")]):
        proc = subprocess.run([sys.executable, "-m", "tumorboard", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=120, env=env)
        assert proc.returncode == 1
        assert "cannot use the data folder" in proc.stderr and "Traceback" not in proc.stderr


def test_the_window_tells_the_user_when_the_dataset_was_rebuilt(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from desktop.app import start

    build(SEEDS, home / "dataset.sqlite3")
    (home / "dataset.sqlite3").write_bytes(b"garbage" * 4096)
    (home / "notes.sqlite3").write_bytes(b"garbage" * 4096)
    win, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.store is not None, timeout=30_000)
    text = win.banner.text.text()
    assert win.banner.isVisible()
    assert "dataset database was damaged" in text and "rebuilt" in text
    assert "notes database was damaged" in text and "notes.damaged-" in text
    assert win.store.search("everolimus")  # type: ignore[union-attr]
    tasks.shutdown()


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Any socket the program tries to create fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsed(f"a network connection was attempted: {args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield
    assert "PySide6.QtNetwork" not in sys.modules, "Qt's network module was loaded"


def test_offline_start_search_export_handout_and_print(qtbot, home: Path, tmp_path: Path, no_network,  # type: ignore[no-untyped-def]
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from desktop.app import start

    win, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.store is not None, timeout=30_000)
    win.search.field.setText("lenva hyper")
    win.search.refresh()
    assert win.search.model.hit_count() > 0
    win.search.open_current()
    assert main(["export", "--format", "json", "-o", str(tmp_path / "d.json")]) == 0
    assert main(["handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib",
                 "-o", str(tmp_path / "h.pdf")]) == 0
    compare = win.tab("Compare")
    compare.set_disease("pnet")  # type: ignore[union-attr]
    compare.set_therapies(["everolimus", "sunitinib"])  # type: ignore[union-attr]
    with qtbot.waitSignal(compare.pdf_written, timeout=30_000):  # type: ignore[union-attr]
        compare.save_pdf(tmp_path / "tab.pdf")  # type: ignore[union-attr]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert compare.print_to(tmp_path / "tab.pdf", printer) >= 1  # type: ignore[union-attr]
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    capsys.readouterr()
    tasks.shutdown()
