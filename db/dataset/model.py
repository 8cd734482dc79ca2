"""The curated content as plain Python objects, as read from seeds/ and validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.dataset.cite import Cite as Cite  # re-exported: every record of the model cites with it
from db.dataset.cite import Loc as Loc
from db.dataset.figures import Figure

if TYPE_CHECKING:
    from db.dataset.population import Design, Endpoints, Population


@dataclass
class Sourced:
    """A count as printed (n, enrolled, evaluable), with whom it counts (vocab.SCOPES)."""

    figure: Figure
    cite: Cite
    loc: Loc
    note: str | None = None
    scope: str | None = None


@dataclass
class Source:
    id: str
    kind: str
    short: str
    citation: str
    loc: Loc
    year: str | None = None
    doi: str | None = None
    pmid: str | None = None
    nct: str | None = None
    file: str | None = None
    description: str | None = None


@dataclass
class Disease:
    id: str
    name: str
    loc: Loc
    parent: str | None = None
    synonyms: list[str] = field(default_factory=list)
    description: str | None = None
    parent_line: int = 0  # where `parent:` is written
    short: str | None = None  # the name in a sentence or a narrow cell: "RAI-refractory DTC"


@dataclass
class DrugFact:
    kind: str
    text: str
    cite: Cite
    loc: Loc


@dataclass
class Approval:
    agency: str
    indication: str
    cite: Cite
    loc: Loc
    year: str | None = None
    diseases: list[str] = field(default_factory=list)
    note: str | None = None
    diseases_line: int = 0


@dataclass
class Drug:
    id: str
    name: str
    drug_class: str
    loc: Loc
    targets: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    route: str | None = None
    facts: list[DrugFact] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # ids from seeds/therapy-classes.yaml
    classes_line: int = 0  # where `classes:` is written


@dataclass
class Brand:
    """A brand name of a drug that a regulator's product information gives (seeds/brands.yaml), cited to
    that label: not from the curated sources, and nothing about what the drug is approved for."""

    drug: str
    name: str
    regions: list[str]
    cite: Cite
    loc: Loc
    other_form: str | None = None  # the label is another form of the drug than the dataset's: said why


@dataclass
class AETerm:
    id: str
    name: str
    loc: Loc
    ctcae_term: str | None = None
    short: str | None = None  # a short clinical form of a long CTCAE term, for page 1 and charts
    meddra: str | None = None
    soc: str | None = None
    synonyms: list[str] = field(default_factory=list)
    grades: dict[int, str] = field(default_factory=dict)
    definition: str | None = None


@dataclass
class Criterion:
    printed: str
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    values: list[str] = field(default_factory=list)


@dataclass
class GradingRow:
    grade: str
    label: str
    loc: Loc
    criteria: dict[str, Criterion] = field(default_factory=dict)
    description: str | None = None


@dataclass
class GradingColumn:
    key: str
    label: str
    unit: str | None = None


@dataclass
class GradingSystem:
    id: str
    name: str
    kind: str
    edition: str
    cite: Cite
    loc: Loc
    site: str | None = None
    rule: str | None = None
    combine: str | None = None
    note: str | None = None
    columns: list[GradingColumn] = field(default_factory=list)
    rows: list[GradingRow] = field(default_factory=list)


@dataclass
class Note:
    kind: str
    text: str
    cite: Cite
    loc: Loc
    figures: list[str] | None = None  # figure references relative to the study ("sorafenib/pfs_median")
    figures_line: int = 0


@dataclass
class Dose:
    drug: str
    loc: Loc
    dose: str | None = None
    route: str | None = None
    schedule: str | None = None


@dataclass
class Outcome:
    measure: str
    value: Figure
    cite: Cite
    loc: Loc
    unit: str | None = None
    ci_low: Figure | None = None
    ci_high: Figure | None = None
    p: Figure | None = None
    timepoint: str | None = None
    count: Figure | None = None
    subgroup: str | None = None
    note: str | None = None
    arm: str | None = None
    vs: str | None = None
    ci_level: str | None = None  # vocab.CI_LEVELS: as the source prints it
    label: str | None = None  # the category as printed, where it differs from the measure's name
    caveat: str | None = None  # a note that changes how this figure reads: shown with a mark
    preferred: str | None = None  # why this reading is shown first among several
    reading: str | None = None  # the reading's name when its locator does not tell it apart
    of: Sourced | None = None  # the denominator as printed, with its scope


@dataclass
class AdverseEvent:
    term: str
    ae: str
    cite: Cite
    loc: Loc
    all_grade: Figure | None = None
    high_grade: Figure | None = None
    high_band: str = "3-4"
    note: str | None = None
    caveat: str | None = None
    preferred: str | None = None
    reading: str | None = None


@dataclass
class Arm:
    key: str
    label: str
    role: str
    loc: Loc
    n: Sourced | None = None
    regimen: list[Dose] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    adverse_events: list[AdverseEvent] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    population: Population | None = None  # a cohort's or stratum's own, where it differs from the study's


@dataclass
class Identifier:
    """A name of the study that the curated sources do not print (an acronym, a registry number),
    cited to the registry record or publication that gives it."""

    kind: str  # vocab.IDENTIFIER_KINDS: "acronym" or "nct"
    value: str
    cite: Cite
    loc: Loc


@dataclass
class Study:
    id: str
    name: str
    phase: str
    kind: str
    status: str
    cite: Cite
    loc: Loc
    acronym: str | None = None
    first_author: str | None = None
    year: str | None = None
    title: str | None = None
    nct: str | None = None
    design: Design | None = None
    diseases: list[str] = field(default_factory=list)
    setting: str | None = None
    summary: str | None = None
    enrolled: Sourced | None = None
    evaluable: Sourced | None = None
    key_lines: dict[str, int] = field(default_factory=dict)
    identifiers: list[Identifier] = field(default_factory=list)
    arms: list[Arm] = field(default_factory=list)
    comparisons: list[Outcome] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    population: Population | None = None
    endpoints: Endpoints | None = None


@dataclass
class Term:
    """An entry of a vocabulary file (seeds/therapy-classes.yaml, seeds/markers.yaml)."""

    id: str
    name: str
    loc: Loc
    synonyms: list[str] = field(default_factory=list)


@dataclass
class Dataset:
    version: str
    title: str
    released: str | None
    sources: list[Source] = field(default_factory=list)
    diseases: list[Disease] = field(default_factory=list)
    drugs: list[Drug] = field(default_factory=list)
    ae_terms: list[AETerm] = field(default_factory=list)
    grading: list[GradingSystem] = field(default_factory=list)
    studies: list[Study] = field(default_factory=list)
    therapy_classes: list[Term] = field(default_factory=list)
    markers: list[Term] = field(default_factory=list)
    brands: list[Brand] = field(default_factory=list)
