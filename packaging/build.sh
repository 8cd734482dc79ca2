#!/usr/bin/env bash
# Build the one-folder bundle and its tarball for this platform (Linux x86-64 here):
#   packaging/dist/TumorBoardReference/                          the program folder
#   packaging/dist/TumorBoardReference-<version>-linux-<arch>.tar.gz
# Uses a throwaway venv under packaging/build/ (the project installed non-editable, plus
# PyInstaller from PyPI); the development environment is not touched. Needs python3 (3.11+)
# with venv. Set PYTHON to choose the interpreter. See packaging/README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$here/build"
dist="$here/dist"
venv="$build/venv"
python="${PYTHON:-python3}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 QT_QPA_PLATFORM=offscreen

started=$(date +%s)
step() { echo "== $* ($(( $(date +%s) - started )) s)"; }

# Qt's X11 and Wayland plugins need a few system libraries that desktops usually have but
# minimal installs may lack; when they are on the build machine, PyInstaller copies them into
# the bundle, so the target does not need them. Root with apt-get: install them; else warn.
qt_libs="libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libwayland-cursor0"
if command -v dpkg >/dev/null 2>&1; then
  missing=""
  for pkg in $qt_libs; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
  if [ -n "$missing" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    step "installing system libraries for Qt's window plugins:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  elif [ -n "$missing" ]; then
    echo "warning: not installed here:$missing; the bundle will need them on the target machine" >&2
  fi
fi

step "venv in $venv"
rm -rf "$venv" "$build/work" "$dist/TumorBoardReference"
mkdir -p "$build" "$dist"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
step "installing the project (not editable) and PyInstaller"
# From a clean copy of the tree: setuptools would otherwise reuse (and ship stale files from) ./build.
rm -rf "$build/src" && mkdir -p "$build/src"
tar -C "$root" --exclude=./.git --exclude=./build --exclude=./packaging/build --exclude=./packaging/dist \
  --exclude='*.egg-info' --exclude=__pycache__ --exclude=./.venv --exclude='./.*_cache' --exclude=./.hypothesis \
  -cf - . | tar -C "$build/src" -xf -
"$venv/bin/python" -m pip install -q "$build/src" "pyinstaller>=6.10,<7" 2>&1 | grep -v "is ignored: it is neither" >&2 || true
"$venv/bin/python" -c "import PyInstaller, tumorboard" # the install above must have worked
version="$("$venv/bin/python" -c 'import tumorboard; print(tumorboard.__version__)')"

step "rendering the icon"
"$venv/bin/python" "$here/render_icon.py" "$build/tumorboard-256.png" 256

step "PyInstaller"
# From inside build/: the source tree must not shadow the installed packages.
(cd "$build" && "$venv/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$build/work" "$here/tumorboard.spec")

app="$dist/TumorBoardReference"
mkdir -p "$app/share"
cp "$here/linux/tumorboard.desktop" "$app/share/tumorboard.desktop"
cp "$build/tumorboard-256.png" "$app/share/tumorboard.png"
cp "$here/linux/install.sh" "$app/install.sh"
cp "$here/README.md" "$app/README-packaging.md"

step "tarball"
arch="$(uname -m)"
tarball="$dist/TumorBoardReference-$version-linux-$arch.tar.gz"
rm -f "$tarball"
tar -C "$dist" --owner=0 --group=0 --numeric-owner -czf "$tarball" TumorBoardReference

step "done"
echo "bundle:  $app ($(du -sh "$app" | cut -f1))"
echo "tarball: $tarball ($(du -h "$tarball" | cut -f1))"
echo "check it: python3 packaging/check_bundle.py"
