"""Hostile input, damaged files, read-only install folders, and the offline guarantee."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.building.build import build
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


def test_right_to_left_marks_and_emoji_on_the_real_command_line_are_answered(home: Path) -> None:
    """argv cannot carry a NUL byte: the NUL tests below send it where a user can."""
    proc = subprocess.run([sys.executable, "-m", "tumorboard", "search", "lenva\u202e hyper 😀", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(home))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.lstrip().startswith("[")


def test_a_nul_byte_in_a_seed_file_is_reported_at_its_line_by_the_real_command(home: Path,
                                                                               mini_seeds: Path) -> None:
    """A real NUL byte, in a file the real `tumorboard check` reads: an error at the NUL's own
    line (not line 1), no traceback."""
    from tests.samples import STUDY, write_study

    lines = STUDY.splitlines(keepends=True)
    lines[4] = lines[4].replace("randomized", "random\x00ized")
    path = write_study(mini_seeds, "".join(lines))
    assert path.read_bytes().count(b"\x00") == 1
    proc = subprocess.run([sys.executable, "-m", "tumorboard", "check", "--seeds", str(mini_seeds)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=_env(home))
    assert proc.returncode == 1
    assert "seeds/studies/test-study.yaml:5: the character U+0000 is not allowed in seed files" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_nul_byte_pasted_into_the_search_field_is_answered(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from tests.window_support import press, start_window

    win, tasks = start_window(qtbot)
    QApplication.clipboard().setText("lenva\x00 hyper\x00")  # copied from a document that holds NUL bytes
    press(qtbot, win, "Ctrl+K")
    field = win.search.field
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "lenva\x00 hyper\x00"
    qtbot.waitUntil(lambda: "result" in win.search.status.text(), timeout=5000)
    hit = win.search.model.hit_at(win.search.view.currentIndex())
    assert hit is not None and hit.title.startswith("Hypertension — Lenvatinib"), hit
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]


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
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtPrintSupport import QPrinter

    from tests.window_support import compare_settled, press, save_through_dialog, search_for, start_window

    win, tasks = start_window(qtbot)
    search_for(qtbot, win, "lenva hyper")
    assert win.search.model.hit_count() > 0
    qtbot.keyClick(win.search.field, Qt.Key.Key_Return)  # the first hit, a lenvatinib hypertension figure
    assert win.tabs.tabText(win.tabs.currentIndex()) == "Toxicity"
    assert main(["export", "--format", "json", "-o", str(tmp_path / "d.json")]) == 0
    assert main(["handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib",
                 "-o", str(tmp_path / "h.pdf")]) == 0
    press(qtbot, win, "Ctrl+4")
    compare = win.tab("Compare")
    controls = compare.controls  # type: ignore[union-attr]
    boxes = [controls.disease_box, *controls.therapy_boxes[:2]]
    for box, typed in zip(boxes, ["pNET", "everolimus", "sunitinib"], strict=True):
        box.setFocus()
        qtbot.keyClicks(box.lineEdit(), typed)
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: compare.therapies() == ["everolimus", "sunitinib"])  # type: ignore[union-attr]
    compare_settled(qtbot, compare)  # the grid shows them: Ctrl+S opens the dialog at once
    with qtbot.waitSignal(compare.pdf_written, timeout=30_000):  # type: ignore[union-attr]
        save_through_dialog(qtbot, lambda: press(qtbot, win, "Ctrl+S"), tmp_path / "tab.pdf")
    assert (tmp_path / "tab.pdf").stat().st_size > 1000
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # the print dialog's answer: a PDF printer
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(compare, "ask_printer", lambda: printer)
    with qtbot.waitSignal(compare.pdf_written, timeout=30_000):  # type: ignore[union-attr]
        press(qtbot, win, "Ctrl+P")
    assert re.fullmatch(r"Sent [1-9][0-9]* pages? to the printer\.", compare.message.text())  # type: ignore[union-attr]
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    capsys.readouterr()
    tasks.shutdown()


def test_a_folder_where_the_dataset_belongs_gives_a_message_not_a_traceback(home: Path) -> None:
    folder = home / "dataset.sqlite3"
    folder.mkdir()
    (folder / "something").write_text("kept", encoding="utf-8")
    for args in (["search", "everolimus"], ["export", "--format", "json"], ["grade", "--ki67", "5"]):
        proc = subprocess.run([sys.executable, "-m", "tumorboard", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=120, env=_env(home))
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr and "Errno" not in proc.stderr
        assert f"the dataset database {folder} is a folder, not a file. Move or delete it" in proc.stderr
    assert (folder / "something").read_text(encoding="utf-8") == "kept"


def test_the_window_says_what_to_do_when_the_dataset_is_a_folder(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from desktop.app import start

    (home / "dataset.sqlite3").mkdir()
    win, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: "could not be prepared" in win.placeholder.text(), timeout=30_000)
    text = win.placeholder.text()
    assert f"{home / 'dataset.sqlite3'} is a folder, not a file" in text and "Move or delete it" in text
    assert "Errno" not in text
    tasks.shutdown()


def test_a_zero_byte_dataset_is_rebuilt_as_missing_not_damaged(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    """An empty file (an interrupted copy, a full disk) holds nothing: it is rebuilt quietly, and
    the self-test says it was missing rather than "damaged" or "an older layout"."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import start
    from tumorboard.selftest_data import Context, step_dataset

    (home / "dataset.sqlite3").write_bytes(b"")
    note = step_dataset(Context(home=home, seeds=SEEDS))
    assert "dataset.sqlite3 was missing, rebuilt in" in note, note
    (home / "dataset.sqlite3").write_bytes(b"")
    win, tasks = start(QApplication.instance())  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.store is not None, timeout=30_000)
    assert not win.banner.isVisible() and "damaged" not in win.banner.text.text()
    assert win.store.search("everolimus")  # type: ignore[union-attr]
    tasks.shutdown()
    win.store.close()  # type: ignore[union-attr]
