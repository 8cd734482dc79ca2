"""The Toxicity view's data: adverse-event figures of chosen therapies, as each source prints them.

A therapy is a regimen (arms.regimen_key: `everolimus`, `everolimus+octreotide`), pooled
over every study that has an arm with it. A figure the source does not report stays
None (shown as "not reported"), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.presentation.evidence import evidence_key
from db.presentation.identifiers import short_name
from db.presentation.present import Caveat, Reading, ae_reading, band_label, marks
from db.presentation.present import text as figure_text
from db.store import Store


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
        return band_label(self.band, short=True)

    @property
    def mark(self) -> str:
        return marks(self.caveats)

    @property
    def all_text(self) -> str:
        """'68%⚠', or 'not reported' (which is not 0)."""
        return figure_text(self.all_grade, "value")

    @property
    def high_text(self) -> str:
        """'42% (≥3)⚠', or 'not reported'."""
        return figure_text(self.high_grade, "value", band=True)

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
    drugs = store.regimen_drugs()
    out = [Therapy(key, label, tuple(drugs.get(key, ())), n_studies, n_arms, n_figures)
           for key, label, n_studies, n_arms, n_figures in store.toxicity.regimen_counts()]
    return sorted(out, key=lambda t: (t.label.casefold(), t.key))


def toxicity_rows(store: Store, keys: list[str], disease: str | None = None, study: str | None = None) -> list[ToxRow]:
    """Every adverse-event figure of the given therapies: by event name, then in the order of `keys`,
    then study in evidence order (db/presentation/evidence.py: design, then n and year, as the handout's lead
    study; in `disease`, its subtypes, then its parents, first), arm and the figure's place in the seeds.
    `study`: that study's figures only (the same rows, in the same order, as those of it among all)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return []
    room = store.toxicity
    found = room.figures(keys, study)
    if not found:  # an arm with no adverse event read: none of the look-ups below has anything to find
        return []
    names = room.ae_names({r["ae_id"] for r in found})
    arm_notes = room.arm_notes({r["arm_id"] for r in found})
    linked = room.marking_notes([r["reading_id"] for r in found])
    studies = room.studies({r["study_id"] for r in found})
    named, parents = setting(store, disease)
    order = {sid: n for n, sid in enumerate(sorted(studies, key=lambda i: evidence_key(studies[i], named, parents)))}
    disease_names = room.disease_names()
    rank = {k: i for i, k in enumerate(keys)}
    records = [dict(r) | {"caveats": linked.get(r["reading_id"], [])} for r in found]
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



def setting(store: Store, disease: str | None) -> tuple[set[str], set[str]]:
    """(the disease and its subtypes, its parents); both empty for no disease."""
    return store.disease_tree.setting(disease)


def disease_choices(store: Store) -> list[tuple[str, str]]:
    """(name, id) of every disease, depth first, so a disease's subtypes follow it."""
    tree = store.disease_tree
    return [(tree.name[ident], ident) for ident in tree.depth_first()]


def in_setting(rows: list[ToxRow], store: Store, disease: str | None) -> list[ToxRow]:
    """The rows of studies in `disease` or one of its subtypes (all rows for None)."""
    if disease is None:
        return list(rows)
    named, _parents = setting(store, disease)
    return [r for r in rows if named & set(r.diseases)]





def therapies_with_drug(store: Store, drug_id: str) -> list[str]:
    """Keys of the therapies (with adverse-event figures) whose regimen contains the drug, most figures first."""
    with_drug = store.toxicity.regimens_with_drug(drug_id)
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
    return store.toxicity.regimen_of_arm(study_id, arm_key)


def ae_name(store: Store, ae_id: str) -> str | None:
    return store.toxicity.ae_name(ae_id)


def is_drug(store: Store, drug_id: str) -> bool:
    return store.toxicity.is_drug(drug_id)


def event_labels(rows: list[ToxRow]) -> list[str]:
    """Each row's event in its short form; where two rows of one list share a term (the source's asthenia
    and fatigue are both CTCAE Fatigue), each says what the source reported: 'Fatigue (reported: Asthenia)'."""
    labels = [r.event_short for r in rows]
    shared = {x for x in labels if labels.count(x) > 1}
    return [f"{label} (reported: {r.term})" if label in shared and r.term.casefold() != label.casefold() else label
            for label, r in zip(labels, rows, strict=True)]
