"""Whole-dataset export: the JSON form (docs/data-format.md) and a flat CSV of figures.

May import: db.store, db.dataset, db.presentation, the foundations.
"""

from __future__ import annotations

import csv
import json
import re
from typing import IO, Any

from db.dataset.record import AdverseEventRecord, OutcomeRecord, Record, Row, StudyRecord
from db.presentation import present
from db.presentation.evidence import design_text
from db.presentation.population_text import DESIGN_FIELDS, ENDPOINT_FIELDS, POPULATION_FIELDS, entry_items, study_texts
from db.store import Store

FORMAT = "tumorboard-dataset/2"


def _figure(text: str | None, number: float | None, qualifier: str | None = None) -> dict[str, Any] | None:
    if text is None:
        return None
    return {"value": text, "number": number, "qualifier": qualifier or ""}


def _marks(caveats: tuple[present.Caveat, ...]) -> list[dict[str, str]]:
    return [{"mark": c.symbol, "kind": c.kind, "text": c.text} for c in caveats]


def _sourced(row: Row, prefix: str) -> dict[str, Any] | None:
    c = present.count(row, prefix)
    if c is None:
        return None
    return {"value": c.text, "number": c.value, "scope": c.scope, "source": c.source_id, "at": c.locator,
            "figure_id": row[f"{prefix}_reading"].split("#")[0], "reading_id": row[f"{prefix}_reading"],
            "display": present.count_text(c), "caveats": _marks(c.caveats)}


def _reading(r: present.Reading) -> dict[str, Any]:
    return {"figure_id": r.figure_id, "reading_id": r.reading_id, "preferred": r.preferred,
            "why_preferred": r.why or None, "caveats": _marks(r.caveats)}


def _outcome(o: OutcomeRecord) -> dict[str, Any]:
    ci = None
    if o["ci_low_text"] is not None or o["ci_high_text"] is not None:
        ci = [_figure(o["ci_low_text"], o["ci_low"]), _figure(o["ci_high_text"], o["ci_high"])]
    r = present.reading(o, with_alternatives=False)
    return {
        "measure": o["measure"], "label": o["label"], **(_figure(o["value_text"], o["value"], o["qualifier"]) or {}),
        "unit": o["unit"], "ci": ci, "ci_level": o["ci_level"], "p": o["p_text"], "timepoint": o["timepoint"],
        "count": o["count_text"], "of": {"value": o["of_text"], "scope": o["of_scope"]} if o["of_text"] else None,
        "subgroup": o["subgroup"], "note": o["note"], "caveat": o["caveat"], "source": o["source_id"],
        "at": o["locator"], **_reading(r), "display": present.text(r, "line"),
    }


def _adverse_event(ae: AdverseEventRecord) -> dict[str, Any]:
    high_key = "grade_3_4" if ae["high_band"] == "3-4" else "grade_3_plus"
    r = present.ae_reading(ae, True, False) or present.ae_reading(ae, False, False)
    return {
        "term": ae["term"], "ae": ae["ae_id"], "canonical": ae["canonical_name"], "ctcae_term": ae["ctcae_term"],
        "all_grade": _figure(ae["all_text"], ae["all_value"], ae["all_qualifier"]),
        high_key: _figure(ae["high_text"], ae["high_value"], ae["high_qualifier"]),
        "note": ae["note"], "caveat": ae["caveat"], "source": ae["source_id"], "at": ae["locator"],
        **(_reading(r) if r else {}), "display": present.ae_text(ae, alternatives=False),
    }


def _note(n: Row) -> dict[str, Any]:
    return {"kind": n["kind"], "text": n["text"], "source": n["source_id"], "at": n["locator"],
            "figures": n.get("figures", [])}


def _fixed(obj: Record | None, keys: tuple[str, ...], *cite: str) -> dict[str, Any]:
    """Every key of the object, null where the seed leaves it out."""
    return {k: (obj or {}).get(k) for k in (*keys, *cite)}


def _object_sources(*objects: Record | None) -> list[str]:
    """The sources the items of these objects cite (a design cites one for all its fields)."""
    found = []
    for obj in objects:
        if obj is None:
            continue
        found += [obj["source"]] if obj.get("source") else []
        for entry in obj.values():
            found += [i["source"] for i in entry_items(entry) if i.get("source")]
    return found


def study_object(s: StudyRecord) -> dict[str, Any]:
    cited: dict[str, None] = {s["source_id"]: None}
    cited.update(dict.fromkeys(_object_sources(s["design"], s["population"], s["endpoints"])))
    arms = []
    for a in s["arms"]:
        cited.update(dict.fromkeys(_object_sources(a["population"])))
        arms.append({
            "id": a["key"], "label": a["label"], "role": a["role"], "regimen_key": a["regimen_key"],
            "population": a["population"], "n": _sourced(a, "n"),
            "regimen": [{"drug": d["drug_id"], "name": d["drug_name"], "dose": d["dose"], "route": d["route"],
                         "schedule": d["schedule"]} for d in a["regimen"]],
            "regimen_caveats": _marks(present.caveats_of(a, own="", linked="regimen_caveats")),
            "outcomes": [_outcome(o) for o in a["outcomes"]],
            "adverse_events": [_adverse_event(ae) for ae in a["adverse_events"]],
            "notes": [_note(n) for n in a["notes"]],
        })
        for item in a["outcomes"] + a["adverse_events"] + a["notes"]:
            cited[item["source_id"]] = None
    for other in [*s["comparisons"], *s["notes"], *s["identifiers"]]:
        cited[other["source_id"]] = None
    return {
        "id": s["id"], "name": s["name"], "acronym": s["acronym"], "first_author": s["first_author"],
        "year": s["year"], "title": s["title"], "nct": s["nct"], "phase": s["phase"], "kind": s["kind"],
        "status": s["status"], "diseases": s["diseases"], "setting": s["setting"], "summary": s["summary"],
        "design": _fixed(s["design"], DESIGN_FIELDS, "note", "source", "at"), "design_label": design_text(s),
        "population": _fixed(s["population"], POPULATION_FIELDS),
        "endpoints": _fixed(s["endpoints"], ENDPOINT_FIELDS),
        "enrolled": _sourced(s, "enrolled"), "evaluable": _sourced(s, "evaluable"),
        "label": s["label"],
        "identifiers": [{"kind": i["kind"], "value": i["value"], "source": i["source_id"], "at": i["locator"]}
                        for i in s["identifiers"]],
        "source": {"id": s["source_id"], "at": s["locator"]},
        "arms": arms,
        "comparisons": [_outcome(o) | {"arm": o["arm"], "vs": o["vs"]} for o in s["comparisons"]],
        "notes": [_note(n) for n in s["notes"]],
        "sources": list(cited),
    }


def dataset_object(store: Store) -> dict[str, Any]:
    meta = store.meta()
    return {
        "format": FORMAT,
        "dataset": {"version": meta["dataset_version"], "title": meta["dataset_title"],
                    "released": meta.get("dataset_released") or None, "built_at": meta["built_at"],
                    "seeds_hash": meta["seeds_hash"]},
        "sources": [{k: s[k] for k in ("id", "kind", "short", "citation", "year", "doi", "pmid", "nct")}
                    for s in store.sources()],
        "studies": [study_object(s) for s in store.studies()],
        "drugs": [
            {"id": d["id"], "name": d["name"], "class": d["class"], "classes": d["classes"], "targets": d["targets"],
             "route": d["route"],
             "names": d["names"],
             "facts": [{"kind": f["kind"], "text": f["text"], "source": f["source_id"], "at": f["locator"]}
                       for f in d["facts"]],
             "approvals": [{"agency": a["agency"], "year": a["year"], "indication": a["indication"],
                            "diseases": a["diseases"], "note": a["note"], "source": a["source_id"],
                            "at": a["locator"]} for a in d["approvals"]]}
            for d in store.drugs()
        ],
        "diseases": [{"id": d["id"], "name": d["name"], "parent": d["parent_id"]} for d in store.diseases()],
        "adverse_event_terms": [
            {"id": t["id"], "name": t["name"], "ctcae_term": t["ctcae_term"], "meddra": t["meddra"],
             "soc": t["soc"], "names": t["names"],
             "grades": {str(g): t[f"grade{g}"] for g in range(1, 6) if t[f"grade{g}"]}}
            for t in store.ae_terms()
        ],
        "grading": [
            {"id": g["id"], "name": g["name"], "kind": g["kind"], "edition": g["edition"], "site": g["site"],
             "rule": g["rule"], "columns": g["columns"], "source": g["source_id"], "at": g["locator"],
             "rows": [{"grade": r["grade"], "label": r["label"], "description": r["description"],
                       "criteria": r["criteria"]} for r in g["rows"]]}
            for g in store.grading_systems()
        ],
    }


def export_json(store: Store, out: IO[str]) -> None:
    json.dump(dataset_object(store), out, ensure_ascii=False, indent=2)
    out.write("\n")


CSV_COLUMNS = [
    "study_id", "study", "arm", "vs_arm", "kind", "measure", "label", "term", "value", "number", "qualifier", "unit",
    "ci_low", "ci_high", "ci_level", "p", "timepoint", "subgroup", "count", "of", "of_scope", "scope", "band",
    "figure_id", "reading_id", "preferred", "why_preferred", "display", "marks", "caveats", "verdict",
    "source_id", "source", "at", "note",
    "line", "prior_classes", "markers", "primary_endpoint", "primary_result",  # who the arm's patients were
]


def figure_rows(store: Store) -> list[dict[str, Any]]:
    """One row per figure in the dataset: counts, outcomes, comparisons and adverse-event rates."""
    sources = {s["id"]: s["short"] for s in store.sources()}
    studies = store.studies()
    arms = {(s["id"], a["key"]): a for s in studies for a in s["arms"]}  # a cohort's own population
    rows: list[dict[str, Any]] = []

    def add(study: StudyRecord, **values: Any) -> None:
        row = dict.fromkeys(CSV_COLUMNS, "")
        row.update({"study_id": study["id"], "study": study["name"]})
        arm = values.get("arm")
        row.update(study_texts(study, arms.get((study["id"], arm)) if isinstance(arm, str) else None))
        row.update({k: ("" if v is None else v) for k, v in values.items()})
        row["source"] = sources.get(row["source_id"], "")
        rows.append(row)

    def outcome(study: StudyRecord, o: OutcomeRecord, arm: str, vs: str = "") -> None:
        r = present.reading(o, with_alternatives=False)
        add(study, arm=arm, vs_arm=vs, kind="comparison" if vs else "outcome", measure=o["measure"],
            **present.fields(r), source_id=o["source_id"], at=o["locator"], note=o["note"])

    def counted(study: StudyRecord, row: Row, key: str, arm: str = "") -> None:
        c = present.count(row, key)
        if c is not None:
            add(study, arm=arm, kind="count", measure=key, value=c.text, number=c.value, scope=c.scope,
                figure_id=row[f"{key}_reading"].split("#")[0], reading_id=row[f"{key}_reading"], preferred="yes",
                display=present.count_text(c), marks=present.marks(c.caveats),
                caveats=" | ".join(present.caveat_lines(c.caveats)), source_id=c.source_id, at=c.locator,
                note=row[f"{key}_note"])

    for s in studies:
        for key in ("enrolled", "evaluable"):
            counted(s, s, key)
        for a in s["arms"]:
            counted(s, a, "n", a["key"])
            for o in a["outcomes"]:
                outcome(s, o, a["key"])
            for ae in a["adverse_events"]:
                measures = {"all": "ae_all_grade", "3-4": "ae_grade_3_4", ">=3": "ae_grade_3_plus"}
                for high in (False, True):
                    r = present.ae_reading(ae, high, with_alternatives=False)
                    if r is not None:
                        add(s, arm=a["key"], kind="adverse_event", measure=measures[r.band], term=ae["term"],
                            **present.fields(r), source_id=ae["source_id"], at=ae["locator"], note=ae["note"])
        for c in s["comparisons"]:
            outcome(s, c, c["arm"], c["vs"])
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
    gets a leading `'`, whatever its origin; a number, negative ones included, stays a number."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def export_csv(store: Store, out: IO[str]) -> None:
    # CRLF line ends (RFC 4180): the csv module then quotes a cell holding a carriage return,
    # which a "\n" terminator leaves bare, splitting the row in a reader
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in figure_rows(store))
