"""`tumorboard` where no window can open: it says what is missing and how to fix it, and exits 1
instead of Qt's abort (exit 134 and a core dump)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.display_check import XCB_LIBRARIES, display_problem

ROOT = Path(__file__).resolve().parent.parent
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin is Linux's")


def start_window(home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "tumorboard"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**clean, "TUMORBOARD_HOME": str(home), **env}, check=False)


@linux
def test_without_a_display_it_says_so_and_exits_1(home: Path) -> None:
    done = start_window(home)
    assert done.returncode == 1, done.stderr  # not -6 (SIGABRT) or 134
    assert "no display" in done.stderr and "ssh -X" in done.stderr and "tumorboard --self-test" in done.stderr
    assert "core dumped" not in done.stderr and "qt.qpa" not in done.stderr


@linux
def test_a_display_that_does_not_answer_is_named(home: Path) -> None:
    done = start_window(home, DISPLAY=":87")
    assert done.returncode == 1, done.stderr
    assert "tumorboard: the window cannot open" in done.stderr and "qt.qpa" not in done.stderr


def test_a_missing_xcb_library_is_named_with_its_package() -> None:
    def load(name: str) -> object:
        if name in ("libxcb-cursor.so.0", "libxcb-keysyms.so.1"):
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()

    text = display_problem({"DISPLAY": ":0"}, "linux", load, reach=lambda _d: "")
    assert "libxcb-cursor.so.0, libxcb-keysyms.so.1" in text
    assert "sudo apt install libxcb-cursor0 libxcb-keysyms1" in text


def test_a_library_outside_the_table_is_reported_from_the_plugin(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from desktop import display_check

    plugin = tmp_path / "libqxcb.so"
    monkeypatch.setattr(display_check, "plugin_path", lambda _name: plugin)

    def load(name: str) -> object:
        if name == str(plugin):
            raise OSError(f"{plugin}: libfoo.so.3: cannot open shared object file")
        return object()

    text = display_problem({"DISPLAY": ":0"}, "linux", load, reach=lambda _d: "")
    assert "does not load" in text and "libfoo.so.3" in text


def test_wayland_alone_checks_the_wayland_libraries() -> None:
    def load(name: str) -> object:
        if name == "libwayland-cursor.so.0":
            raise OSError(name)
        return object()

    text = display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", load)
    assert "Wayland" in text and "libwayland-cursor0" in text


def test_nothing_is_checked_where_it_cannot_arise() -> None:
    def load(name: str) -> object:
        raise OSError(name)

    assert display_problem({}, "win32", load) == ""
    assert display_problem({}, "darwin", load) == ""
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", load) == ""  # the user chose a platform
    assert all(name.startswith("lib") and ".so." in name for name in XCB_LIBRARIES)
