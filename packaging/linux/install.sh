#!/bin/sh
# Install the unpacked bundle system-wide (run as root from inside the unpacked folder):
#   sudo ./install.sh            -> /opt/TumorBoardReference, /usr/local/bin/tumorboard, menu entry
#   sudo ./install.sh /srv/apps  -> /srv/apps/TumorBoardReference instead of /opt
# The install folder is made read-only; each user's data goes to ~/.local/share/TumorBoardReference.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-/opt}/TumorBoardReference
prefix=${PREFIX:-/usr/local}

if [ "$here" != "$dest" ]; then
  rm -rf "$dest.new"
  mkdir -p "$(dirname "$dest")"
  cp -a "$here" "$dest.new"
  rm -rf "$dest"
  mv "$dest.new" "$dest"
fi
chmod -R a+rX,go-w "$dest"
mkdir -p "$prefix/bin" "$prefix/share/applications" "$prefix/share/icons/hicolor/256x256/apps"
ln -sf "$dest/tumorboard" "$prefix/bin/tumorboard"
sed "s|^Exec=.*|Exec=$dest/tumorboard|; s|^TryExec=.*|TryExec=$dest/tumorboard|" \
  "$dest/share/tumorboard.desktop" > "$prefix/share/applications/tumorboard.desktop"
cp "$dest/share/tumorboard.png" "$prefix/share/icons/hicolor/256x256/apps/tumorboard.png"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$prefix/share/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q "$prefix/share/icons/hicolor" 2>/dev/null || true
"$dest/tumorboard" --version
echo "installed in $dest; check it with: tumorboard --self-test"
