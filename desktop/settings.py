"""Window layout, last tab and zoom, remembered between sessions in the user's data folder."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from db.paths import data_home


def settings() -> QSettings:
    """An INI file beside the dataset, so TUMORBOARD_HOME isolates tests and admins' setups."""
    return QSettings(str(data_home() / "settings.ini"), QSettings.Format.IniFormat)
