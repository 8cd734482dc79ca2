"""The one object that reads the dataset database. Nothing else holds SQL for reads.

It uses the standard sqlite3 module, opened read-only: the database is derived
data, rebuilt from seeds/, and start-up should not pay for sqlite_utils' imports.

Each capability's SQL is a room of the store, made at its first use: `store.trials`, `store.toxicity`,
`store.compare`, `store.case`, and the search engine (`store.engine`); what several of them read is here.

May import: db.search, db.dataset, db.presentation, the foundations, and the rooms db.trials.queries,
db.toxicity.queries, db.compare.queries, db.case.queries.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Collection, Mapping
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, cast

from db.dataset.record import DiseaseRecord, Record, SourceRecord, StudyRecord, VocabularyRecord, json_object
from db.presentation.identifiers import study_label
from db.presentation.reading_links import link_records
from db.sqlite_uri import sqlite_uri

if TYPE_CHECKING:
    from db.case.queries import CaseQueries
    from db.compare.queries import CompareQueries
    from db.dataset.diseases import DiseaseTree
    from db.search.engine import Hits, SearchEngine
    from db.toxicity.queries import ToxicityQueries
    from db.trials.queries import TrialsQuery



class Announcement(Protocol):
    """A change of dataset since the last start (db/releases/start.py `DatasetUpdate`), said by open_store."""

    @property
    def message(self) -> str: ...

    @property
    def diff(self) -> Any: ...


class Store:
    def __init__(self, path: Path, warnings: list[str] | None = None, immutable: bool = False) -> None:
        self.path = path
        self.warnings = warnings or []
        self.update: Announcement | None = None  # a dataset change since the last start (db/opening.py)
        self._immutable = immutable
        self.conn = sqlite3.connect(sqlite_uri(path, immutable=immutable), uri=True, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self._engine: SearchEngine | None = None  # made at the first search: not an import at start-up

    def close(self) -> None:
        self.conn.close()

    def connect(self) -> sqlite3.Connection:
        """Another read-only connection to the same database: a worker's, so that a long read there never holds
        the GUI thread's connection (SQLite serialises the calls on one connection). The caller closes it."""
        return sqlite3.connect(sqlite_uri(self.path, immutable=self._immutable), uri=True, check_same_thread=False)

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Record]:
        return [dict(r) for r in self.conn.execute(sql, params)]

    def intact(self) -> bool:
        """Whether SQLite's quick check passes and the dataset says its version (sqlite3.Error when the file
        is no database at all)."""
        if self.conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            return False
        return self.conn.execute("SELECT value FROM meta WHERE key = 'dataset_version'").fetchone() is not None

    # -- dataset -------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.conn.execute("SELECT key, value FROM meta")}

    def sources(self) -> list[SourceRecord]:
        return cast("list[SourceRecord]", self._all("SELECT * FROM sources ORDER BY ord"))

    def diseases(self) -> list[DiseaseRecord]:
        return cast("list[DiseaseRecord]", self._all("SELECT * FROM diseases ORDER BY ord"))

    def drugs(self, only: Collection[str] | None = None) -> list[Record]:
        """Every drug, or those of `only` (an option's figures read their own few), in seed order, with their
        names, classes, facts, approvals and brands."""
        import json  # not an import at start-up: the few readers of JSON columns use it

        chosen = "" if only is None else json.dumps(sorted(only))
        params: tuple[Any, ...] = (chosen,) if chosen else ()

        def of(column: str) -> str:
            return f" WHERE {column} IN (SELECT value FROM json_each(?))" if chosen else ""

        rows = self._all(f"SELECT * FROM drugs{of('id')} ORDER BY ord", params)
        names = self._names("drug", chosen)
        facts = self._grouped(f"SELECT * FROM drug_facts{of('drug_id')} ORDER BY id", "drug_id", params)
        approvals = self._grouped(f"SELECT * FROM approvals{of('drug_id')} ORDER BY id", "drug_id", params)
        classes = self._grouped(f"SELECT drug_id, class_id FROM drug_classes{of('drug_id')} ORDER BY drug_id, ord",
                                "drug_id", params)
        brands = self._grouped(f"SELECT drug_id, name, regions, source_id, locator FROM drug_brands{of('drug_id')}"
                               " ORDER BY ord", "drug_id", params)
        for d in rows:
            d["targets"] = json.loads(d["targets"])
            d["classes"] = [c["class_id"] for c in classes.get(d["id"], [])]
            d["names"] = names.get(d["id"], [])
            d["facts"] = facts.get(d["id"], [])
            d["approvals"] = approvals.get(d["id"], [])
            d["brands"] = brands.get(d["id"], [])  # from regulators' labels (seeds/brands.yaml), each cited
            for a in d["approvals"]:
                a["diseases"] = json.loads(a["diseases"])
        return rows

    # -- the rooms -----------------------------------------------------------
    @cached_property
    def toxicity(self) -> ToxicityQueries:
        from db.toxicity.queries import ToxicityQueries

        return ToxicityQueries(self.conn)

    @cached_property
    def compare(self) -> CompareQueries:
        from db.compare.queries import CompareQueries

        return CompareQueries(self.conn)

    @cached_property
    def case(self) -> CaseQueries:
        from db.case.queries import CaseQueries

        return CaseQueries(self.conn)

    @cached_property
    def trials(self) -> TrialsQuery:
        """The Trials table's filters and sort orders over this dataset (read once: a few dozen groups)."""
        from db.trials.queries import TrialsQuery

        return TrialsQuery(self.conn, self.disease_tree, connect=self.connect)

    def note_targets(self) -> dict[str, set[str]]:
        """The ids a user's note attaches to: study ids ('study') and therapy (regimen) keys ('therapy')."""
        return {"study": {str(r[0]) for r in self.conn.execute("SELECT id FROM studies")},
                "therapy": {str(r[0]) for r in self.conn.execute("SELECT DISTINCT regimen_key FROM arms")}}

    def regimen_drugs(self) -> Mapping[str, tuple[str, ...]]:
        """Each regimen key's drugs (placebo left out), in id order: 'everolimus+octreotide' ->
        ('everolimus', 'octreotide'). Read once per store (Compare and Toxicity both ask): a store's
        dataset never changes under it."""
        return self._regimen_drugs

    @cached_property
    def _regimen_drugs(self) -> Mapping[str, tuple[str, ...]]:
        drugs: dict[str, list[str]] = defaultdict(list)
        for key, drug in self.conn.execute(
            "SELECT DISTINCT a.regimen_key, ad.drug_id FROM arms a JOIN arm_drugs ad ON ad.arm_id = a.id"
            " WHERE ad.drug_id != 'placebo' ORDER BY a.regimen_key, ad.drug_id"
        ):
            drugs[str(key)].append(str(drug))
        return MappingProxyType({k: tuple(v) for k, v in drugs.items()})

    @cached_property
    def disease_tree(self) -> DiseaseTree:
        """The dataset's disease tree (db/dataset/diseases.py), read once: every surface's setting comes from it."""
        from db.dataset.diseases import tree_of

        rows = self._all("SELECT id, name, parent_id, short FROM diseases ORDER BY ord")
        synonyms = [(str(i), str(n)) for i, n in self.conn.execute(
            "SELECT entity_id, name FROM entity_names WHERE entity_kind = 'disease' AND name_kind = 'synonym'"
            " ORDER BY rowid")]
        return tree_of(rows, synonyms)

    def vocabulary(self, kind: str) -> list[VocabularyRecord]:
        """The therapy classes (`kind` 'class') or markers ('marker'): id, name and synonyms, in seed order."""
        names = self._names(kind)
        return [VocabularyRecord(id=str(r["id"]), name=str(r["name"]),
                                 synonyms=[n["name"] for n in names.get(r["id"], []) if n["kind"] == "synonym"])
                for r in self._all("SELECT id, name FROM vocabulary WHERE kind = ? ORDER BY ord", (kind,))]

    def classes_of(self, drug_id: str) -> list[str]:
        """The drug's therapy classes (seeds/therapy-classes.yaml ids), in seed order; [] for none or an
        unknown drug: 'lenvatinib' -> ['vegfr-mki']."""
        rows = self.conn.execute("SELECT class_id FROM drug_classes WHERE drug_id = ? ORDER BY ord", (drug_id,))
        return [str(r[0]) for r in rows]

    def ae_terms(self) -> list[Record]:
        rows = self._all("SELECT * FROM ae_terms ORDER BY ord")
        names = self._names("ae")
        for r in rows:
            r["names"] = names.get(r["id"], [])
        return rows

    def grading_systems(self) -> list[Record]:
        import json

        systems = self._all("SELECT * FROM grading_systems ORDER BY ord")
        rows = self._grouped("SELECT * FROM grading_rows ORDER BY system_id, ord", "system_id")
        for s in systems:
            s["columns"] = json.loads(s["columns"])
            s["rows"] = rows.get(s["id"], [])
            for r in s["rows"]:
                r["criteria"] = json.loads(r["criteria"])
        return systems

    def _names(self, kind: str, only: str = "") -> dict[str, list[Record]]:
        """Each entity's names, in the order written; `only`: a JSON list of the entities to read."""
        out: dict[str, list[Record]] = defaultdict(list)
        for r in self.conn.execute(
            "SELECT entity_id, name, name_kind FROM entity_names WHERE entity_kind = ?"
            + (" AND entity_id IN (SELECT value FROM json_each(?)) ORDER BY rowid" if only else ""),
            (kind, only) if only else (kind,)
        ):
            out[r["entity_id"]].append({"name": r["name"], "kind": r["name_kind"]})
        return out

    def _grouped(self, sql: str, key: str, params: tuple[Any, ...] = ()) -> dict[Any, list[Record]]:
        out: dict[Any, list[Record]] = defaultdict(list)
        for r in self._all(sql, params):
            out[r[key]].append(r)
        return out

    # -- studies -------------------------------------------------------------
    def study(self, study_id: str) -> StudyRecord | None:
        """The study with this id, else the one this acronym or registry number names (exactly)."""
        found = self.studies(study_id)
        if not found and (other := self.find_study(study_id)) is not None:
            found = self.studies(other)
        return found[0] if found else None

    def find_study(self, name: str) -> str | None:
        """The id of the study that `name` names: its id, printed acronym or NCT number, or an identifier
        from the registry; matched exactly, case, spaces and hyphens ignored ('netter 1' is NETTER-1,
        'NETTER-2' is nothing)."""
        from db.dataset.keys import normalize_key

        key = normalize_key(name)
        if not key:
            return None
        row = self.conn.execute(
            "SELECT d.ref FROM search_keys k JOIN search_docs d ON d.id = k.doc_id"
            " WHERE k.key = ? AND d.kind = 'study' ORDER BY d.id LIMIT 1", (key,)).fetchone()
        return None if row is None else str(row[0])

    def studies(self, only: str | None = None) -> list[StudyRecord]:
        """Every study (or one), fully nested: arms (regimen, outcomes, adverse events, a cohort's or stratum's
        own population), comparisons, notes; its design, population and end points as dicts
        (db/dataset/population.py)."""
        where, params = ("WHERE study_id = ?", (only,)) if only is not None else ("", ())
        arm_where = "WHERE arm_id IN (SELECT id FROM arms WHERE study_id = ?)" if only is not None else ""
        studies = self._all(
            "SELECT * FROM studies " + ("WHERE id = ?" if only is not None else "ORDER BY ord"), params)
        diseases = self._grouped(f"SELECT * FROM study_diseases {where} ORDER BY study_id, ord", "study_id", params)
        arms = self._grouped(f"SELECT * FROM arms {where} ORDER BY study_id, ord", "study_id", params)
        drugs = self._grouped(
            "SELECT ad.*, d.name AS drug_name FROM arm_drugs ad JOIN drugs d ON d.id = ad.drug_id"
            f" {arm_where.replace('arm_id', 'ad.arm_id')} ORDER BY ad.arm_id, ad.ord", "arm_id", params)
        outcomes = self._grouped(f"SELECT * FROM outcomes {where} ORDER BY study_id, ord", "study_id", params)
        aes = self._grouped(
            "SELECT ae.*, t.name AS canonical_name, t.ctcae_term FROM adverse_events ae"
            f" JOIN ae_terms t ON t.id = ae.ae_id {where.replace('study_id', 'ae.study_id')}"
            " ORDER BY ae.arm_id, ae.ord", "arm_id", params)
        notes = self._grouped(
            f"SELECT * FROM notes {where} ORDER BY study_id, arm_id IS NOT NULL, ord", "study_id", params)
        identifiers = self._grouped(
            "SELECT i.study_id, i.kind, i.value, i.source_id, i.locator, src.short AS source_short,"
            " src.kind AS source_kind FROM study_identifiers i JOIN sources src ON src.id = i.source_id"
            f" {where.replace('study_id', 'i.study_id')} ORDER BY i.study_id, i.ord", "study_id", params)
        marks = self._grouped(
            "SELECT nf.reading_id, n.id AS note_id, n.kind, n.text, n.source_id, n.locator FROM note_figures nf"
            f" JOIN notes n ON n.id = nf.note_id {where.replace('study_id', 'n.study_id')} ORDER BY n.id",
            "reading_id", params)
        for s in studies:
            for key in ("enrolled", "evaluable"):
                s[f"{key}_caveats"] = marks.get(s[f"{key}_reading"], [])
            for key in ("design", "population", "endpoints"):  # as the seed writes them, with source and at
                s[key] = json_object(s.get(key))
            s["diseases"] = [d["disease_id"] for d in diseases.get(s["id"], [])]
            s["identifiers"] = identifiers.get(s["id"], [])
            s["label"] = study_label(s)
            arm_rows = arms.get(s["id"], [])
            key_of = {a["id"]: a["key"] for a in arm_rows}
            study_outcomes = outcomes.get(s["id"], [])
            study_notes = notes.get(s["id"], [])
            link_records(study_outcomes, marks)
            for a in arm_rows:
                a["population"] = json_object(a.get("population"))
                a["regimen_caveats"] = marks.get(f"{s['id']}/{a['key']}/regimen", [])
                a["n_caveats"] = marks.get(a["n_reading"], [])
                link_records(aes.get(a["id"], []), marks)
                a["regimen"] = drugs.get(a["id"], [])
                a["outcomes"] = [o for o in study_outcomes if o["arm_id"] == a["id"] and o["vs_arm_id"] is None]
                a["adverse_events"] = aes.get(a["id"], [])
                a["notes"] = [n for n in study_notes if n["arm_id"] == a["id"]]
            s["arms"] = arm_rows
            s["comparisons"] = [
                o | {"arm": key_of[o["arm_id"]], "vs": key_of[o["vs_arm_id"]]}
                for o in study_outcomes if o["vs_arm_id"] is not None
            ]
            s["notes"] = [n for n in study_notes if n["arm_id"] is None]
        return cast("list[StudyRecord]", studies)

    # -- search --------------------------------------------------------------
    def search(self, text: str, limit: int = 50) -> Hits:
        """Ranked hits; `notice` on the result says when an acronym or registry number names no study."""
        return self.engine.search(text, limit)

    @property
    def engine(self) -> SearchEngine:
        """The search engine over this dataset, made at the first search (its modules are no import at start)."""
        if self._engine is None:
            from db.search.engine import SearchEngine

            self._engine = SearchEngine(self.conn, self.disease_tree)
        return self._engine

    def lead_study(self, drug: str | None = None, disease: str | None = None) -> str | None:
        return lead_study(self, drug=drug, disease=disease)


def lead_study(store: Store, drug: str | None = None, disease: str | None = None) -> str | None:
    """The id of the highest-evidence study (db/presentation/evidence.py `evidence_key`) in `disease` or one of its
    subtypes, or the lead study of `drug` (db/presentation/evidence.py `lead`, the handout's rule: the drug alone
    under test, else in a combination under test; never a study where it is only the control arm);
    None when there is none.

    With both, the drug's studies are ordered by the setting: one in the disease (or a subtype) first,
    then one in a parent, then any other, as the handout's lead study. Opening a drug or disease hit
    in the window selects this study."""
    from db.presentation.evidence import evidence_key, lead

    if drug is None and disease is None:
        return None
    named, parents = store.disease_tree.setting(disease)
    if drug is not None:
        where, params = ("s.id IN (SELECT a.study_id FROM arms a JOIN arm_drugs ad ON ad.arm_id = a.id"
                         " WHERE ad.drug_id = ?)"), [drug]
    else:
        where = f"s.id IN (SELECT study_id FROM study_diseases WHERE disease_id IN ({','.join('?' * len(named))}))"
        params = sorted(named)
    rows = {str(r["id"]): dict(r) for r in store.conn.execute(
        "SELECT s.id, s.phase, s.kind, s.design, s.year, s.enrolled, s.evaluable, s.ord,"
        " (SELECT group_concat(disease_id, ' ') FROM study_diseases WHERE study_id = s.id) AS disease_ids"
        f" FROM studies s WHERE {where}", params)}
    if not rows:
        return None
    for r in rows.values():
        r["diseases"] = (r.pop("disease_ids") or "").split()
        r["design"] = json_object(r["design"])  # randomised as the design text says it
        r["arms"] = []
    marks = ",".join("?" * len(rows))
    for a in store.conn.execute(f"SELECT study_id, role, regimen_key, n FROM arms WHERE study_id IN ({marks})",
                                list(rows)):
        rows[str(a["study_id"])]["arms"].append(dict(a))
    if drug is None:
        return str(min(rows.values(), key=lambda r: evidence_key(r, named, parents))["id"])
    alone = lead(rows.values(), drug, named, parents)
    if alone is not None:
        return str(alone[0]["id"])
    keys = {a["regimen_key"] for r in rows.values() for a in r["arms"] if drug in a["regimen_key"].split("+")}
    combined = [lead(rows.values(), key, named, parents) for key in keys]
    found = [c[0] for c in combined if c is not None]
    return str(min(found, key=lambda r: evidence_key(r, named, parents))["id"]) if found else None

