"""The Grading tab as a user drives it: type values, read the grade, switch edition, look up CTCAE grades."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QWidget

from db.store import Store
from desktop.grading_models import HIGHLIGHT_ROLE
from desktop.grading_tab import CTCAE, GradingTab
from tests.window_support import choose, open_from_search, opened_window, press, search_for, shown

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier


window = pytest.fixture(opened_window)


@pytest.fixture
def tab(qtbot, store: Store) -> GradingTab:  # type: ignore[no-untyped-def]
    return shown(qtbot, GradingTab(store), 1366, 768)


def type_into(qtbot, field: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click into the field, select what is there, and type, as a user would."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(field, text.replace(".", QLocale().decimalPoint()))


def marked(tab: GradingTab) -> list[str]:
    model = tab.rows
    return [model.index(r, 0).data() for r in range(model.rowCount()) if model.index(r, 0).data(HIGHLIGHT_ROLE)]


def test_typing_ki67_and_mitoses_shows_g2(qtbot, tab: GradingTab) -> None:  # type: ignore[no-untyped-def]
    calc = tab.calculator
    assert calc.grade_label.text() == "—"
    type_into(qtbot, calc.ki67, "14")
    type_into(qtbot, calc.mitoses, "3")
    assert calc.grade_label.text() == "G2"
    assert calc.label_label.text() == "NET, grade 2 (intermediate grade)"
    assert calc.rule_label.text() == ("Ki-67 14% falls in 3–20% (G2); mitoses 3 per 10 HPF fall in 2–20 (G2); "
                                      "concordant")
    # the edition the sources print (the everolimus review's Table 1), said with its source; the count as typed
    assert calc.edition_label.text() == "WHO 2010 / ENETS · Cancer Manag Res 2017, Table 1"
    assert calc.edition.currentText() == "WHO 2010 / ENETS · Cancer Manag Res 2017, Table 1"
    qtbot.keyClick(calc.mitoses, Qt.Key.Key_Tab)  # leaving the field: the count stays as typed, not '3.0'
    assert calc.mitoses_label.text() == "&Mitoses (per 10 HPF):" and calc.mitoses.text() == "3"
    assert marked(tab) == ["▶ G2"]


def test_result_follows_each_keystroke(qtbot, tab: GradingTab) -> None:  # type: ignore[no-untyped-def]
    calc = tab.calculator
    choose(qtbot, calc.edition, "WHO 2019 (5th edition) · public standard, not one of the sources")
    assert calc.mitoses_label.text() == "&Mitoses (per 2 mm²):"
    type_into(qtbot, calc.ki67, "2.9")
    assert calc.grade_label.text() == "G1"
    type_into(qtbot, calc.ki67, "20.1")
    assert calc.grade_label.text() == "G3 or NEC"
    assert "differentiation decides" in calc.rule_label.text()
    assert marked(tab) == ["▶ G3", "▶ NEC"]
    choose(qtbot, calc.differentiation, calc.differentiation.itemText(calc.differentiation.findData("poor")))
    assert calc.grade_label.text() == "NEC"


def test_impossible_ki67_is_explained(qtbot, tab: GradingTab) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, tab.calculator.ki67, "150")
    assert tab.calculator.grade_label.text() == "—"
    assert "between 0 and 100" in tab.calculator.notes_label.text()
    assert marked(tab) == []


def test_switching_edition_switches_table_and_units(qtbot, tab: GradingTab) -> None:  # type: ignore[no-untyped-def]
    calc = tab.calculator
    type_into(qtbot, calc.ki67, "25")
    type_into(qtbot, calc.mitoses, "3")
    assert calc.edition.currentData() == "who-enets-2010-gep"  # the edition the sources print, to begin with
    choose(qtbot, calc.edition, calc.edition.itemText(calc.edition.findData("who-2019-gep")))
    assert tab.table_picker.currentData() == "who-2019-gep"
    assert "WHO 2019" in calc.edition_label.text()
    choose(qtbot, calc.edition, calc.edition.itemText(calc.edition.findData("who-enets-2010-gep")))
    assert tab.table_picker.currentData() == "who-enets-2010-gep"
    assert tab.rows.headerData(2, Qt.Orientation.Horizontal) == "Mitotic count\n(per 10 HPF)"
    assert calc.mitoses_label.text() == "&Mitoses (per 10 HPF):"
    assert calc.grade_label.text() == "G3"
    assert "discordant, the higher grade applies (WHO 2010 / ENETS)" in calc.rule_label.text()
    assert "Table 1" in tab.details.text() and "Dataset" in tab.details.text()


def test_lung_site(qtbot, tab: GradingTab) -> None:  # type: ignore[no-untyped-def]
    calc = tab.calculator
    choose(qtbot, calc.site, calc.site.itemText(calc.site.findData("lung")))
    assert not calc.ki67.isEnabled() and calc.necrosis.isEnabled()
    type_into(qtbot, calc.mitoses, "1")
    choose(qtbot, calc.necrosis, calc.necrosis.itemText(calc.necrosis.findData("punctate")))
    assert calc.grade_label.text() == "AC"
    assert marked(tab) == ["▶ AC"]
    type_into(qtbot, calc.mitoses, "11")
    assert calc.grade_label.text() == "HG"
    qtbot.mouseClick(calc.clear_button, Qt.MouseButton.LeftButton)
    assert calc.mitoses.text() == "not given" and calc.grade_label.text() == "—"


def test_picking_a_table_moves_the_calculator(qtbot, tab: GradingTab) -> None:  # type: ignore[no-untyped-def]
    picker = tab.table_picker
    choose(qtbot, picker, picker.itemText(picker.findData("who-2015-lung-thymus")))
    assert tab.calculator.system.id == "who-2015-lung-thymus"
    choose(qtbot, picker, picker.itemText(picker.findData("recist-1.1")))
    assert tab.rows.headers[-2:] == ["Criteria", "Description"]
    assert tab.calculator.system.id == "who-2015-lung-thymus"


def test_ctcae_term_picker(qtbot, tab: GradingTab, store: Store) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab.table_picker, tab.table_picker.itemText(tab.table_picker.findData(CTCAE)))
    panel = tab.ctcae
    assert tab.stack.currentWidget() is panel
    qtbot.keyClicks(panel.filter, "diarr")
    assert [panel.terms.index(r, 0).data() for r in range(panel.terms.rowCount())] == ["Diarrhoea"]
    raw = next(r for r in store.ae_terms() if r["id"] == "diarrhea")
    grades = [(panel.grades.index(r, 0).data(), panel.grades.index(r, 1).data()) for r in range(5)]
    assert grades == [(f"Grade {n}", raw[f"grade{n}"]) for n in range(1, 6)]
    assert panel.grades.headerData(1, Qt.Orientation.Horizontal) == "CTCAE v5.0 description"
    assert "CTCAE v5.0 term: Diarrhea" in panel.title.text()
    assert "Common Terminology Criteria" in panel.source.text()


def test_open_ref(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A grading row, a grading table and an adverse event opened from the search (Enter on the hit)."""
    open_from_search(qtbot, window, "who-2019-gep G3", "grading", "who-2019-gep/G3")
    tab = window.tab("Grading")
    assert window.tabs.currentWidget() is tab
    assert tab.table_picker.currentData() == "who-2019-gep"
    assert tab.rows_view.currentIndex().row() == 2
    open_from_search(qtbot, window, "ecog", "grading", "ecog-performance-status")
    assert tab.rows.system is not None and tab.rows.system.id == "ecog-performance-status"
    open_from_search(qtbot, window, "ppe", "adverse_event", "ppe")
    assert tab.stack.currentWidget() is tab.ctcae and tab.ctcae.term is not None and tab.ctcae.term.id == "ppe"
    search_for(qtbot, window, "no-such-thing")
    assert window.search.model.hit_count() == 0
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)  # nothing to open: the term stays
    assert tab.ctcae.term.id == "ppe" and window.tabs.currentWidget() is tab


def test_result_text_follows_zoom(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, window, "Ctrl+2")
    tab = window.tab("Grading")
    before = tab.calculator.grade_label.font().pointSizeF()
    for _ in range(3):  # 115 %, 130 %, 150 %
        press(qtbot, window, "Ctrl+=")
    assert window.zoom == 1.5
    qtbot.waitUntil(lambda: tab.calculator.grade_label.font().pointSizeF() == pytest.approx(before * 1.5, rel=0.05))


def test_every_control_is_reachable_by_tab(tab: GradingTab) -> None:
    calc = tab.calculator
    tab.table_picker.setCurrentIndex(tab.table_picker.findData(CTCAE))  # its panel is made when first shown
    chain, widget = [], tab.table_picker.nextInFocusChain()
    while widget is not tab.table_picker and len(chain) < 200:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    for control in (calc.site, calc.edition, calc.ki67, calc.mitoses, calc.necrosis, calc.differentiation,
                    calc.clear_button, tab.rows_view, tab.ctcae.filter, tab.ctcae.terms_view):
        assert control in chain and control.focusPolicy() & Qt.FocusPolicy.TabFocus
