"""Toxicity by setting (issue 14): each figure's disease in the table, a disease filter, figures in
evidence order, and the CTCAE v5.0 grades of the selected event beside the table."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from db.presentation import present
from db.store import Store
from db.toxicity.ctcae import ctcae_term
from db.toxicity.plan import plan_chart
from db.toxicity.table import toxicity_rows
from desktop import toxicity_model
from desktop.toxicity_model import ALL, HIGH, STUDY
from desktop.toxicity_tab import ToxicityTab
from tests.test_toxicity_tab import choose
from tests.window_support import shown

pytestmark = pytest.mark.gui


@pytest.fixture
def tab(qtbot, store: Store) -> ToxicityTab:  # type: ignore[no-untyped-def]
    return shown(qtbot, ToxicityTab(store), 1366)


def column(tab: ToxicityTab, col: int | str) -> list[str]:
    """A column's cells; a name ("DISEASE") is looked up in the model's column constants."""
    col = getattr(toxicity_model, col) if isinstance(col, str) else col
    return [tab.model.index(r, col).data() for r in range(tab.model.rowCount())]


def test_each_figure_shows_its_disease_and_all_diseases_is_the_default(qtbot, tab: ToxicityTab) -> None:  # type: ignore[no-untyped-def]
    assert tab.disease_combo.currentText() == "All diseases"
    choose(qtbot, tab, "everolimus")
    shown = dict(zip(column(tab, STUDY), column(tab, "DISEASE"), strict=True))
    assert shown["RADIANT-3"] == "Pancreatic neuroendocrine tumour"
    assert any("thyroid" in d for d in shown.values())  # pooled across diseases, and the table says so
    assert "disease settings: see the Disease column" in tab.message.text()


def test_the_everolimus_chart_is_led_by_the_highest_evidence_study(store: Store) -> None:
    rows = toxicity_rows(store, ["everolimus"])
    plan = plan_chart(rows, ["everolimus"])
    for group in plan.groups:
        studies = [b.row.study_id for b in group.bars if b.row]
        if "radiant-3" in studies:
            assert studies[0] == "radiant-3", (group.ae_name, studies)
    stomatitis = [r.study_name for r in rows if r.ae_id == "stomatitis"]
    assert stomatitis[0] == "RADIANT-3" and "thyroid" not in rows[0].disease_text.casefold()


def test_the_disease_filter_keeps_one_setting(qtbot, tab: ToxicityTab) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, "everolimus")
    everywhere = tab.model.rowCount()
    tab.disease_combo.setFocus()
    qtbot.keyClicks(tab.disease_combo, "Pancreatic")  # a combo box selects the item typed
    assert tab.disease() == "pnet"
    shown = column(tab, "DISEASE")
    assert shown and 0 < len(shown) < everywhere
    assert all("Pancreatic neuroendocrine tumour" in d for d in shown)
    assert "in Pancreatic neuroendocrine tumour" in tab.message.text()
    studies = set(column(tab, STUDY))
    # the chart follows in the next turn of the event loop (the table first)
    qtbot.waitUntil(lambda: bool(tab.chart.tick_labels)
                    and all(label.split(" · ")[-1] in studies for label in tab.chart.tick_labels), timeout=5000)
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new word, not "PancreaticRadioiodine"
    qtbot.keyClicks(tab.disease_combo, "Radioiodine")
    assert tab.disease() == "rair-dtc"
    assert all("thyroid" in d.casefold() for d in column(tab, "DISEASE"))


def test_selecting_a_figure_shows_ctcae_grades_beside_the_table(qtbot, tab: ToxicityTab, store: Store) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, "everolimus")
    assert "Select a figure" in tab.ctcae.title.text()
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    row = tab.model.row(tab.table.currentIndex().row())
    term = ctcae_term(store, row.ae_id)
    assert term is not None and tab.ctcae.term == term
    assert row.ae_name in tab.ctcae.title.text() and "CTCAE v5.0" in tab.ctcae.title.text()
    grades = tab.ctcae.grades_view.model()
    shown = [grades.index(n, 1).data() for n in range(grades.rowCount())]
    assert shown[2] == (term.grade(3) or shown[2]) and len(shown) == 5
    assert "CTCAE" in tab.ctcae.source.text()
    left = tab.ctcae.mapTo(tab, QPoint(0, 0)).x()
    assert tab.ctcae.isVisible() and left >= tab.table.mapTo(tab, QPoint(tab.table.width(), 0)).x()  # beside it
    # the figure text still comes from db/presentation/present.py, marks kept
    n = tab.table.currentIndex().row()
    assert tab.model.index(n, ALL).data() == present.text(row.all_grade, "value")  # "not reported" for None
    assert tab.model.index(n, HIGH).data() == row.high_text
