"""The Trials table's narrow columns put a figure's marks in front (a narrow column elides the end): a figure
without a mark keeps its text whole, one with a mark has it first (db/presentation/present.py `_placed`), on the
shipped data, checked against the seeds (radiant-3.yaml: 11.4 vs 5.4 months, n 410 randomised; decision.yaml:
10.8 vs 5.8 months and n 207, both marked by notes)."""

from __future__ import annotations

from db.store import Store
from db.trials.table import trial_rows


def test_narrow_cells_keep_an_unmarked_figure_whole_and_put_marks_first(store: Store) -> None:
    rows = {r.id: r for r in trial_rows(store)}
    radiant, decision = rows["radiant-3"], rows["decision"]
    assert radiant.figures_cell("pfs", "front") == "11.4 months vs 5.4 months"
    assert radiant.n_cell("front") == "410 randomised"
    assert decision.figures_cell("pfs", "front") == "⚠ 10.8 months vs 5.8 months"
    assert decision.n_cell("front") == "⚠ 207 enrolled"


def test_a_narrow_cell_keeps_a_missed_end_point_in_view_right_after_its_figure(store: Store) -> None:
    """RADIANT-2 (radiant-2.yaml): HR 0.77 with a caveat, the primary end point not met at the pre-specified
    boundary p ≤ 0.0246. The narrow HR column shows the mark first and 'not met' right after the value; the wide
    text keeps the verdict in full, after the value."""
    radiant2 = next(r for r in trial_rows(store) if r.id == "radiant-2")
    assert radiant2.figures_cell("hr", "front") == "† 0.77 not met"
    assert radiant2.figures_cell("hr", "after") == "0.77†, primary end point not met (boundary p ≤ 0.0246 as printed)"


def test_a_narrow_cell_gives_a_mark_both_figures_share_once_in_front(store: Store) -> None:
    """COOPERATE-2 (cooperate-2.yaml): one contradiction note marks both arms' median PFS (16.8 and 16.6 months,
    swapped between the text and Table 3): the narrow cell says it once, first; the wide text after each figure."""
    cooperate = next(r for r in trial_rows(store) if r.id == "cooperate-2")
    assert cooperate.figures_cell("pfs", "front") == "⚠ 16.8 months vs 16.6 months"
    assert cooperate.figures_cell("pfs", "after") == "16.8 months⚠ vs 16.6 months⚠"
