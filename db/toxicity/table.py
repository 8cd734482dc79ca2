"""The Toxicity view's data: adverse-event figures of chosen therapies, as each source prints them.

A therapy is a regimen (arms.regimen_key: `everolimus`, `everolimus+octreotide`), pooled
over every study that has an arm with it. A figure the source does not report stays
None (shown as "–"), never 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from db.presentation.evidence import evidence_key
from db.presentation.identifiers import short_name
from db.presentation.present import Caveat, Reading, ae_reading, marks, value_text
from db.presentation.present import text as figure_text
from db.store import Store

BAND_TEXT = {"3-4": "3–4", ">=3": "≥3"}
NOT_REPORTED = "–"


@dataclass(frozen=True)
class Therapy:
    key: str
    label: str
    drug_ids: tuple[str, ...]
    studies: int
    arms: int
    figures: int


@dataclass(frozen=True)
class ToxRow:
    ae_id: str
    ae_name: str
    term: str
    therapy_key: str
    therapy_label: str
    study_id: str
    study_name: str
    arm_key: str
    arm_label: str
    all_grade: Reading | None
    high_grade: Reading | None
    band: str  # "3-4" or ">=3": the source's heading for the high-grade column
    source_id: str
    source: str
    locator: str
    note: str | None
    arm_notes: tuple[str, ...] = ()
    ae_names: tuple[str, ...] = ()
    caveats: tuple[Caveat, ...] = ()  # the notes and caveat that mark this row's figures
    preferred: bool = True  # False: another reading of the same event in the same arm is shown first
    reading_id: str = ""
    diseases: tuple[str, ...] = ()  # the study's disease ids
    disease_names: tuple[str, ...] = ()
    ctcae_term: str | None = None
    ctcae_short: str | None = None  # a short clinical form of a long CTCAE term

    @property
    def event_short(self) -> str:
        """The CTCAE term in a short clinical form (never '... - Other, specify'), for page 1."""
        return self.ctcae_short or self.event

    @property
    def event(self) -> str:
        """The event by its CTCAE v5.0 term where it has one (else the dataset's name)."""
        return self.ctcae_term or self.ae_name

    @property
    def event_reported(self) -> str:
        """'Palmar-plantar erythrodysesthesia syndrome (reported: Hand-foot skin reaction)': the CTCAE term
        with the source's own wording where it differs."""
        same = self.term.casefold().replace("–", "-") == self.event.casefold()
        return self.event if same else f"{self.event} (reported: {self.term})"

    @property
    def disease_text(self) -> str:
        return ", ".join(self.disease_names)

    @property
    def band_text(self) -> str:
        return BAND_TEXT.get(self.band, self.band)

    @property
    def mark(self) -> str:
        return marks(self.caveats)

    @property
    def all_text(self) -> str:
        """'68%⚠', or '–' (not reported, which is not 0)."""
        return figure_text(self.all_grade, "value") if self.all_grade else NOT_REPORTED

    @property
    def high_text(self) -> str:
        """'42% (≥3)⚠', or '–'."""
        if self.high_grade is None:
            return NOT_REPORTED
        return f"{value_text(self.high_grade)} ({self.band_text}){marks(self.high_grade.caveats)}"

    @property
    def cite(self) -> str:
        return f"{self.source}, {self.locator}"

    @property
    def ref(self) -> str:
        """The search index's ref for this figure: `study_id/arm_key/ae_id`."""
        return f"{self.study_id}/{self.arm_key}/{self.ae_id}"

    @property
    def peak(self) -> float:
        """The larger of the two numbers; -1 when neither figure has one (ranks last)."""
        values = [f.value for f in (self.all_grade, self.high_grade) if f and f.value is not None]
        return max(values, default=-1.0)


def therapies(store: Store) -> list[Therapy]:
    """Regimens with at least one adverse-event figure, by label; placebo-only arms are left out."""
    drugs: dict[str, list[str]] = defaultdict(list)
    for key, drug in store.conn.execute(
        "SELECT DISTINCT a.regimen_key, ad.drug_id FROM arms a JOIN arm_drugs ad ON ad.arm_id = a.id"
        " WHERE ad.drug_id != 'placebo' ORDER BY a.regimen_key, ad.drug_id"
    ):
        drugs[key].append(drug)
    rows = store.conn.execute(
        "SELECT a.regimen_key, MIN(a.regimen_label), COUNT(DISTINCT a.study_id), COUNT(DISTINCT a.id),"
        " COUNT(ae.id) FROM arms a JOIN adverse_events ae ON ae.arm_id = a.id"
        " WHERE a.regimen_key != 'placebo' GROUP BY a.regimen_key"
    ).fetchall()
    out = [Therapy(str(key), str(label), tuple(drugs.get(key, ())), int(n_studies), int(n_arms), int(n_figures))
           for key, label, n_studies, n_arms, n_figures in rows]
    return sorted(out, key=lambda t: (t.label.casefold(), t.key))


def toxicity_rows(store: Store, keys: list[str], disease: str | None = None) -> list[ToxRow]:
    """Every adverse-event figure of the given therapies: by event name, then in the order of `keys`,
    then study in evidence order (db/presentation/evidence.py: design, then n and year, as the handout's lead
    study; in `disease`, its subtypes, then its parents, first), arm and the figure's place in the seeds."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    records = store.conn.execute(
        "SELECT ae.*, t.name AS ae_name, t.ctcae_term, t.short AS ctcae_short, a.key AS arm_key,"
        " a.label AS arm_label, a.regimen_key,"
        " a.regimen_label, s.name AS study_name, s.acronym AS study_acronym, src.short AS source_short,"
        " s.ord AS study_ord, a.ord AS arm_ord"
        " FROM adverse_events ae JOIN arms a ON a.id = ae.arm_id JOIN studies s ON s.id = ae.study_id"
        " JOIN ae_terms t ON t.id = ae.ae_id JOIN sources src ON src.id = ae.source_id"
        f" WHERE a.regimen_key IN ({marks})",
        keys,
    ).fetchall()
    names = _ae_names(store, {r["ae_id"] for r in records})
    arm_notes = _arm_notes(store, {r["arm_id"] for r in records})
    linked = _marking_notes(store, [r["reading_id"] for r in records])
    studies = _studies(store, {r["study_id"] for r in records})
    named, parents = setting(store, disease)
    order = {sid: n for n, sid in enumerate(sorted(studies, key=lambda i: evidence_key(studies[i], named, parents)))}
    disease_names = {str(i): str(n) for i, n in store.conn.execute("SELECT id, name FROM diseases")}
    rank = {k: i for i, k in enumerate(keys)}
    records = [dict(r) | {"caveats": linked.get(r["reading_id"], [])} for r in records]
    records.sort(key=lambda r: (r["ae_name"].casefold(), rank[r["regimen_key"]], order[r["study_id"]], r["arm_ord"],
                                not r["preferred"], r["ord"]))
    out = []
    for r in records:
        high, every = ae_reading(r, True), ae_reading(r, False)
        either = high or every
        out.append(ToxRow(
            ae_id=r["ae_id"], ae_name=r["ae_name"], term=r["term"], therapy_key=r["regimen_key"],
            therapy_label=r["regimen_label"], study_id=r["study_id"], study_name=short_name(studies[r["study_id"]]),
            arm_key=r["arm_key"], arm_label=r["arm_label"], all_grade=every, high_grade=high,
            band=r["high_band"], source_id=r["source_id"], source=r["source_short"], locator=r["locator"],
            note=r["note"], arm_notes=arm_notes.get(r["arm_id"], ()), ae_names=names.get(r["ae_id"], ()),
            caveats=either.caveats if either else (), preferred=bool(r["preferred"]), reading_id=r["reading_id"],
            diseases=tuple(studies[r["study_id"]]["diseases"]),
            disease_names=tuple(disease_names.get(d, d) for d in studies[r["study_id"]]["diseases"]),
            ctcae_term=r["ctcae_term"], ctcae_short=r["ctcae_short"],
        ))
    return out


def _studies(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """What the evidence order reads of each study (phase, kind, n, year, diseases), and its short name."""
    ids = sorted(ids)
    marks = ",".join("?" * len(ids))
    out: dict[str, dict[str, Any]] = {}
    for r in store.conn.execute(
        "SELECT s.id, s.name, s.acronym, s.phase, s.kind, s.year, s.enrolled, s.evaluable, s.ord,"
        " (SELECT max(n) FROM arms WHERE study_id = s.id) AS arm_n,"
        " (SELECT group_concat(disease_id, ' ') FROM study_diseases WHERE study_id = s.id) AS disease_ids"
        f" FROM studies s WHERE s.id IN ({marks})", ids
    ):
        out[r["id"]] = dict(r) | {"diseases": (r["disease_ids"] or "").split(), "arms": [{"n": r["arm_n"]}],
                                  "identifiers": []}
    for sid, kind, value in store.conn.execute(
        f"SELECT study_id, kind, value FROM study_identifiers WHERE study_id IN ({marks}) ORDER BY ord", ids
    ):
        out[sid]["identifiers"].append({"kind": kind, "value": value})
    return out


def setting(store: Store, disease: str | None) -> tuple[set[str], set[str]]:
    """(the disease and its subtypes, its parents); both empty for no disease."""
    if disease is None:
        return set(), set()
    parent = {str(i): p for i, p in store.conn.execute("SELECT id, parent_id FROM diseases")}
    named = {disease}
    grew = True
    while grew:
        more = {i for i, p in parent.items() if p in named} - named
        named |= more
        grew = bool(more)
    parents: set[str] = set()
    above = parent.get(disease)
    while above and above not in parents and above not in named:
        parents.add(above)
        above = parent.get(above)
    return named, parents


def disease_choices(store: Store) -> list[tuple[str, str]]:
    """(name, id) of every disease, depth first, so a disease's subtypes follow it."""
    children: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
    for ident, name, parent in store.conn.execute("SELECT id, name, parent_id FROM diseases ORDER BY ord"):
        children[parent].append((str(name), str(ident)))
    out: list[tuple[str, str]] = []
    stack = list(reversed(children[None]))
    while stack:
        name, ident = stack.pop()
        if any(i == ident for _, i in out):
            continue
        out.append((name, ident))
        stack += reversed(children.get(ident, []))
    return out


def in_setting(rows: list[ToxRow], store: Store, disease: str | None) -> list[ToxRow]:
    """The rows of studies in `disease` or one of its subtypes (all rows for None)."""
    if disease is None:
        return list(rows)
    named, _parents = setting(store, disease)
    return [r for r in rows if named & set(r.diseases)]


def _marking_notes(store: Store, reading_ids: list[str]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = defaultdict(list)
    marks_ = ",".join("?" * len(reading_ids))
    for row in store.conn.execute(
        "SELECT nf.reading_id, n.id AS note_id, n.kind, n.text, n.source_id, n.locator FROM note_figures nf"
        f" JOIN notes n ON n.id = nf.note_id WHERE nf.reading_id IN ({marks_}) ORDER BY n.id", reading_ids
    ):
        out[row["reading_id"]].append(dict(row))
    return out


def _ae_names(store: Store, ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    ids = sorted(ids)
    out: dict[str, list[str]] = defaultdict(list)
    marks = ",".join("?" * len(ids))
    for ident, name in store.conn.execute(
        f"SELECT entity_id, name FROM entity_names WHERE entity_kind = 'ae' AND entity_id IN ({marks})", ids
    ):
        out[ident].append(name)
    return {k: tuple(v) for k, v in out.items()}


def _arm_notes(store: Store, arm_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Ambiguities and contradictions attached to an arm: they change how its figures read."""
    ids = sorted(arm_ids)
    out: dict[int, list[str]] = defaultdict(list)
    marks = ",".join("?" * len(ids))
    for arm_id, text in store.conn.execute(
        f"SELECT arm_id, text FROM notes WHERE arm_id IN ({marks}) AND kind IN ('ambiguity', 'contradiction')"
        " ORDER BY ord", ids
    ):
        out[arm_id].append(text)
    return {k: tuple(v) for k, v in out.items()}


def therapies_with_drug(store: Store, drug_id: str) -> list[str]:
    """Keys of the therapies (with adverse-event figures) whose regimen contains the drug, most figures first."""
    with_drug = {key for (key,) in store.conn.execute(
        "SELECT DISTINCT a.regimen_key FROM arms a JOIN arm_drugs ad ON ad.arm_id = a.id WHERE ad.drug_id = ?",
        (drug_id,))}
    found = [t for t in therapies(store) if t.key in with_drug]
    found.sort(key=lambda t: (t.key != drug_id, -t.figures, t.label.casefold()))
    return [t.key for t in found]


def filter_rows(rows: list[ToxRow], text: str) -> list[ToxRow]:
    """Rows whose event (canonical name, reported term or a synonym) contains every word of `text`."""
    words = text.casefold().split()
    if not words:
        return list(rows)

    def hit(row: ToxRow) -> bool:
        names = " | ".join((row.ae_name, row.term, *row.ae_names)).casefold()
        return all(w in names for w in words)

    return [r for r in rows if hit(r)]


def therapy_of_arm(store: Store, study_id: str, arm_key: str) -> str | None:
    """The therapy key of one arm, e.g. for the ref `select/lenvatinib/hypertension`."""
    row = store.conn.execute("SELECT regimen_key FROM arms WHERE study_id = ? AND key = ?",
                             (study_id, arm_key)).fetchone()
    return None if row is None else str(row[0])


def ae_name(store: Store, ae_id: str) -> str | None:
    row = store.conn.execute("SELECT name FROM ae_terms WHERE id = ?", (ae_id,)).fetchone()
    return None if row is None else str(row[0])


def is_drug(store: Store, drug_id: str) -> bool:
    return store.conn.execute("SELECT 1 FROM drugs WHERE id = ?", (drug_id,)).fetchone() is not None


def event_labels(rows: list[ToxRow]) -> list[str]:
    """Each row's event in its short form; where two rows of one list share a term (the source's asthenia
    and fatigue are both CTCAE Fatigue), each says what the source reported: 'Fatigue (reported: Asthenia)'."""
    labels = [r.event_short for r in rows]
    shared = {x for x in labels if labels.count(x) > 1}
    return [f"{label} (reported: {r.term})" if label in shared and r.term.casefold() != label.casefold() else label
            for label, r in zip(labels, rows, strict=True)]
