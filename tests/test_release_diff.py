"""The release diff: figures by stable id, old -> new as db/presentation/present.py writes them, and what else
changed."""

from __future__ import annotations

from pathlib import Path

from db.building.build import build
from db.releases.diff import diff


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_diff_lists_changed_added_and_removed_figures_new_caveats_and_other_details(
        built_db: Path, seeds_copy: Path, tmp_path: Path) -> None:
    study = seeds_copy / "studies" / "radiant-3.yaml"
    _edit(study, '{measure: sd, value: "73"}', '{measure: sd, value: "73", at: Table 9}')  # another source
    _edit(study, '      - {measure: pr, value: "2"}\n', "")  # the placebo arm's PR is removed
    _edit(study, '{term: Rash, ae: rash, all_grade: "49", grade_3_4: "<1", at: Table 5}',
          '{term: Rash, ae: rash, all_grade: "48", grade_3_4: "<1", at: Table 5}')
    _edit(study, "{drug: everolimus, dose: 10 mg, route: oral", "{drug: everolimus, dose: 5 mg, route: oral")
    # a new outcome at the end of the placebo arm
    _edit(study, "comparisons:\n", "      - {measure: cbr, value: \"80\"}\ncomparisons:\n")
    _edit(study, "notes:\n", "notes:\n  - kind: contradiction\n    text: A new disagreement.\n"
                             "    figures: [everolimus/pfs_median]\n    at: Table 4\n")
    new = tmp_path / "new.sqlite3"
    build(seeds_copy, new)
    d = diff(built_db, new)
    changes = {f.figure_id: f for f in d.figures_changed}
    assert set(changes) == {"radiant-3/everolimus/sd", "radiant-3/placebo/pr", "radiant-3/everolimus/ae/rash",
                            "radiant-3/placebo/cbr"}
    sd = changes["radiant-3/everolimus/sd"]
    assert (sd.change, sd.old, sd.new, sd.old_source, sd.new_source) == (
        "changed", "73%", "73%", "cmr2017, Table 4", "cmr2017, Table 9")
    assert changes["radiant-3/placebo/pr"].change == "removed" and changes["radiant-3/placebo/pr"].new is None
    assert changes["radiant-3/placebo/cbr"].change == "added" and changes["radiant-3/placebo/cbr"].new == "80%"
    assert (changes["radiant-3/everolimus/ae/rash"].old, changes["radiant-3/everolimus/ae/rash"].new) == (
        "any grade 49%, grade 3–4 <1%", "any grade 48%, grade 3–4 <1%")
    [caveat] = d.caveats_added
    assert (caveat.figure_id, caveat.kind, caveat.text) == ("radiant-3/everolimus/pfs_median", "contradiction",
                                                            "A new disagreement.")
    assert [(c.kind, c.id, c.fields) for c in d.details_changed] == [("study", "radiant-3", ("arms",))]
    assert d.summary() == "4 figures changed, 1 caveat added, 1 other entry changed"
    assert diff(built_db, built_db).empty
