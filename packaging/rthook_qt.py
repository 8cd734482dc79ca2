# Run-time hook, Linux: replaces PyInstaller's pyi_rth_pyside6, which imports QtCore (and
# shiboken's signature machinery, ~75 ms) before the program starts, to check for a qt.conf
# that PySide6 from PyPI embeds by itself when it is imported. Only the plugin path is needed.
import os
import sys

os.environ["QT_PLUGIN_PATH"] = os.path.join(sys._MEIPASS, "PySide6", "Qt", "plugins")  # noqa: PTH118
