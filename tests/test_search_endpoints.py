"""End-point words with a drug (issue 24): 'sorafenib pfs' and 'sorafenib progression-free' find the drug's
studies that report PFS, the best evidence among them first, whichever spelling the source printed."""

from __future__ import annotations

import pytest

from db.presentation import evidence
from db.store import Store
from tumorboard.cli import main

PFS = {"pfs_median", "pfs_rate", "pfs_hr"}
RESPONSE = {"orr", "cr", "pr", "orr_difference"}


def _reports(study: dict, measures: set[str]) -> bool:
    figures = [o for a in study["arms"] for o in a["outcomes"]] + list(study.get("comparisons") or ())
    return any(o["measure"] in measures for o in figures)


def _best_with(store: Store, drug: str, measures: set[str]) -> dict | None:
    """The drug's highest study in the evidence order (db/presentation/evidence.py) among those that test it
    and report a figure for the end point; among all its studies with one when none tests it."""
    studies = [s for s in (store.study(r["id"]) for r in store.studies()) if s is not None]
    mine = [s for s in studies if _reports(s, measures)
            and any(drug in a["regimen_key"].split("+") for a in s["arms"])]
    tested = [s for s in mine if any(evidence.tests(s, a["regimen_key"]) for a in s["arms"]
                                     if drug in a["regimen_key"].split("+"))]
    return min(tested or mine, key=evidence.evidence_key) if mine else None


def _drugs_with(store: Store, measures: set[str]) -> list[tuple[dict, dict]]:
    found = [(d, _best_with(store, d["id"], measures)) for d in store.drugs() if d["id"] != "placebo"]
    return [(d, best) for d, best in found if best is not None]


@pytest.mark.parametrize(("word", "measures", "drugs"), [
    ("pfs", PFS, 25), ("PFS", PFS, 25), ("progression-free", PFS, 25), ("progression free survival", PFS, 25),
    ("orr", RESPONSE, 15), ("response", RESPONSE, 15)])
def test_every_drug_with_an_end_point_finds_its_best_study_reporting_it_in_the_top_three(
        store: Store, word: str, measures: set[str], drugs: int) -> None:
    checked = _drugs_with(store, measures)
    assert len(checked) >= drugs  # every drug of the dataset with such a figure somewhere
    missed = []
    for drug, best in checked:
        top = [h.ref for h in store.search(f"{drug['name']} {word}", 3)]
        if best["id"] not in top:
            missed.append(f"{drug['name']}: {best['id']} not in {top}")
    assert not missed


def test_sorafenib_pfs_lists_decision_whose_text_spells_the_end_point_out(store: Store) -> None:
    decision = store.study("decision")
    assert decision is not None and "PFS" not in (decision["summary"] or "")  # the summary spells it out
    assert "decision" in [h.ref for h in store.search("sorafenib pfs", 3)]


def test_progression_free_after_a_drug_is_the_end_point_not_an_earlier_therapy(store: Store) -> None:
    """'lenvatinib progression' asks for patients who progressed on it; 'sorafenib progression-free' for
    sorafenib's PFS: every hit is a sorafenib study, none says who was treated before."""
    hits = [h for h in store.search("sorafenib progression-free", 20) if h.kind == "study"]
    assert hits and all(not h.population for h in hits)
    for h in hits:
        study = store.study(h.ref)
        assert study is not None and any("sorafenib" in a["regimen_key"].split("+") for a in study["arms"])
    assert store.search("lenvatinib progressed", 5)[0].population  # the earlier-therapy reading stays


@pytest.mark.parametrize("drug", ["sorafenib", "lenvatinib"])
def test_a_bare_progression_after_a_drug_is_read_both_ways_and_says_so(store: Store, drug: str) -> None:
    """'sorafenib progression' may ask for sorafenib's PFS or for patients who progressed on sorafenib: the
    hits take the two readings in turn ('sorafenib pfs' first), and the notice names both."""
    both = store.search(f"{drug} progression", 12)
    end_point = [h.ref for h in store.search(f"{drug} pfs", 12)]
    after = [h.ref for h in store.search(f"after {drug}", 12)]
    assert end_point and after and both.notice.startswith("“progression” read two ways")
    firsts = list(dict.fromkeys([end_point[0], after[0]]))
    assert [h.ref for h in both][:len(firsts)] == firsts
    assert set(end_point[:3]) | set(after[:3]) <= {h.ref for h in both}
    assert "after" in both.notice and f"{drug} pfs" in both.notice
    if drug == "sorafenib":
        assert "decision" in [h.ref for h in both][:3]


def test_command_line_sorafenib_pfs(home: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "sorafenib pfs", "--limit", "3"]) == 0
    assert "DECISION" in capsys.readouterr().out
