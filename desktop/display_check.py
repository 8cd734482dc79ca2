"""Before the window: can Qt open one here? Without a display, or without the system libraries
of Qt's X11 (xcb) plugin, Qt prints a raw message and aborts the process (exit 134, a core
dump). This check says what is missing and how to install it, and the command exits 1.

Linux only: Windows and macOS bring their own window system. It imports no Qt, loads the
plugin's libraries by name (a few milliseconds) and is skipped when QT_QPA_PLATFORM chooses a
platform explicitly (offscreen for tests and --self-test, or the user's own choice).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# the libraries Qt 6's xcb plugin loads, by soname, with the Debian/Ubuntu package holding each
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
WAYLAND_LIBRARIES = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libxkbcommon.so.0": "libxkbcommon0",
}
NO_DISPLAY = (
    "tumorboard: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
    "  Start it from a desktop session, or over ssh with X forwarding (ssh -X).\n"
    "  The command-line tools need no display: tumorboard search …, tumorboard handout …, "
    "tumorboard --self-test (see tumorboard --help)."
)

Loader = Callable[[str], object]


def _load(name: str) -> object:
    """By soname as the loader finds it; in the one-folder bundle, also the copy the bundle carries."""
    try:
        return ctypes.CDLL(name)
    except OSError:
        carried = Path(getattr(sys, "_MEIPASS", "")) / name
        if getattr(sys, "frozen", False) and carried.is_file():
            return ctypes.CDLL(str(carried))
        raise


def missing(libraries: Mapping[str, str], load: Loader = _load) -> list[str]:
    """The sonames in `libraries` that the dynamic loader cannot find."""
    absent = []
    for soname in libraries:
        try:
            load(soname)
        except OSError:
            absent.append(soname)
    return absent


def plugin_path(name: str) -> Path | None:
    """PySide6's own platform plugin file (libqxcb.so), found without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "Qt" / "plugins" / "platforms" / f"lib{name}.so"
        if path.exists():
            return path
    return None


def plugin_problem(name: str, load: Loader = _load) -> str:
    """The loader's own message when the plugin itself does not load (a library not in our table)."""
    path = plugin_path(name)
    if path is None:
        return ""
    try:
        load(str(path))
    except OSError as exc:
        return str(exc)
    return ""


def _install_hint(sonames: list[str], libraries: Mapping[str, str]) -> str:
    packages = " ".join(dict.fromkeys(libraries[s] for s in sonames if s in libraries))
    return (f"  On Debian or Ubuntu: sudo apt install {packages}\n"
            "  (other distributions name the packages after the same libraries; the one-folder bundle "
            "in packaging/ carries the X11 helper libraries itself)")


def describe(kind: str, sonames: list[str], libraries: Mapping[str, str], raw: str = "") -> str:
    if sonames:
        listed = ", ".join(sonames)
        return (f"tumorboard: the window cannot open: Qt's {kind} plugin needs system libraries that are not "
                f"installed: {listed}.\n{_install_hint(sonames, libraries)}")
    return f"tumorboard: the window cannot open: Qt's {kind} plugin does not load: {raw}"


def _check(kind: str, plugin: str, libraries: Mapping[str, str], load: Loader) -> str:
    absent = missing(libraries, load)
    if absent:
        return describe(kind, absent, libraries)
    raw = plugin_problem(plugin, load)
    if raw:
        named = re.findall(r"(lib[\w.+-]+\.so[.\d]*)", raw)
        return describe(kind, [n for n in named if n in libraries], libraries, raw)
    return ""


def x_server_problem(display: str) -> str:
    """'' when the X server named by DISPLAY answers (libxcb connects as Qt would, ~1 ms)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return ""  # reported as a missing library
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    failed = xcb.xcb_connection_has_error(connection)
    xcb.xcb_disconnect(connection)
    if not failed:
        return ""
    return (f"tumorboard: the window cannot open: the X display {display!r} does not answer (DISPLAY is set, but "
            "no X server is reachable there).\n  Start it from the desktop session itself, or check the ssh X "
            "forwarding (ssh -X); the command-line tools need no display (tumorboard --help).")


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None, load: Loader = _load,
                    reach: Callable[[str], str] = x_server_problem) -> str:
    """What stops Qt from opening a window here, in words with the fix; '' when nothing does."""
    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return ""
    x11, wayland = bool(env.get("DISPLAY")), bool(env.get("WAYLAND_DISPLAY"))
    if not (x11 or wayland):
        return NO_DISPLAY
    problem = (_check("X11 (xcb)", "qxcb", XCB_LIBRARIES, load) or reach(env["DISPLAY"])) if x11 else ""
    if not x11 or (problem and wayland):
        other = _check("Wayland", "qwayland", WAYLAND_LIBRARIES, load)
        problem = other if not x11 or not other else problem
    return problem
