"""The options of a case read from the rows the build writes for them (db/building/case_rows.py) are the
options worked out from the whole nested studies: the same therapies in the same groups and order, with the
same lead study and arm, reasons and studies; on the shipped data and on a generated registry whose
populations, diseases and designs vary far more than the shipped ones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.case_bench import CASES
from benchmarks.synthetic import write_registry
from db.case import FIT_ORDER, Case, case_options, resolve_case
from db.case.fit import Judge
from db.case.options import MAX_OTHER_CONFLICTS, _group, _Setting, setting_reason
from db.presentation.evidence import TESTED_ROLES, evidence_key
from db.presentation.identifiers import arm_name
from db.presentation.who import Names
from db.presentation.who_words import population_of
from db.store import Store
from tests.test_query_plans import scans

DONE_WHEN = ({"disease": "pnet", "prior": ["octreotide"]},
             {"disease": "rair-dtc", "prior": ["lenvatinib"], "markers": ["braf-v600e"]})
MORE = ({"disease": "NET", "prior": ["MKI"], "markers": ["RET fusion"]},
        {"disease": "GI NET", "functional": False, "sstr": "negative", "negative": ["BRAF V600E"]},
        {"disease": "thyroid cancer"})


@pytest.fixture(scope="module")
def registry_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_registry(500, tmp_path_factory.mktemp("case") / "registry.sqlite3").path


@pytest.fixture(params=["shipped", "registry"])
def any_store(request: pytest.FixtureRequest, built_db: Path, registry_db: Path) -> Iterator[Store]:
    store = Store(built_db if request.param == "shipped" else registry_db)
    yield store
    store.close()


def from_studies(store: Store, case: Case) -> list[tuple[Any, ...]]:
    """The options by the rules of db/case/options.py, applied to every nested study (Store.studies) in seed
    order: each arm under test judged on its own, each therapy's arms ranked by the evidence order itself."""
    tree = store.disease_tree
    family = tree.below(tree.lineage(case.disease)[-1])
    named, parents = tree.setting(case.disease)
    where = _Setting(tree, case.disease, frozenset(named), frozenset(parents))
    names = Names.of(store)
    judge = Judge(case, names.classes, names.markers)
    arms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for study in store.studies():
        if not set(study["diseases"]) & family:
            continue
        # the reasons have always named a study's diseases by id (the order of study_diseases' key)
        study = {**study, "diseases": sorted(study["diseases"])}
        own = set(study["diseases"])
        setting = "in" if own & named else "parent" if own & parents else "other"
        for arm in study["arms"]:
            if arm["role"] not in TESTED_ROLES:
                continue
            found = arms[arm["regimen_key"]]
            verdict = judge.verdict(population_of(study, arm))
            found.append({"study": study, "key": arm["key"], "name": arm_name(study, arm),
                          "regimen_label": arm["regimen_label"], "setting": setting, "verdict": verdict,
                          "group": _group(setting, needs=bool(verdict.needs), conflicts=bool(verdict.conflicts)),
                          "rank": (*evidence_key(study, named, parents), len(found))})
    out = []
    for regimen, found in arms.items():
        best = min(a["group"] for a in found)
        lead = min((a for a in found if a["group"] == best), key=lambda a: a["rank"])
        others = sorted((a for a in found if a is not lead and a["verdict"].conflicts), key=lambda a: a["rank"])
        drugs = regimen.split("+")
        received = bool(case.prior_drugs) and set(drugs) <= set(case.prior_drugs)
        reasons = [f"already received ({', '.join(case.name(d) for d in drugs)})"] if received else []
        reasons.append(setting_reason(where, lead["study"]["diseases"], lead["setting"], lead["name"]))
        reasons += [*lead["verdict"].conflicts, *lead["verdict"].needs, *lead["verdict"].unstated]
        for a in others[:MAX_OTHER_CONFLICTS]:
            reasons += [f"{a['name']}: {c}" for c in a["verdict"].conflicts]
        if len(others) > MAX_OTHER_CONFLICTS:
            more = len(others) - MAX_OTHER_CONFLICTS
            reasons.append(f"and {more} more arm{'s' if more != 1 else ''} with a conflict")
        studies = dict.fromkeys(a["study"]["id"] for a in sorted(found, key=lambda a: (a["group"], a["rank"])))
        out.append((best, lead["rank"], found[0]["regimen_label"],
                    (regimen, found[0]["regimen_label"], FIT_ORDER[best], tuple(dict.fromkeys(reasons)),
                     lead["study"]["id"], lead["key"], tuple(studies), received)))
    return [o[-1] for o in sorted(out)]


@pytest.mark.parametrize("typed", [*CASES, *DONE_WHEN, *MORE], ids=lambda c: " ".join(map(str, c.values())))
def test_the_options_are_those_of_the_whole_studies(any_store: Store, typed: dict[str, Any]) -> None:
    case = resolve_case(any_store, **typed)
    found = [(o.therapy, o.label, o.fit, o.reasons, o.lead_study, o.lead_arm, o.studies, o.already_received)
             for o in case_options(any_store, case).options]
    assert found and found == from_studies(any_store, case)


def test_the_registry_exercises_every_group_and_the_counted_conflicts(registry_db: Path) -> None:
    """The comparison above is not vacuous at the registry: every group is reached, and some therapy
    counts more conflicting arms than it names."""
    store = Store(registry_db)
    try:
        options = [o for typed in (*CASES, *MORE) for o in case_options(store, resolve_case(store, **typed)).options]
    finally:
        store.close()
    assert {o.fit for o in options} == set(FIT_ORDER)
    assert any(r.startswith("and ") and r.endswith("with a conflict") for o in options for r in o.reasons)
    assert any(len(o.studies) > 5 for o in options)


def test_a_case_reads_its_family_through_indexes(any_store: Store) -> None:
    """No whole-table read of what grows with the registry (studies, arms, their diseases, the case's rows):
    only the few distinct disease lists and populations."""
    case = resolve_case(any_store, "pnet", prior=["octreotide"])
    small = ("case_diseases", "case_populations", "json_each")
    found = [s for s in scans(any_store.conn, lambda: case_options(any_store, case))
             if not s.startswith(tuple(f"SCAN {t}" for t in small))]
    assert found == []


def test_a_name_holding_the_list_separator_is_refused_at_build() -> None:
    """The names of a therapy's arms are stored joined by U+001F and split by the options: a cohort label
    holding it would shift every name after it, so the build refuses it rather than write a wrong reason."""
    from db.building.case_rows import case_rows
    from db.building.rows import tables
    from db.dataset.seeds import read_dataset
    from tests.conftest import SEEDS

    rows = tables(read_dataset(SEEDS)[0])
    assert case_rows(rows)["case_therapies"]
    cohort = next(a for a in rows["arms"] if a["role"] == "cohort")
    cohort["label"] = "Cohort 2\x1fprior MKI"
    with pytest.raises(ValueError, match="U\\+001F"):
        case_rows(rows)


def test_an_arms_rank_orders_as_its_evidence_key() -> None:
    """The one number an arm is sorted by (group, not in the setting, design, not the named disease, minus the
    share) orders every combination as the key tuple does, ties included: shares of up to 12 diseases."""
    from itertools import product

    from db.case.options import DESIGN_STEP, DESIGNS, _place_rank

    shares = sorted({k / n for n in range(1, 13) for k in range(n + 1)})
    keys = [(group, away, design, broader, -share) for group, away, design, broader, share
            in product(range(len(FIT_ORDER)), (False, True), range(DESIGNS), (False, True), shares)]
    rank = {key: _place_rank(key[0], (key[1], key[3], key[4])) + key[2] * DESIGN_STEP for key in keys}
    assert sorted(keys, key=rank.__getitem__) == sorted(keys)
    assert len(set(rank.values())) == len(keys)
