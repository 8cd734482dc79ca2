"""The one name for a record as the store gives it: a database row, or a study nested with its arms,
outcomes and notes (db/store.py `Store.studies`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

Record = dict[str, Any]
Row = Mapping[str, Any]
"""What a reader that serves several queries takes: a database row, a nested study (`StudyRecord`), the
Trials fetch's or the search index's rows, a doctest's partial dict. A reader of one query's records takes
that record's TypedDict instead, so a misspelt key fails mypy."""


class SourceRecord(TypedDict):
    """A source document or standard as `Store.sources()` gives it (table sources)."""

    id: str
    kind: str  # review, trial, news, standard, registry, label
    short: str  # 'Cancer Manag Res 2017'
    citation: str
    year: str | None
    doi: str | None
    pmid: str | None
    nct: str | None
    file: str | None
    description: str | None
    ord: int


class DiseaseRecord(TypedDict):
    """A disease as `Store.diseases()` gives it; the tree of them is `Store.disease_tree`."""

    id: str
    name: str
    short: str | None
    parent_id: str | None
    description: str | None
    ord: int


class VocabularyRecord(TypedDict):
    """A therapy class or a marker as `Store.vocabulary(kind)` gives it, with its synonyms."""

    id: str
    name: str
    synonyms: list[str]


def json_object(column: str | None) -> Record | None:
    """A JSON object column; a build of schema 5 or older (a kept previous dataset, for the release diff)
    has no such column, or the design as one line of text: {'text': ...}."""
    import json  # not an import at start-up: a study is read after the window is shown

    if column is None:
        return None
    try:
        value = json.loads(column)
    except ValueError:
        value = None
    return value if isinstance(value, dict) else {"text": column}


class MarkRecord(TypedDict):
    """A note that marks a reading (its caveat, contradiction or ambiguity), as linked to the figure."""

    reading_id: str
    note_id: int
    kind: str  # contradiction, ambiguity, context
    text: str
    source_id: str
    locator: str


class NoteRecord(TypedDict):
    """A study's or an arm's note as the seed writes it (table notes)."""

    id: int
    study_id: str
    arm_id: int | None
    kind: str
    text: str
    source_id: str
    locator: str
    ord: int


class IdentifierRecord(TypedDict):
    """A name the sources do not print (an acronym or registry number), with the record that gives it."""

    study_id: str
    kind: str  # acronym, nct
    value: str
    source_id: str
    locator: str
    source_short: str
    source_kind: str


class RegimenDrugRecord(TypedDict):
    """One drug of an arm's regimen (table arm_drugs, with the drug's name)."""

    arm_id: int
    drug_id: str
    drug_name: str
    dose: str | None
    route: str | None
    schedule: str | None
    ord: int


class _Figure(TypedDict):
    """What every figure row carries: its figure and reading ids, whether the reading is the preferred one,
    its source, and (linked by the store) the notes that mark it and the other readings of a preferred one."""

    id: int
    study_id: str
    figure_id: str
    reading_id: str
    preferred: int
    why: str | None
    note: str | None
    caveat: str | None
    source_id: str
    locator: str
    ord: int
    caveats: list[MarkRecord]


class OutcomeRecord(_Figure):
    """An efficacy figure of one arm (table outcomes): value as printed, interval, p, count, verdict."""

    arm_id: int | None
    vs_arm_id: int | None
    measure: str
    value_text: str
    value: float | None
    qualifier: str
    unit: str | None
    ci_low_text: str | None
    ci_low: float | None
    ci_high_text: str | None
    ci_high: float | None
    ci_level: str | None
    p_text: str | None
    p: float | None
    timepoint: str | None
    count_text: str | None
    of_text: str | None
    of_scope: str | None
    subgroup: str | None
    label: str | None
    verdict: str | None
    alternatives: list[OutcomeRecord]


class ComparisonRecord(OutcomeRecord):
    """A figure that compares two arms (a hazard ratio): `arm` against `vs`, by the arms' keys."""

    arm: str
    vs: str


class AdverseEventRecord(_Figure):
    """An adverse event of one arm: the any-grade and the high-band rates as printed (`high_band` says
    which grades the high figure counts: '3-4', '3+', '3', ...)."""

    arm_id: int
    ae_id: str
    term: str
    canonical_name: str
    ctcae_term: str | None
    all_text: str | None
    all_value: float | None
    all_qualifier: str | None
    high_text: str | None
    high_value: float | None
    high_qualifier: str | None
    high_band: str
    alternatives: list[AdverseEventRecord]


class ArmRecord(TypedDict):
    """An arm, cohort or stratum, nested with its regimen, figures and notes; `population` where a cohort's
    or stratum's differs from the study's (as the seed writes it)."""

    id: int
    study_id: str
    key: str
    label: str
    role: str  # experimental, control, single, cohort, stratum, pooled
    regimen_key: str
    regimen_label: str
    n_text: str | None
    n: float | None
    n_source: str | None
    n_locator: str | None
    n_scope: str | None
    n_note: str | None
    n_reading: str | None
    n_caveats: list[MarkRecord]
    population: Record | None
    regimen: list[RegimenDrugRecord]
    regimen_caveats: list[MarkRecord]
    outcomes: list[OutcomeRecord]
    adverse_events: list[AdverseEventRecord]
    notes: list[NoteRecord]
    ord: int


class StudyRecord(TypedDict):
    """A study as `Store.studies()` gives it, fully nested. `design`, `population` and `endpoints` are the
    seed's objects (db/dataset/population.py), with their sources."""

    id: str
    name: str
    label: str
    acronym: str | None
    first_author: str | None
    year: str | None
    title: str | None
    nct: str | None
    phase: str
    kind: str
    status: str
    setting: str | None
    summary: str | None
    design: Record | None
    population: Record | None
    endpoints: Record | None
    population_line: str
    population_markers: str
    enrolled_text: str | None
    enrolled: float | None
    enrolled_source: str | None
    enrolled_locator: str | None
    enrolled_scope: str | None
    enrolled_note: str | None
    enrolled_reading: str | None
    enrolled_caveats: list[MarkRecord]
    evaluable_text: str | None
    evaluable: float | None
    evaluable_source: str | None
    evaluable_locator: str | None
    evaluable_scope: str | None
    evaluable_note: str | None
    evaluable_reading: str | None
    evaluable_caveats: list[MarkRecord]
    diseases: list[str]
    identifiers: list[IdentifierRecord]
    arms: list[ArmRecord]
    comparisons: list[ComparisonRecord]
    notes: list[NoteRecord]
    source_id: str
    locator: str
    ord: int
