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
