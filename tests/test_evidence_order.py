"""The evidence order and design words for designs the bundled seeds do not hold (a phase 4 trial, a series
whose phase is not stated, a randomised trial of unstated phase, a therapy tested only in strata), on a seed
folder of one study per rung, as the served dataset lists them and the lead study is chosen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.building.build import build
from db.releases.serve import serving_rows
from db.store import Store
from tests.conftest import MINI, SEEDS
from tests.samples import STUDY

SERIES = ("real-world series", "retrospective series", "compassionate use", "expanded access")

# (id, phase, kind, the design as db/presentation/evidence.py's docstring words it), in the documented order:
# randomised phase 3; other phase 3 (2-3 and 4 count as 3); randomised phase 2 (so does a randomised trial of
# unstated phase); single-arm phase 2 (1-2 and 1b-2 count as 2); phase 1 (1b too); observational (a series,
# whatever its phase, and a study whose phase says so); design not stated. Within a rung, the larger n first.
LADDER = [
    ("rp3", "3", "randomized trial", "randomised phase 3"),
    ("p23", "2-3", "trial, design not stated", "phase 2-3"),
    ("p4", "4", "trial, design not stated", "phase 4"),
    ("rns", "not stated", "randomized trial", "randomised trial"),
    ("rp2", "2", "randomized trial", "randomised phase 2"),
    ("p1b2", "1b-2", "trial, design not stated", "phase 1b-2"),
    ("p12", "1-2", "trial, design not stated", "phase 1-2"),
    ("p2", "2", "single-arm trial", "phase 2"),
    ("p2e", "2", "single-arm trial", "phase 2"),  # n: its evaluable count (no enrolment printed)
    ("p2a", "2", "single-arm trial", "phase 2"),  # n: its arm's (neither enrolment nor evaluable printed)
    ("p1b", "1b", "trial, design not stated", "phase 1b"),
    ("p1", "1", "trial, design not stated", "phase 1"),
    *((f"series{i}", "not stated", kind, "observational") for i, kind in enumerate(SERIES)),
    ("obs", "observational", "trial, design not stated", "observational"),
    ("ns", "not stated", "trial, design not stated", "design not stated"),
]
# n grows down the ladder, so a study put on a lower rung than its design sorts after that rung's studies (larger
# n) and one put on a higher rung before them: either way out of place
N = {sid: 100 + 10 * i for i, (sid, *_rest) in enumerate(LADDER)}
N["p1"] = N["p1b"]  # the same n: the more recent year first, though its id sorts after
YEAR = {"p1": "2015", "p1b": "2020"}
RUNGS = ((0, 1), (1, 3), (3, 5), (5, 10), (10, 12), (12, 17), (17, 18))  # slices of LADDER


def _study(sid: str, phase: str, kind: str) -> str:
    randomised = kind == "randomized trial"
    text = (STUDY.replace("id: test-study", f"id: {sid}").replace("acronym: TEST-1", f"acronym: {sid.upper()}")
            .replace('phase: "3"', f'phase: "{phase}"').replace("kind: randomized trial", f"kind: {kind}")
            .replace('enrolled: {value: "100"', f'enrolled: {{value: "{N[sid]}"'))
    if not randomised:
        text = text.replace("allocation: randomised", "allocation: not stated").replace('groups: "2"',
                                                                                       "groups: not stated")
    if sid == "rp3":  # the therapy's arm is a stratum: it still speaks for it
        text = text.replace("role: experimental", "role: stratum")
    enrolled = f'enrolled: {{value: "{N[sid]}", scope: randomised}}\n'
    if sid == "p2e":
        text = text.replace(enrolled, f'evaluable: {{value: "{N[sid]}", scope: evaluable}}\n')
    elif sid == "p2a":
        text = text.replace(enrolled, "").replace("    role: experimental\n",
                                                  f'    role: experimental\n    n: {{value: "{N[sid]}", scope: arm}}\n')
    if sid in YEAR:
        text = text.replace("status: completed\n", f'status: completed\nyear: "{YEAR[sid]}"\n')
    return text


@pytest.fixture(scope="module")
def ladder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ladder")
    seeds = root / "seeds"
    for name in MINI:
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SEEDS / name, seeds / name)
    (seeds / "studies").mkdir()
    for sid, phase, kind, _design in LADDER:
        (seeds / "studies" / f"{sid}.yaml").write_text(_study(sid, phase, kind), encoding="utf-8")
    build(seeds, root / "dataset.sqlite3")
    return root / "dataset.sqlite3"


def test_each_design_takes_its_documented_rung_in_the_served_order_and_reads_as_it_says(ladder: Path) -> None:
    store = Store(ladder)
    try:
        served = serving_rows(store, "")["studies"]
    finally:
        store.close()
    rungs = [[sid for sid, *_rest in LADDER[a:b]] for a, b in RUNGS]
    expected = [sid for rung in rungs for sid in sorted(rung, key=lambda s: (-N[s], -int(YEAR.get(s, 0))))]
    assert [r["id"] for r in served] == expected
    assert {r["id"]: r["design"] for r in served} == {sid: design for sid, _p, _k, design in LADDER}


def test_a_therapy_tested_only_in_strata_has_its_lead_study_there(ladder: Path) -> None:
    store = Store(ladder)
    try:
        assert store.lead_study(drug="everolimus") == "rp3"
        assert store.lead_study(drug="everolimus", disease="pnet") == "rp3"
    finally:
        store.close()


def test_a_study_of_cohorts_speaks_for_its_therapy(store: Store) -> None:
    """Vemurafenib's PTC trial gives it in two cohorts (and a pooled arm): its lead study in PTC, before the
    smaller neoadjuvant trial."""
    assert store.lead_study(drug="vemurafenib", disease="ptc") == "vemurafenib-ptc-phase2"


def test_in_a_disease_with_no_parent_the_lead_study_is_one_in_it_not_a_better_design_elsewhere(store: Store) -> None:
    """Thyroid cancer is a root of the disease tree: everolimus's lead there is a thyroid study (Bauman,
    randomised phase 2), not RADIANT-3 (randomised phase 3, pancreatic NET)."""
    named, parents = store.disease_tree.setting("thyroid-cancer")
    assert not parents
    lead = store.lead_study(drug="everolimus", disease="thyroid-cancer")
    assert lead == "bauman-2022" and set(store.study(lead)["diseases"]) & named
    assert store.lead_study(drug="everolimus") == "radiant-3"


def test_a_study_in_a_parent_of_the_disease_leads_before_a_better_design_in_an_unrelated_one(store: Store) -> None:
    """Everolimus in midgut NET: no midgut study tests it; RADIANT-4 (GI and lung NET; GI NET is midgut NET's
    parent) leads, not RADIANT-3 (pancreatic NET, a sibling). In PTC, a thyroid study, not RADIANT-3."""
    named, parents = store.disease_tree.setting("midgut-net")
    assert store.lead_study(drug="everolimus", disease="midgut-net") == "radiant-4"
    assert set(store.study("radiant-4")["diseases"]) & parents and not set(store.study("radiant-3")["diseases"]) & (
        named | parents)
    ptc = store.lead_study(drug="everolimus", disease="ptc")
    assert ptc is not None and set(store.study(ptc)["diseases"]) & set().union(*store.disease_tree.setting("ptc"))
