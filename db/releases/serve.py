"""The database `tumorboard serve` gives Datasette: the installed dataset's display texts, made
by db/presentation/present.py at serve time, so a browser shows every figure exactly as the window does
(preferred reading, interval level, scope of n, caveat marks). No raw figure columns are
served: a figure is only ever text from db/presentation/present.py.

No Datasette import here (it is an optional extra); tumorboard/serve_cmd.py runs it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from db.presentation import present
from db.presentation.evidence import design_rank, design_text, evidence_key
from db.presentation.population_text import entry_text
from db.releases.figures import study_figures

Record = dict[str, Any]
DISCLAIMER = "A summary of published data, not a treatment recommendation. It holds no patient data."

TABLES: dict[str, tuple[str, ...]] = {
    "about": ("key", "value"),
    "sources": ("id", "kind", "short", "citation", "year", "doi", "pmid", "description"),
    "studies": ("evidence_order", "id", "study", "title", "phase", "design", "status", "setting", "line", "markers",
                "diseases", "enrolled", "year", "summary", "source", "locator"),
    "figures": ("study_id", "figure_id", "reading_id", "figure", "text", "caveats", "source"),
    "drug_studies": ("evidence_order", "drug_id", "drug", "study_id", "study", "phase", "design", "arm",
                     "median_pfs", "pfs_hr", "caveats", "sources"),
    "ae_across": ("evidence_order", "ae_id", "adverse_event", "therapy", "study_id", "study", "arm", "any_grade",
                  "high_grade", "text", "caveats", "source"),
    "disease_studies": ("evidence_order", "disease_id", "disease", "study_disease", "study_id", "study", "phase",
                        "design", "design_rank", "enrolled", "year", "source"),
    "names": ("kind", "name", "id"),
}

QUERIES: dict[str, dict[str, str]] = {
    "drug_studies": {
        "title": "A drug's studies with median PFS and hazard ratio",
        "description": "By drug name, brand or code (e.g. everolimus, Afinitor); best evidence first. "
        "Figure text as the desktop program shows it: interval level as printed, ⚠/† mark caveats.",
        "sql": "SELECT study, phase, design, arm, median_pfs, pfs_hr, caveats, sources FROM drug_studies WHERE drug_id"
               " IN (SELECT id FROM names WHERE kind = 'drug' AND name = lower(trim(:drug))) ORDER BY evidence_order",
    },
    "adverse_event": {
        "title": "An adverse event across therapies",
        "description": "By adverse-event term or synonym (e.g. stomatitis); any grade and the high-grade band the "
        "source's column names.",
        "sql": "SELECT adverse_event, therapy, study, arm, any_grade, high_grade, caveats, source FROM ae_across WHERE"
               " ae_id IN (SELECT id FROM names WHERE kind = 'ae' AND name = lower(trim(:ae)))"
               " ORDER BY therapy, evidence_order",
    },
    "disease_studies": {
        "title": "A disease's studies by evidence level",
        "description": "By disease id or name (e.g. pnet); includes the studies of its subtypes; randomised phase 3 "
        "first.",
        "sql": "SELECT study, phase, design, study_disease, enrolled, year, source FROM disease_studies WHERE"
               " disease_id IN (SELECT id FROM names WHERE kind = 'disease' AND name = lower(trim(:disease)))"
               " ORDER BY evidence_order",
    },
}


def _caveat_text(caveats: Iterable[present.Caveat]) -> str:
    return " | ".join(present.caveat_lines(tuple(dict.fromkeys(caveats))))


def _study_rows(studies: list[Record], disease_names: dict[str, str]) -> list[Record]:
    rows = []
    for order, s in enumerate(studies):
        c = present.count(s, "enrolled") or present.count(s, "evaluable")
        population = s.get("population") or {}
        rows.append({"evidence_order": order, "id": s["id"], "study": s["label"], "title": s["title"],
                     "phase": s["phase"], "design": design_text(s), "status": s["status"], "setting": s["setting"],
                     "line": entry_text("line", population.get("line")),
                     "markers": entry_text("markers", population.get("markers")),
                     "diseases": ", ".join(disease_names.get(d, d) for d in s["diseases"]),
                     "enrolled": present.count_text(c), "year": s["year"], "summary": s["summary"],
                     "source": s["source_id"], "locator": s["locator"]})
    return rows


def _drug_rows(studies: list[Record], drug_names: dict[str, str]) -> list[Record]:
    rows = []
    for order, s in enumerate(studies):
        labels = {a["key"]: a["label"] for a in s["arms"]}
        for arm in s["arms"]:
            pfs = present.main(arm["outcomes"], "pfs_median")
            hr = present.main([c for c in s["comparisons"] if c["arm"] == arm["key"]], "pfs_hr")
            readings = [present.reading(r) for r in (pfs, hr) if r is not None]
            pfs_text = present.text(readings[0], "cell") if pfs is not None else present.NOT_REPORTED
            hr_text = (f"{present.text(readings[-1], 'cell')} vs {labels.get(hr['vs'], hr['vs'])}"
                       if hr is not None else "")
            sources = "; ".join(dict.fromkeys(f"{r.source_id}, {r.locator}" for r in readings))
            caveats = _caveat_text(c for r in readings for c in r.caveats)
            for drug in dict.fromkeys(d["drug_id"] for d in arm["regimen"]):
                rows.append({"evidence_order": order, "drug_id": drug, "drug": drug_names.get(drug, drug),
                             "study_id": s["id"], "study": s["label"], "phase": s["phase"], "design": design_text(s),
                             "arm": arm["label"], "median_pfs": pfs_text, "pfs_hr": hr_text, "caveats": caveats,
                             "sources": sources})
    return rows


def _ae_rows(studies: list[Record]) -> list[Record]:
    rows = []
    for order, s in enumerate(studies):
        for arm in s["arms"]:
            for ae in arm["adverse_events"]:
                if not ae["preferred"]:
                    continue
                texts = {}
                for high in (False, True):
                    r = present.ae_reading(ae, high)
                    texts[high] = f"{present.value_text(r)}{present.marks(r.caveats)}" if r else present.NOT_REPORTED
                band = present.band_label(ae["high_band"])
                rows.append({"evidence_order": order, "ae_id": ae["ae_id"], "adverse_event": ae["canonical_name"],
                             "therapy": arm["regimen_label"], "study_id": s["id"], "study": s["label"],
                             "arm": arm["label"], "any_grade": texts[False], "high_grade": f"{band}: {texts[True]}",
                             "text": present.ae_text(ae), "caveats": _caveat_text(present.caveats_of(ae)),
                             "source": f"{ae['source_id']}, {ae['locator']}"})
    return rows


def _disease_rows(studies: list[Record], diseases: list[Record]) -> list[Record]:
    parent = {d["id"]: d["parent_id"] for d in diseases}
    names = {d["id"]: d["name"] for d in diseases}
    rows = []
    for order, s in enumerate(studies):
        seen: set[str] = set()
        for own in s["diseases"]:
            current: str | None = own
            while current and current not in seen:  # the disease and each ancestor (a parent loop stops)
                seen.add(current)
                c = present.count(s, "enrolled") or present.count(s, "evaluable")
                rows.append({"evidence_order": order, "disease_id": current, "disease": names.get(current, current),
                             "study_disease": names.get(own, own), "study_id": s["id"], "study": s["label"],
                             "phase": s["phase"], "design": design_text(s), "design_rank": design_rank(s),
                             "enrolled": present.count_text(c), "year": s["year"],
                             "source": f"{s['source_id']}, {s['locator']}"})
                current = parent.get(current)
    return rows


def _name_rows(store: Any) -> list[Record]:
    rows = []
    for kind, records in (("drug", store.drugs()), ("ae", store.ae_terms())):
        for r in records:
            for name in {r["id"], r["name"], *(n["name"] for n in r["names"])}:
                rows.append({"kind": kind, "name": name.casefold().strip(), "id": r["id"]})
    for d in store.diseases():
        for name in {d["id"], d["name"]}:
            rows.append({"kind": "disease", "name": name.casefold().strip(), "id": d["id"]})
    return [dict(t) for t in {tuple(r.items()) for r in rows}]


def serving_rows(store: Any, licence: str) -> dict[str, list[Record]]:
    """Every table of the serving database, from an open db/store.py Store."""
    studies = sorted(store.studies(), key=evidence_key)
    diseases = store.diseases()
    meta = store.meta()
    about = {"title": meta.get("dataset_title", ""), "version": meta.get("dataset_version", ""),
             "released": meta.get("dataset_released", ""), "schema_version": meta.get("schema_version", ""),
             "presentation_version": meta.get("presentation_version", ""), "licence": licence,
             "notice": DISCLAIMER}
    figures = [{"study_id": f.study_id, "figure_id": f.figure_id, "reading_id": f.reading_id, "figure": f.label,
                "text": f.text, "caveats": " | ".join(f"{k}: {t}" for k, t in f.caveats), "source": f.source}
               for s in studies for f in study_figures(s)]
    return {
        "about": [{"key": k, "value": v} for k, v in about.items()],
        "sources": [{k: s.get(k) for k in TABLES["sources"]} for s in store.sources()],
        "studies": _study_rows(studies, {d["id"]: d["name"] for d in diseases}),
        "figures": figures,
        "drug_studies": _drug_rows(studies, {d["id"]: d["name"] for d in store.drugs()}),
        "ae_across": _ae_rows(studies),
        "disease_studies": _disease_rows(studies, diseases),
        "names": _name_rows(store),
    }


def write_serving(store: Any, out: Path, licence: str) -> dict[str, str]:
    """Write the serving database to `out` atomically; return the dataset's `about` values."""
    from db.atomic import atomic_path

    rows = serving_rows(store, licence)
    with atomic_path(out) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            with conn:
                for table, columns in TABLES.items():
                    conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
                    conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})",
                                     [tuple(r.get(c) for c in columns) for r in rows[table]])
                conn.execute("CREATE INDEX names_lookup ON names(kind, name)")
        finally:
            conn.close()
    return {r["key"]: str(r["value"]) for r in rows["about"]}


def metadata(about: dict[str, str], sources: int, licence: str, licence_url: str, database: str) -> dict[str, Any]:
    """Datasette's metadata: title, version, sources, the department's licence, the notice; canned queries."""
    description = (f"Dataset {about['version']} (released {about['released']}; schema {about['schema_version']}, "
                   f"wording {about['presentation_version']}). {DISCLAIMER} Every figure is shown as the desktop "
                   "program shows it (db.presentation): the interval level as printed, ⚠ where sources disagree or "
                   "are unclear, † for a caveat.")
    out: dict[str, Any] = {
        "title": f"Tumor Board Reference: {about['title']}", "description": description,
        "source": f"{sources} published sources (see the sources table)",
        "databases": {database: {"queries": QUERIES, "tables": {
            "figures": {"description": "Every figure by its stable figure id, as text from db.presentation."},
            "names": {"hidden": True}}}},
    }
    if licence:
        out["license"] = licence
    if licence_url:
        out["license_url"] = licence_url
    return out
