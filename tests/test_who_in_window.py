"""Who each study treated, what it set out to show and how it was built, as a user sees them in the real
window at 1366×768: a study opened from search by keyboard, its pane read; the Trials tab's Line and
Markers filters typed into. Expected studies come from the stores' population and design (the seeds),
never from the filter or pane code under test."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from desktop.trials_model import LINE, MARKERS, PHASE
from tests import test_walkthrough as walkthrough
from tests.test_walkthrough import ALT, Key, Walk, in_view, study_in_view, walk

pytestmark = pytest.mark.gui
window, user_home, strays = walkthrough.window, walkthrough.user_home, walkthrough.strays  # its real window, 1366×768


def opened(w: Walk, query: str, hit: str) -> tuple[Any, str]:
    """Ctrl+K, the query, Enter on its first hit: the Trials tab and the pane's text, whitespace folded."""
    w.search(query)
    assert w.current_hit() == hit
    w.key(Key.Key_Return)
    trials = w.tab("Trials")
    assert study_in_view(trials) == hit
    return trials, " ".join(trials.detail.toPlainText().split())


def test_radiant_2_says_whom_it_treated_and_that_its_primary_end_point_was_not_met(qtbot,  # type: ignore[no-untyped-def]
                                                                                    window: MainWindow) -> None:
    w = walk(qtbot, window, "who-radiant-2")
    trials, pane = opened(w, "RADIANT-2", "RADIANT-2 (Pavel)")
    assert in_view(trials.detail, "Who was treated"), "who was treated opens the pane"
    who = pane[pane.index("Who was treated"):pane.index("Median PFS 16.4 months")]  # before the figures
    assert "Advanced functional NETs of GEP or lung origin" in who
    assert "functional tumours [Cancer Manag Res 2017, Table 4; Activity of everolimus in patients with NETs]" in who
    assert "not stated in the source: line, prior therapy, markers, SSTR status, grades" in who
    assert "Primary end point (progression-free survival): not met (boundary p ≤ 0.0246 as printed)" in who
    assert "⚠ The review reports that the PFS gain (p=0.026) missed the pre-set boundary" in who  # the item's note
    assert "(crossover 58% as printed)" in who
    assert pane.startswith("RADIANT-2 (Pavel)") and "Randomised phase 3 · completed" in pane
    between = pane[pane.index("Between arms"):]
    assert ("Hazard ratio, PFS Everolimus 10 mg/day + octreotide LAR 30 mg every 28 days vs Placebo + octreotide "
            "LAR 30 mg every 28 days") in between
    assert "everolimus-octreotide vs" not in pane
    w.shot("pane")


def test_comparisons_are_named_by_the_arms_labels(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    w = walk(qtbot, window, "who-calgb")
    _trials, pane = opened(w, "CALGB 80701", "CALGB 80701 (Kulke)")
    assert "Everolimus + octreotide + bevacizumab vs Everolimus + octreotide" in pane
    assert "everolimus-octreotide-bevacizumab vs" not in pane


def test_the_vemurafenib_cohorts_show_whom_each_treated(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    w = walk(qtbot, window, "who-vemurafenib")
    _trials, pane = opened(w, "vemurafenib PTC", "Vemurafenib in BRAF V600E PTC (NCT01286753)")
    who = pane[pane.index("Who was treated"):pane.index("Primary end point")]
    study, naive = who.split("Cohort 1: no prior VEGFR multikinase inhibitor (cohort)")
    naive, pretreated = naive.split("Cohort 2: prior multikinase inhibitor (cohort)")
    assert "BRAF V600E required" in study and "⚠ some had earlier systemic therapy" in study
    assert naive.startswith(": never treated with a VEGFR multikinase inhibitor")
    assert "no earlier VEGFR-targeted multikinase inhibitor [Pitoia 2022, Table 1;" in naive
    assert "not stated in the source: line" in naive and "after VEGFR" not in naive
    assert pretreated.startswith(": previously treated with a multikinase inhibitor")
    assert "after earlier systemic therapy [Pitoia 2022" in pretreated
    assert "after VEGFR-targeted multikinase inhibitor" in pretreated and "no earlier" not in pretreated
    assert "Non-randomised phase 2, 2 cohorts" in pane
    w.shot("pane")


def test_luna_is_three_arms_of_unstated_allocation_never_single_arm(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    w = walk(qtbot, window, "who-luna")
    trials, pane = opened(w, "LUNA", "LUNA (Ferolla)")
    assert "Phase 2, 3 arms (allocation not stated) · completed" in pane and "single-arm" not in pane
    cell = trials.model.index(trials.table.currentIndex().row(), PHASE)
    assert cell.data() == "2, 3 arms"
    assert "phase 2, 3 arms (allocation not stated)" in cell.data(Qt.ItemDataRole.ToolTipRole)
    store = window.store
    assert store is not None
    allocation = {s["id"]: (s["design"] or {}).get("allocation") for s in store.studies()}
    for row in trials.model.rows:  # 'single-arm' where, and only where, the source says the allocation was
        assert ("single-arm" in row.design_short) == (allocation[row.id] == "single-arm"), row.name
    w.shot("pane")


def test_typing_braf_into_the_markers_filter_keeps_the_braf_selected_studies(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    w = walk(qtbot, window, "who-markers")
    w.key(Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    trials = w.tab("Trials")
    store = window.store
    assert store is not None
    markers = {s["id"]: (s["population"] or {}).get("markers") for s in store.studies()}
    braf = {i for i, listed in markers.items() if isinstance(listed, list)
            and any(str(m.get("marker")).startswith("braf") for m in listed)}
    assert braf == {"vemurafenib-ptc-phase2", "dabrafenib-trametinib-ptc-phase2"}  # the seeds' two BRAF studies
    w.key(Key.Key_M, ALT)
    assert trials.markers.hasFocus()
    w.type("BRAF")
    assert trials.markers.currentText() == "BRAF"
    assert {r.id for r in trials.model.rows} == braf
    assert all("BRAF" in trials.model.index(r, MARKERS).data() for r in range(trials.model.rowCount()))
    assert trials.count.text().startswith(f"2 of {len(store.studies())} studies")
    w.shot("braf")
    w.type(" V600E")
    assert {r.id for r in trials.model.rows} == {"vemurafenib-ptc-phase2"}
    w.key(Key.Key_Tab)
    assert w.focused() is trials.clear_button
    w.key(Key.Key_Space)
    assert trials.model.rowCount() == len(store.studies()) and trials.markers.currentText() == "Any"


def test_choosing_a_line_by_keyboard_keeps_the_studies_of_that_line(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    w = walk(qtbot, window, "who-line")
    w.key(Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    trials = w.tab("Trials")
    store = window.store
    assert store is not None
    lines = {s["id"]: (s["population"] or {}).get("line") for s in store.studies()}
    later = {i for i, line in lines.items() if isinstance(line, dict) and line.get("value") == "later"}
    assert "cosmic-311" in later  # after up to two earlier VEGFR-targeted therapies
    w.key(Key.Key_N, ALT)
    assert trials.line.hasFocus()
    w.type("l")  # a closed box goes to the entry its typed letters begin
    assert trials.line.currentText() == "later"
    assert {r.id for r in trials.model.rows} == later
    assert {trials.model.index(r, LINE).data() for r in range(trials.model.rowCount())} == {"later"}
    w.shot("later")
