"""Whom an n counts, in words, for every scope the seeds give (db/presentation/present.py `count_text`): the
served study list and the Compare cells, on the shipped data. Checked against the seeds' `scope` fields."""

from __future__ import annotations

from db.compare.summaries import build_comparison
from db.releases.serve import serving_rows
from db.store import Store


def test_the_served_n_of_a_study_says_whom_it_counts(store: Store) -> None:
    rows = {r["id"]: r["enrolled"] for r in serving_rows(store, "")["studies"]}
    assert rows["lenvatinib-pembrolizumab-phase2"] == "n=29 evaluable"  # evaluable: {value: "29", scope: evaluable}
    assert rows["selitrectinib-trk-pretreated"] == "n=31 treated"  # enrolled: {value: "31", scope: treated}
    assert rows["radiant-2"] == "n=429 enrolled"  # enrolled: {value: "429", scope: enrolled}


def test_an_arm_counted_in_a_subgroup_says_so_in_compare(store: Store) -> None:
    """LIBRETTO-001's selpercatinib arm: n: {value: "19", scope: subgroup}."""
    c = build_comparison(store, "thyroid-cancer", ["selpercatinib"])
    assert c.cell_text(c.topics.index("studies"), 0).startswith("LIBRETTO-001: phase 1-2, n=19 in the subgroup [")


def test_a_missed_primary_end_point_follows_its_hazard_ratio_in_the_served_list(store: Store) -> None:
    """RADIANT-2: HR 0.77, primary end point not met at the pre-specified boundary p ≤ 0.0246 (radiant-2.yaml);
    a non-significant result must never read as significant."""
    rows = [r for r in serving_rows(store, "")["drug_studies"]
            if (r["study_id"], r["drug_id"]) == ("radiant-2", "everolimus")]
    assert rows and all(r["pfs_hr"].startswith("0.77") for r in rows)
    assert all(r["pfs_hr"].endswith(", primary end point not met (boundary p ≤ 0.0246 as printed)") for r in rows)
