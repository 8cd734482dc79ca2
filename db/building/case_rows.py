"""The rows the options of a case read (db/case/options.py), written at build time (db/dataset/schema.py:
case_therapies, case_diseases, case_populations), so a case reads only its disease family's arms under test, by
therapy and in the evidence order's part that no case changes, and no study or population.

- case_therapies: one row per therapy and family of diseases (`root`: a study in two families is in both)
  with its arms under test (experimental, single, cohort, stratum; db/presentation/evidence.py TESTED_ROLES)
  as lists, in the order of the studies' `place` in the evidence order of every study in no setting
  (`placed_key`: design, n, year, seed order), then the arm's id (seed order within the study); with what a
  reason names of each arm (db/presentation/identifiers.py `arm_name`) and its key, and the therapy's label
  (every arm of a regimen has the same: db/building/rows.py `regimen_label`), so a case reads no other row;
- case_diseases: each distinct list of a study's diseases, space-separated, by id (the order the options'
  reasons have always named them in: study_diseases' key);
- case_populations: each distinct population of an arm's patients (the study's, with a cohort's or stratum's
  own over it: db/presentation/who.py `population_of`), as JSON: a case judges each once.

The lists of names and keys are joined by SEPARATOR (the ASCII unit separator), which no text of the
dataset holds: splitting them is the cheapest read of a thousand names (docs/performance.md).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from db.building.rows import Row
from db.dataset.diseases import tree_of
from db.presentation.evidence import TESTED_ROLES, design_rank, placed_key
from db.presentation.identifiers import arm_name

DESIGNS = 7  # design_rank: 0 to 6
SEPARATOR = "\x1f"


def _joined(texts: tuple[str, ...]) -> str:
    if any(SEPARATOR in t for t in texts):
        raise ValueError(f"a name holds the list separator U+001F: {next(t for t in texts if SEPARATOR in t)!r}")
    return SEPARATOR.join(texts)


def _object(column: str | None) -> dict[str, Any]:
    value = json.loads(column) if column else {}
    return value if isinstance(value, dict) else {}


def case_rows(t: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """Rows for case_therapies, case_diseases and case_populations from the content tables' rows."""
    tree = tree_of(t["diseases"])
    diseases: dict[str, list[str]] = defaultdict(list)
    for d in sorted(t["study_diseases"], key=lambda r: (r["study_id"], r["disease_id"])):
        diseases[d["study_id"]].append(d["disease_id"])
    arms: dict[str, list[Row]] = defaultdict(list)
    for a in t["arms"]:
        arms[a["study_id"]].append(a)
    largest: dict[str, Any] = {}
    for sid, rows in arms.items():
        sizes = [a["n"] for a in rows if a["n"] is not None]
        largest[sid] = max(sizes) if sizes else None
    decoded = [s | {"design": _object(s["design"])} for s in t["studies"]]  # the row keeps it as JSON
    studies = sorted(decoded, key=lambda s: placed_key({**s, "arms": [{"n": largest.get(s["id"])}]}))
    identifiers: dict[str, list[Row]] = defaultdict(list)
    for i in sorted(t["study_identifiers"], key=lambda r: (r["study_id"], r["ord"])):
        identifiers[i["study_id"]].append(i)
    sets: dict[str, int] = {}
    populations: dict[str, int] = {}
    therapies: dict[tuple[str, str], list[tuple[int, int, str, int, int, str, str]]] = defaultdict(list)
    labels: dict[str, str] = {}
    for place, s in enumerate(studies):
        own = diseases.get(s["id"], [])
        roots = list(dict.fromkeys(tree.lineage(d)[-1] for d in own))
        if not roots:
            continue
        dset = sets.setdefault(" ".join(own), len(sets) + 1)
        study_population = _object(s["population"])
        design = design_rank(s)
        named = {"name": s["name"], "acronym": s["acronym"], "identifiers": identifiers.get(s["id"], [])}
        for a in sorted(arms.get(s["id"], []), key=lambda r: r["id"]):
            if a["role"] not in TESTED_ROLES:
                continue
            merged = json.dumps({**study_population, **_object(a["population"])}, ensure_ascii=False)
            population = populations.setdefault(merged, len(populations) + 1)
            for root in roots:
                therapies[(root, a["regimen_key"])].append((place, a["id"], s["id"], dset * DESIGNS + design,
                                                            population, arm_name(named, a), a["key"]))
            labels.setdefault(a["regimen_key"], a["regimen_label"])
    out: list[Row] = []
    for (root, regimen), found in therapies.items():
        seeds = {arm: n for n, arm in enumerate(sorted(a[1] for a in found))}
        places, arm_ids, study_ids, kinds, population_ids, names, keys = zip(*found, strict=True)
        out.append({"root": root, "regimen_key": regimen, "studies": " ".join(study_ids),
                    "places": " ".join(map(str, places)), "seeds": " ".join(str(seeds[a]) for a in arm_ids),
                    "kinds": " ".join(map(str, kinds)), "populations": " ".join(map(str, population_ids)),
                    "names": _joined(names), "keys": _joined(keys), "label": labels[regimen]})
    return {"case_therapies": out,
            "case_diseases": [{"id": i, "diseases": text} for text, i in sets.items()],
            "case_populations": [{"id": i, "population": text} for text, i in populations.items()]}
