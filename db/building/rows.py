"""Turning a validated Dataset into table rows for the dataset database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from db.dataset.figures import Figure
from db.dataset.model import Arm, Dataset, Note, Outcome, Sourced, Study
from db.dataset.population import Population, design_json, endpoints_json, population_json
from db.dataset.readings import SeedReading, study_readings
from db.dataset.vocab import NOT_STATED
from db.presentation.who import line_word, verdicts

Row = dict[str, Any]


def regimen_key(arm: Arm) -> str:
    """Arms with the same active drugs share a key: 'everolimus+octreotide'."""
    drugs = sorted({d.drug for d in arm.regimen if d.drug != "placebo"})
    return "+".join(drugs) if drugs else "placebo"


def regimen_label(arm: Arm, names: dict[str, str]) -> str:
    key = regimen_key(arm)
    return " + ".join(names.get(d, d) for d in key.split("+"))


def _fig(prefix: str, fig: Figure | None) -> Row:
    if fig is None:
        return {f"{prefix}_text": None, prefix: None}
    return {f"{prefix}_text": fig.text, prefix: fig.value}


def _sourced(prefix: str, s: Sourced | None, readings: dict[int, SeedReading]) -> Row:
    row = {f"{prefix}_text": s.figure.text if s else None, prefix: s.figure.value if s else None}
    row[f"{prefix}_source"] = s.cite.source if s else None
    row[f"{prefix}_locator"] = s.cite.at if s else None
    row[f"{prefix}_scope"] = s.scope if s else None
    row[f"{prefix}_note"] = s.note if s else None
    row[f"{prefix}_reading"] = readings[id(s)].reading_id if s else None
    return row


def _reading_cols(r: SeedReading) -> Row:
    return {"figure_id": r.figure_id, "reading_id": r.reading_id, "preferred": int(r.preferred),
            "why": r.why or None}


def tables(ds: Dataset) -> dict[str, list[Row]]:
    t: dict[str, list[Row]] = {
        name: []
        for name in (
            "sources", "diseases", "drugs", "entity_names", "drug_facts", "approvals", "ae_terms",
            "grading_systems", "grading_rows", "studies", "study_diseases", "arms", "arm_drugs",
            "outcomes", "adverse_events", "notes", "note_figures", "study_identifiers", "drug_classes",
            "vocabulary", "drug_brands",
        )
    }
    for i, s in enumerate(ds.sources):
        t["sources"].append({"id": s.id, "kind": s.kind, "short": s.short, "citation": s.citation,
                             "year": s.year, "doi": s.doi, "pmid": s.pmid, "nct": s.nct,
                             "file": s.file, "description": s.description, "ord": i})
    for i, d in enumerate(_parents_first(ds)):
        t["diseases"].append({"id": d.id, "name": d.name, "short": d.short, "parent_id": d.parent,
                              "description": d.description, "ord": i})
        t["entity_names"] += _names("disease", d.id, [(d.name, "name")] + [(s, "synonym") for s in d.synonyms])
    for kind, terms in (("class", ds.therapy_classes), ("marker", ds.markers)):
        for i, word in enumerate(terms):
            t["vocabulary"].append({"kind": kind, "id": word.id, "name": word.name, "ord": i})
            t["entity_names"] += _names(kind, word.id, [(word.name, "name")] + [(s, "synonym") for s in word.synonyms])
    labelled: dict[str, list[str]] = {}
    for i, brand in enumerate(b for b in ds.brands if not b.other_form):
        t["drug_brands"].append({"drug_id": brand.drug, "name": brand.name, "regions": " ".join(brand.regions),
                                 "source_id": brand.cite.source, "locator": brand.cite.at, "ord": i})
        labelled.setdefault(brand.drug, []).append(brand.name)
    for i, drug in enumerate(ds.drugs):
        brands = list(dict.fromkeys([*drug.brands, *labelled.get(drug.id, [])]))
        t["drugs"].append({"id": drug.id, "name": drug.name, "class": drug.drug_class,
                           "targets": json.dumps(drug.targets), "route": drug.route, "ord": i})
        t["drug_classes"] += [{"drug_id": drug.id, "class_id": c, "ord": j} for j, c in enumerate(drug.classes)]
        t["entity_names"] += _names(
            "drug", drug.id,
            [(drug.name, "name")] + [(b, "brand") for b in brands] + [(c, "code") for c in drug.codes]
            + [(s, "synonym") for s in drug.synonyms],
        )
        for fact in drug.facts:
            t["drug_facts"].append({"drug_id": drug.id, "kind": fact.kind, "text": fact.text,
                                    "source_id": fact.cite.source, "locator": fact.cite.at})
        for a in drug.approvals:
            t["approvals"].append({"drug_id": drug.id, "agency": a.agency, "year": a.year,
                                   "indication": a.indication, "diseases": json.dumps(a.diseases),
                                   "note": a.note, "source_id": a.cite.source, "locator": a.cite.at})
    for i, term in enumerate(ds.ae_terms):
        row: Row = {"id": term.id, "name": term.name, "ctcae_term": term.ctcae_term, "short": term.short,
                    "meddra": term.meddra,
                    "soc": term.soc, "definition": term.definition, "ord": i}
        row.update({f"grade{g}": term.grades.get(g) for g in range(1, 6)})
        t["ae_terms"].append(row)
        t["entity_names"] += _names("ae", term.id, [(term.name, "name")] + [(s, "synonym") for s in term.synonyms]
                                    + ([(term.ctcae_term, "ctcae")] if term.ctcae_term else []))
    for i, g in enumerate(ds.grading):
        t["grading_systems"].append({
            "id": g.id, "name": g.name, "kind": g.kind, "edition": g.edition, "site": g.site, "rule": g.rule,
            "combine": g.combine, "note": g.note, "columns": json.dumps([asdict(c) for c in g.columns]),
            "source_id": g.cite.source, "locator": g.cite.at, "ord": i,
        })
        for j, r in enumerate(g.rows):
            criteria = {k: {key: v for key, v in asdict(c).items() if v not in (None, [])}
                        for k, c in r.criteria.items()}
            t["grading_rows"].append({"system_id": g.id, "grade": r.grade, "label": r.label,
                                      "description": r.description, "criteria": json.dumps(criteria,
                                      ensure_ascii=False), "ord": j})
    drug_names = {d.id: d.name for d in ds.drugs}
    arm_id = 0
    note_id = 0

    def add_notes(study: Study, notes: list[Note], arm_id: int | None) -> None:
        nonlocal note_id
        for k, note in enumerate(notes):
            note_id += 1
            t["notes"].append({"id": note_id, "study_id": study.id, "arm_id": arm_id, "kind": note.kind,
                               "text": note.text, "source_id": note.cite.source, "locator": note.cite.at, "ord": k})
            for r in sr.readings:
                if any(n is note for n in r.caveats):
                    t["note_figures"].append({"note_id": note_id, "reading_id": r.reading_id})
            for regimen, marking in sr.regimen_notes.items():  # the pseudo-reading '<study>/<arm>/regimen'
                if any(n is note for n in marking):
                    t["note_figures"].append({"note_id": note_id, "reading_id": regimen})

    for i, study in enumerate(ds.studies):
        sr = study_readings(study)
        readings = sr.by_item()
        t["studies"].append(_study_row(study, i, readings))
        for j, ident in enumerate(study.identifiers):
            t["study_identifiers"].append({"study_id": study.id, "kind": ident.kind, "value": ident.value,
                                           "source_id": ident.cite.source, "locator": ident.cite.at, "ord": j})
        for j, disease in enumerate(study.diseases):
            t["study_diseases"].append({"study_id": study.id, "disease_id": disease, "ord": j})
        arm_ids: dict[str, int] = {}
        for j, arm in enumerate(study.arms):
            arm_id += 1
            arm_ids[arm.key] = arm_id
            row = {"id": arm_id, "study_id": study.id, "key": arm.key, "label": arm.label, "role": arm.role,
                   "regimen_key": regimen_key(arm), "regimen_label": regimen_label(arm, drug_names),
                   "population": _population(arm.population), "ord": j}
            row.update(_sourced("n", arm.n, readings))
            t["arms"].append(row)
            for k, dose in enumerate(arm.regimen):
                t["arm_drugs"].append({"arm_id": arm_id, "drug_id": dose.drug, "dose": dose.dose,
                                       "route": dose.route, "schedule": dose.schedule, "ord": k})
            for k, out in enumerate(arm.outcomes):
                t["outcomes"].append(_outcome_row(study.id, arm_id, None, out, k, readings[id(out)]))
            for k, ae in enumerate(arm.adverse_events):
                t["adverse_events"].append(_reading_cols(readings[id(ae)]) | {
                    "study_id": study.id, "arm_id": arm_id, "ae_id": ae.ae, "term": ae.term,
                    "all_text": ae.all_grade.text if ae.all_grade else None,
                    "all_value": ae.all_grade.value if ae.all_grade else None,
                    "all_qualifier": ae.all_grade.qualifier if ae.all_grade else None,
                    "high_text": ae.high_grade.text if ae.high_grade else None,
                    "high_value": ae.high_grade.value if ae.high_grade else None,
                    "high_qualifier": ae.high_grade.qualifier if ae.high_grade else None,
                    "high_band": ae.high_band, "note": ae.note, "caveat": ae.caveat, "source_id": ae.cite.source,
                    "locator": ae.cite.at, "ord": k,
                })
            add_notes(study, arm.notes, arm_id)
        said = verdicts({"endpoints": endpoints_json(study.endpoints)}) if study.endpoints else {}
        for k, comp in enumerate(study.comparisons):
            row = _outcome_row(study.id, arm_ids[comp.arm or ""], arm_ids[comp.vs or ""], comp, 1000 + k,
                               readings[id(comp)])
            row["verdict"] = said.get(comp.measure) if not comp.subgroup else None
            t["outcomes"].append(row)
        add_notes(study, study.notes, None)
    return t


def _parents_first(ds: Dataset) -> Iterator[Any]:
    """Diseases in an order where each parent precedes its children (for the foreign key)."""
    done: set[str] = set()
    pending = list(ds.diseases)
    while pending:
        ready = [d for d in pending if d.parent is None or d.parent in done]
        if not ready:  # a cycle: emit the rest as they are and let the foreign key speak
            ready = pending
        for d in ready:
            done.add(d.id)
            yield d
        pending = [d for d in pending if d.id not in done]


def _names(kind: str, ident: str, names: list[tuple[str, str]]) -> list[Row]:
    return [{"entity_kind": kind, "entity_id": ident, "name": n, "name_kind": k} for n, k in names]


def _study_row(study: Study, ordinal: int, readings: dict[int, SeedReading]) -> Row:
    row: Row = {
        "id": study.id, "name": study.name, "acronym": study.acronym, "first_author": study.first_author,
        "year": study.year, "title": study.title, "nct": study.nct, "phase": study.phase, "kind": study.kind,
        "design": _json(design_json(study.design)) if study.design else None, "status": study.status,
        "setting": study.setting, "population": _population(study.population),
        **_facets(study.population),
        "endpoints": _json(endpoints_json(study.endpoints)) if study.endpoints else None,
        "summary": study.summary, "source_id": study.cite.source, "locator": study.cite.at, "ord": ordinal,
    }
    row.update(_sourced("enrolled", study.enrolled, readings))
    row.update(_sourced("evaluable", study.evaluable, readings))
    return row


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _population(p: Population | None) -> str | None:
    return _json(population_json(p)) if p is not None else None


def _facets(p: Population | None) -> Row:
    """The population's line (db/presentation/who.py's word) and markers (ids and rules only): the Trials
    table's filters."""
    population = population_json(p) if p is not None else {}
    markers = population.get("markers")
    kept = [{k: i[k] for k in ("marker", "rule") if k in i} for i in markers] if isinstance(markers, list) else (
        markers or NOT_STATED)
    return {"population_line": line_word({"population": population}), "population_markers": _json(kept)}


def _outcome_row(study_id: str, arm_id: int, vs_arm_id: int | None, out: Outcome, ordinal: int,
                 reading: SeedReading) -> Row:
    row: Row = _reading_cols(reading) | {
        "study_id": study_id, "arm_id": arm_id, "vs_arm_id": vs_arm_id, "measure": out.measure,
        "value_text": out.value.text, "value": out.value.value, "qualifier": out.value.qualifier,
        "unit": out.unit, "timepoint": out.timepoint, "subgroup": out.subgroup, "note": out.note,
        "count_text": out.count.text if out.count else None, "source_id": out.cite.source,
        "ci_level": out.ci_level, "label": out.label, "caveat": out.caveat,
        "of_text": out.of.figure.text if out.of else None, "of_scope": out.of.scope if out.of else None,
        "locator": out.cite.at, "ord": ordinal,
    }
    row.update(_fig("ci_low", out.ci_low))
    row.update(_fig("ci_high", out.ci_high))
    row.update(_fig("p", out.p))
    return row
