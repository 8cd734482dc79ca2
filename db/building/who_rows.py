"""The rows search reads to know who each study treated, written at build time (db/dataset/schema.py:
search_population, search_phrases), so a query about the line, earlier therapy or a marker reads a
few index rows and no study (db/search/who.py reads them).

search_population holds what each study's population states, and each cohort's or stratum's own
population with the study's under it (db/presentation/who.py `population_of`). search_phrases holds the names a
query may give a therapy class (the class's own and those of every drug in it: lenvatinib is an
earlier VEGFR-targeted multikinase inhibitor) or a marker. A marker is also named by its gene alone
('BRAF'); a marker named "… (not specified)" stands for its gene's other markers too: a patient with
BRAF V600E was eligible for a study that required a BRAF mutation of any kind.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from db.building.rows import Row
from db.presentation.who import population_of
from db.search.terms import fold

LINE_VALUES = ("first", "later", "mixed")
UNSPECIFIED = "(not specified)"


def words(name: str) -> str:
    """'BRAF V600E-mutated' -> 'braf v600e mutated': how a name is compared with what a user types."""
    return " ".join(re.findall(r"\w+", fold(name.replace("_", " "))))


def _items(entry: Any) -> list[dict[str, Any]]:
    if isinstance(entry, dict):
        return [entry]
    return [i for i in entry if isinstance(i, dict)] if isinstance(entry, list) else []


def _object(column: str | None) -> dict[str, Any]:
    value = json.loads(column) if column else {}
    return value if isinstance(value, dict) else {}


def population_rows(t: dict[str, list[Row]], doc_ids: dict[str, int]) -> list[Row]:
    """Rows for search_population: `doc_ids` maps a study id to its search document."""
    arms: dict[str, list[Row]] = defaultdict(list)
    for a in t["arms"]:
        if a["population"]:
            arms[a["study_id"]].append(a)
    out: dict[tuple[int, str, str, str], Row] = {}
    for s in t["studies"]:
        doc = doc_ids.get(s["id"])
        if doc is None:
            continue
        study = {"population": _object(s["population"])}
        scopes = [("", "", population_of(study))]
        scopes += [(a["key"], a["label"], population_of(study, {"population": _object(a["population"])}))
                   for a in arms[s["id"]]]
        for scope, label, population in scopes:
            found = [("line", str(i.get("value")), "", i) for i in _items(population.get("line"))
                     if i.get("value") in LINE_VALUES]
            found += [("prior", str(i.get("class")), str(i.get("rule")), i) for i in _items(population.get("prior"))]
            found += [("marker", str(i.get("marker")), str(i.get("rule")), i)
                      for i in _items(population.get("markers"))]
            for what, value, rule, item in found:
                out.setdefault((doc, what, value, scope), {
                    "doc_id": doc, "what": what, "value": value, "scope": scope, "rule": rule,
                    "share": str(item.get("share") or ""), "label": label or ""})
    return list(out.values())


def phrase_rows(t: dict[str, list[Row]]) -> list[Row]:
    """Rows for search_phrases: every name of a class, of a drug in a class, and of a marker (and its gene)."""
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n in t["entity_names"]:
        names[(n["entity_kind"], n["entity_id"])].append(n["name"])
    found: set[tuple[str, str, str]] = set()
    for c in t["vocabulary"]:
        if c["kind"] == "class":
            found |= {(words(n), "class", c["id"]) for n in names[("class", c["id"])]}
    for dc in t["drug_classes"]:
        found |= {(words(n), "class", dc["class_id"]) for n in names[("drug", dc["drug_id"])]}
    markers = [m for m in t["vocabulary"] if m["kind"] == "marker"]
    gene = {m["id"]: words(m["name"]).split(" ")[0] for m in markers}
    unspecified: dict[str, set[str]] = defaultdict(set)
    for m in markers:
        if UNSPECIFIED in m["name"]:
            unspecified[gene[m["id"]]].add(m["id"])
    for m in markers:
        targets = {m["id"]} | unspecified[gene[m["id"]]]
        for name in names[("marker", m["id"])]:
            for phrase in {words(name), words(name.replace(UNSPECIFIED, ""))}:
                found |= {(phrase, "marker", target) for target in targets}
                found.add((phrase.split(" ")[0], "marker", m["id"]))
    return [{"words": w, "kind": k, "target": target} for w, k, target in sorted(found) if w]
