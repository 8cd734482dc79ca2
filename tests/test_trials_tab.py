"""The Trials tab as a user drives it: filter, sort, open a study, read its figures and sources."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db.store import Store
from db.trials.table import trial_rows
from desktop.trials_model import HR, PFS, STUDY, N
from desktop.trials_tab import TrialsTab
from tests.window_support import shown

pytestmark = pytest.mark.gui


@pytest.fixture
def tab(qtbot, store: Store) -> TrialsTab:  # type: ignore[no-untyped-def]
    return shown(qtbot, TrialsTab(store), exposed=False)


def names(tab: TrialsTab) -> list[str]:
    return [tab.model.index(r, STUDY).data() for r in range(tab.model.rowCount())]


def choose(combo, text: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)


def test_all_studies_are_listed(tab: TrialsTab, store: Store) -> None:
    assert tab.model.rowCount() == len(store.studies())
    assert f"{tab.model.rowCount()} of {tab.model.rowCount()} studies" in tab.count.text()


def test_disease_filter_includes_narrower_diseases(tab: TrialsTab) -> None:
    choose(tab.disease, "Gastroenteropancreatic neuroendocrine tumour")
    shown = names(tab)
    assert any(n.startswith("RADIANT-3") for n in shown)  # a pNET study under GEP-NET
    assert not any(n.startswith("SELECT") for n in shown)
    choose(tab.disease, "Pancreatic neuroendocrine tumour")
    assert not any(n.startswith("RADIANT-4") for n in names(tab))


def test_phase_and_status_filters_combine(tab: TrialsTab, store: Store) -> None:
    choose(tab.phase, "Phase 3")
    choose(tab.status, "completed")
    expected = {r.id for r in trial_rows(store) if r.phase == "3" and r.status == "completed"}
    assert {r.id for r in tab.model.rows} == expected
    tab.clear_button.click()
    assert tab.model.rowCount() == len(store.studies())


def test_drug_class_filter(tab: TrialsTab) -> None:
    choose(tab.drug_class, "mTOR inhibitor (rapalog)")
    assert tab.model.rows
    assert all("mTOR inhibitor (rapalog)" in r.drug_classes for r in tab.model.rows)


def test_sorting_by_n_puts_missing_values_last(tab: TrialsTab) -> None:
    tab.table.sortByColumn(N, Qt.SortOrder.DescendingOrder)
    values = [r.n for r in tab.model.rows]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True)
    assert values[: len(present)] == present


def test_row_shows_pfs_and_hr_as_printed(tab: TrialsTab) -> None:
    tab.open_ref("radiant-3")
    row = tab.model.row_of("radiant-3")
    assert tab.model.index(row, PFS).data() == "11.4 months vs 5.4 months"
    assert tab.model.index(row, HR).data().startswith("0.34")


def test_opening_a_study_shows_figures_notes_and_citation(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    tab.open_ref("radiant-4")
    text = tab.detail.toPlainText()
    assert "RADIANT-4" in text
    assert "11 months" in text and "3.9 months" in text
    assert "Stomatitis" in text and "63%" in text
    assert "Ambiguous in the source" in text  # the Table 5 header note
    assert "doi:10.2147/CMAR.S113382" in text
    assert "Dataset" in text and "not a recommendation" in text
    current = tab.table.currentIndex()
    assert tab.model.rows[current.row()].id == "radiant-4"


def test_keyboard_moves_through_studies(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert tab.model.rows[1].name in tab.detail.toPlainText()


def test_drug_ref_filters_to_studies_with_that_drug(tab: TrialsTab) -> None:
    tab.open_ref("drug:lenvatinib")
    assert tab.model.rows and all("lenvatinib" in r.drug_ids for r in tab.model.rows)
    assert "drug: lenvatinib" in tab.count.text()


def test_efficacy_chart_draws_the_studies_in_view(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    choose(tab.disease, "Pancreatic neuroendocrine tumour")
    tab.chart_button.click()
    assert tab.bottom.currentWidget() is tab.chart
    labels = [b[0] for b in tab.chart.bars]
    assert "RADIANT-3: Everolimus" in labels and "RADIANT-3: Placebo" in labels
    assert ("RADIANT-3", 0.34) in [(h[0], h[1]) for h in tab.chart.hrs]
    assert "Dataset" in tab.chart.caption.text()
    tab.open_ref("radiant-3")
    assert tab.bottom.currentWidget() is tab.detail


def test_not_reached_is_shown_as_a_word_without_a_unit(tab: TrialsTab) -> None:
    tab.open_ref("caplin-lanreotide")
    row = tab.model.row_of("caplin-lanreotide")
    assert tab.model.index(row, PFS).data() == "NR (not reached) vs 18.0 months"
