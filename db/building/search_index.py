"""The documents that search finds, built from the table rows at build time.

Each document carries, in separate FTS columns, its title, the names people type for
it (acronyms, NCT ids, brands, codes, synonyms), the drugs, diseases and adverse
events it concerns (with their synonyms, so `HFS` or `Nexavar` find it), facet
tokens for field terms (`phase:3`), and body text. Its display snippet is stored
beside it so a hit needs no further query to be shown.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from db.building.rows import Row
from db.dataset.diseases import tree_of
from db.dataset.keys import normalize_key
from db.dataset.vocab import NAME_SOURCE_KINDS
from db.presentation import present
from db.presentation.evidence import design_rank, design_text, size
from db.presentation.identifiers import REGISTRY_MARK, brand_title, keys, short_name, study_label
from db.presentation.reading_links import link_records
from db.search.endpoints import index_words

__all__ = ["Doc", "build_docs", "doc_bands", "doc_rows"]

KIND_PRIOR = {"study": 1.3, "toxicity": 1.0, "drug": 1.25, "disease": 1.1, "adverse_event": 1.1,
              "grading": 1.0, "source": 0.9}


# Among equally good matches, figures from better evidence come first: a prior per design rank
# (db/presentation/evidence.py: randomised phase 3 ... design not stated); within a rank, the larger and more
# recent study first (the static order), as the handout's lead study.
EVIDENCE_PRIOR = (1.15, 1.1, 1.05, 1.03, 1.0, 0.98, 0.97)


@dataclass
class Doc:
    kind: str
    ref: str
    title: str
    snippet: str
    names: list[str] = field(default_factory=list)
    drugs: list[str] = field(default_factory=list)
    diseases: list[str] = field(default_factory=list)
    aes: list[str] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)  # every spelling of each end point it reports
    facets: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    prior: float = 1.0
    fts_title: str | None = None  # what the title column indexes, when not the display title
    order: tuple[float, ...] = ()  # orders documents of equal prior: a study's n, then year, then seed order
    design: int = 0  # a study's (or its figure's) design rank, db/presentation/evidence.py; 0 for other kinds
    disease_ids: list[str] = field(default_factory=list)  # a study's own diseases
    titled: dict[str, str] = field(default_factory=dict)  # a key typed -> the hit's title then (a brand's)


def facet(name: str, value: str) -> str:
    return f"{name}{normalize_key(value)}"


def _join(parts: Iterable[str | None]) -> str:
    return " ".join(p for p in parts if p)


def build_docs(t: dict[str, list[Row]]) -> list[Doc]:
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n in t["entity_names"]:
        names[(n["entity_kind"], n["entity_id"])].append(n["name"])
    tree = tree_of(t["diseases"])
    sources = {s["id"]: s for s in t["sources"]}
    drugs = {d["id"]: d for d in t["drugs"]}

    def disease_words(ident: str) -> list[str]:
        """The disease's names and those of its ancestors: a pNET study is also a GEP-NET study."""
        return [word for d in tree.lineage(ident) for word in names[("disease", d)]]

    def drug_words(ident: str) -> list[str]:
        return names[("drug", ident)] if ident != "placebo" else ["placebo"]

    docs: list[Doc] = []
    brands: dict[str, list[str]] = defaultdict(list)
    for n in t["entity_names"]:
        if n["entity_kind"] == "drug" and n["name_kind"] == "brand":
            brands[n["entity_id"]].append(n["name"])
    for d in t["drugs"]:
        targets = json.loads(d["targets"])
        aliases = [n for n in names[("drug", d["id"])] if n != d["name"]]
        snippet = " · ".join(x for x in [d["class"], ("targets " + ", ".join(targets)) if targets else None,
                                          d["route"], ", ".join(aliases[:3]) or None] if x)
        docs.append(Doc("drug", d["id"], d["name"], snippet, names=aliases, drugs=names[("drug", d["id"])],
                        facets=[facet("class", d["class"])], body=[d["class"], *targets],
                        keys=names[("drug", d["id"])], titled={b: brand_title(b, d["name"]) for b in brands[d["id"]]}))
    for d in t["diseases"]:
        syn = [n for n in names[("disease", d["id"])] if n != d["name"]]
        docs.append(Doc("disease", d["id"], d["name"], ", ".join(syn[:4]), names=syn,
                        diseases=disease_words(d["id"]), body=[d["description"] or ""],
                        keys=names[("disease", d["id"])]))
    for a in t["ae_terms"]:
        syn = [n for n in names[("ae", a["id"])] if n != a["name"]]
        snippet = _join([f"CTCAE v5.0: {a['ctcae_term']}" if a["ctcae_term"] else None, a["soc"] and f"· {a['soc']}"])
        docs.append(Doc("adverse_event", a["id"], a["name"], snippet, names=syn, aes=names[("ae", a["id"])],
                        body=[a["definition"] or "", a["soc"] or ""], keys=names[("ae", a["id"])]))
    systems = {g["id"]: g for g in t["grading_systems"]}
    for g in t["grading_systems"]:
        docs.append(Doc("grading", g["id"], f"{g['name']} ({g['edition']})", g["rule"] or "",
                        names=[g["edition"]], facets=["grading", facet("site", g["site"] or "")],
                        body=[g["rule"] or "", g["note"] or ""], keys=[g["id"]]))
    for r in t["grading_rows"]:
        g = systems[r["system_id"]]
        criteria = json.loads(r["criteria"])
        columns = {c["key"]: c for c in json.loads(g["columns"])}
        parts = [f"{columns[k]['label']} {c['printed']}{(' ' + columns[k]['unit']) if columns[k].get('unit') else ''}"
                 for k, c in criteria.items()]
        docs.append(Doc("grading", f"{g['id']}/{r['grade']}", f"{r['label']} — {g['edition']}",
                        " · ".join(parts), names=[r["grade"], g["edition"]],
                        facets=["grading", facet("site", g["site"] or "")], body=[g["name"], *parts]))
    docs += _study_docs(t, sources, drugs, names, disease_words, drug_words)
    for s in t["sources"]:
        if s["kind"] in NAME_SOURCE_KINDS:
            continue  # cited only for a study's identifiers or a drug's brands: their hits carry them
        docs.append(Doc("source", s["id"], s["short"], s["citation"], names=[s["doi"] or "", s["nct"] or ""],
                        body=[s["citation"], s["description"] or ""], keys=[s["doi"] or "", s["nct"] or ""]))
    return docs


def _measures(study: Row, outcomes: list[Row]) -> list[str]:
    """The measures a study reports a figure for, and the end points it names as primary or secondary."""
    named = json.loads(study["endpoints"]) if study.get("endpoints") else {}
    stated = [named.get("primary"), *(named.get("secondary") or [])]
    return [o["measure"] for o in outcomes] + [e["measure"] for e in stated if isinstance(e, dict) and e.get("measure")]


def _design_words(design: Row | None) -> str:
    """The design as printed (its `text`)."""
    return str(design.get("text") or "") if design else ""


def _study_docs(t, sources, drugs, names, disease_words, drug_words) -> list[Doc]:  # type: ignore[no-untyped-def]
    t = _link_caveats(t)
    arms_by_study: dict[str, list[Row]] = defaultdict(list)
    for a in t["arms"]:
        arms_by_study[a["study_id"]].append(a)
    drugs_by_arm: dict[int, list[str]] = defaultdict(list)
    for ad in t["arm_drugs"]:
        drugs_by_arm[ad["arm_id"]].append(ad["drug_id"])
    diseases_by_study: dict[str, list[str]] = defaultdict(list)
    for sd in t["study_diseases"]:
        diseases_by_study[sd["study_id"]].append(sd["disease_id"])
    outcomes_by_study: dict[str, list[Row]] = defaultdict(list)
    for o in t["outcomes"]:
        outcomes_by_study[o["study_id"]].append(o)
    aes_by_study: dict[str, list[Row]] = defaultdict(list)
    for ae in t["adverse_events"]:
        aes_by_study[ae["study_id"]].append(ae)
    disease_names = {d["id"]: d["name"] for d in t["diseases"]}
    ae_names = {a["id"]: a["name"] for a in t["ae_terms"]}
    identifiers_by_study: dict[str, list[Row]] = defaultdict(list)
    for i in t.get("study_identifiers", []):
        identifiers_by_study[i["study_id"]].append(i)

    docs = []
    for row in t["studies"]:
        s = row | {"design": json.loads(row["design"]) if row.get("design") else None}  # the row keeps it as JSON
        arms = arms_by_study[s["id"]]
        arm_by_id = {a["id"]: a for a in arms}
        drug_ids = [d for a in arms for d in drugs_by_arm[a["id"]]]
        dis = diseases_by_study[s["id"]]
        dis_words = [w for d in dis for w in disease_words(d)]
        study_drug_words = [w for d in dict.fromkeys(drug_ids) for w in drug_words(d)]
        study_aes = aes_by_study[s["id"]]
        ae_words = [w for ae in study_aes for w in [ae["term"], *names[("ae", ae["ae_id"])]]]
        named = s | {"identifiers": identifiers_by_study[s["id"]], "diseases": dis, "arms": arms}
        registry = [i["value"] for i in identifiers_by_study[s["id"]]]
        snippet = _study_snippet(s, arms, outcomes_by_study[s["id"]], disease_names, dis)
        design = design_rank(s)
        year = int(s["year"]) if str(s["year"] or "").isdigit() else 0
        order = (-size(named), -year, s["ord"])
        docs.append(Doc(
            "study", s["id"], study_label(named), snippet,
            names=[s["acronym"] or "", s["first_author"] or "", s["nct"] or "", s["year"] or "", s["id"], *registry],
            drugs=study_drug_words, diseases=dis_words, aes=list(dict.fromkeys(ae_words)),
            endpoints=index_words(_measures(s, outcomes_by_study[s["id"]])),
            facets=[facet("phase", s["phase"]), facet("status", s["status"]), facet("kind", s["kind"]),
                    facet("year", s["year"] or "")],
            body=[s["title"] or "", s["summary"] or "", _design_words(s["design"]), s["setting"] or ""],
            keys=keys(named), prior=EVIDENCE_PRIOR[design], order=order, design=design, disease_ids=dis,
        ))
        acronyms = [s["acronym"] or "", *(i["value"] for i in identifiers_by_study[s["id"]] if i["kind"] == "acronym")]
        for ae in study_aes:
            if not ae["preferred"]:
                continue  # another reading of the same event in the same arm: told in its preferred one's snippet
            arm = arm_by_id[ae["arm_id"]]
            source = sources[ae["source_id"]]["short"]
            arm_drug_words = [w for d in drugs_by_arm[arm["id"]] for w in drug_words(d)]
            docs.append(Doc(
                "toxicity", f"{s['id']}/{arm['key']}/{ae['ae_id']}",
                f"{ae_names[ae['ae_id']]} — {arm['regimen_label']} ({short_name(named)})",
                f"{present.ae_text(ae)} · {source}, {ae['locator']}",
                fts_title=ae_names[ae["ae_id"]],
                names=[*acronyms, s["first_author"] or ""], drugs=arm_drug_words,
                diseases=dis_words, aes=[ae["term"], *names[("ae", ae["ae_id"])]],
                facets=[facet("phase", s["phase"]), "toxicity"], body=[arm["label"]],
                prior=EVIDENCE_PRIOR[design], order=order, design=design,
            ))
    return docs


def _study_snippet(s: Row, arms: list[Row], outcomes: list[Row], disease_names: dict[str, str],
                   dis: list[str]) -> str:
    parts = [design_text(s), ", ".join(disease_names[d] for d in dis[:2])]
    regimens = list(dict.fromkeys(a["regimen_label"] for a in arms))
    parts.append(" vs ".join(regimens))
    n = present.count(s, "enrolled") or present.count(s, "evaluable")
    if n:
        parts.append(present.count_text(n))
    by_arm = {a["id"]: a for a in arms}
    pfs = [o for o in outcomes if o["arm_id"] in by_arm and o["vs_arm_id"] is None and o["preferred"]
           and o["measure"] == "pfs_median" and not o["subgroup"]]
    if pfs:
        parts.append("median PFS " + present.joined([present.reading(o) for o in pfs], "value"))
    hrs = [o for o in outcomes if o["measure"] == "pfs_hr" and o["preferred"] and not o["subgroup"]]
    if hrs:
        parts.append(f"HR {present.text(present.reading(hrs[0]), 'cell')}")
    return " · ".join(p for p in parts if p)


def _link_caveats(tables: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """Copies of the figure rows, each with the notes that mark it and its other readings, as the
    store gives them (the rows themselves go into the database unchanged)."""
    t = dict(tables)
    for name in ("studies", "outcomes", "adverse_events"):
        t[name] = [dict(r) for r in t[name]]
    notes = {n["id"]: n for n in t["notes"]}
    marks: dict[str, list[Row]] = defaultdict(list)
    for nf in t["note_figures"]:
        n = notes[nf["note_id"]]
        marks[nf["reading_id"]].append({"note_id": n["id"], "kind": n["kind"], "text": n["text"],
                                        "source_id": n["source_id"], "locator": n["locator"]})
    for s in t["studies"]:
        for key in ("enrolled", "evaluable"):
            s[f"{key}_caveats"] = marks.get(s[f"{key}_reading"] or "", [])
    for table in ("outcomes", "adverse_events"):
        link_records(t[table], marks)
    return t


# Static rank: the named things people type first (a few hundred at most), then studies,
# then their toxicity rows; within a kind, the higher prior and the larger trial first.
# Each kind is one run of rowids, so `kind:` is a rowid range.
RANK_ORDER = {k: i for i, k in enumerate(("drug", "disease", "adverse_event", "grading", "source", "study",
                                          "toxicity"))}


def doc_rows(docs: list[Doc]) -> tuple[list[Row], list[Row], list[Row]]:
    """Rows for search_docs, the FTS table and the exact-key table.

    Documents are numbered in static rank order, so the index's own rowid order is a
    ranking: search takes the first matches of a very broad prefix as its candidates.
    """
    doc_table, fts, key_rows = [], [], []
    ranked = sorted(docs, key=lambda d: (RANK_ORDER.get(d.kind, len(RANK_ORDER)), -d.prior, d.order))
    for i, d in enumerate(ranked, start=1):
        doc_table.append({"id": i, "kind": d.kind, "ref": d.ref, "title": d.title, "snippet": d.snippet,
                          "prior": KIND_PRIOR.get(d.kind, 1.0) * d.prior, "diseases": " ".join(d.disease_ids),
                          "design": d.design})
        title = d.fts_title if d.fts_title is not None else d.title
        fts.append({"rowid": i, "title": title.replace(REGISTRY_MARK, ""), "names": _join(d.names),
                    "drugs": _join(d.drugs), "diseases": _join(d.diseases), "aes": _join(d.aes),
                    "endpoints": _join(d.endpoints),
                    "facets": _join(d.facets), "body": _join(d.body)})
        titles = {normalize_key(k): title for k, title in d.titled.items()}
        for key in dict.fromkeys(normalize_key(k) for k in d.keys if k):
            if key:
                key_rows.append({"key": key, "doc_id": i, "title": titles.get(key)})
    return doc_table, fts, key_rows


def doc_bands(doc_table: list[Row]) -> list[Row]:
    """Rows for search_bands: where each run of documents with the same kind, prior and design starts."""
    bands: list[Row] = []
    for d in doc_table:
        if not bands or (bands[-1]["kind"], bands[-1]["prior"], bands[-1]["design"]) != (
                d["kind"], d["prior"], d["design"]):
            bands.append({"first": d["id"], "kind": d["kind"], "prior": d["prior"], "design": d["design"]})
    return bands
