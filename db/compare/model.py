"""What a comparison is made of: cells of short cited items, rows per topic, numbered references,
and the figures the handout charts draw. Plain data, shared by the window, the handout and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.presentation.present import Caveat

TOPICS: tuple[tuple[str, str], ...] = (
    ("class", "Class and targets"),
    ("dose", "Dose and schedule"),
    ("studies", "Key studies"),
    ("ae_any", "Most frequent adverse events (any grade)"),
    ("ae_high", "Grade ≥3 adverse events"),
    ("withdrawal", "Withdrawal for adverse events"),
    ("monitoring", "Monitoring and interactions"),
    ("approvals", "Approvals"),
    ("local", "Local notes (this workstation)"),
)
# rows the table and the handout show until the user ticks them
OFF_BY_DEFAULT = frozenset({"local"})
TOPIC_KEYS: tuple[str, ...] = tuple(k for k, _ in TOPICS)
TOPIC_TITLES: dict[str, str] = dict(TOPICS)
# rows whose figures come from studies: they carry the setting note when the studies are from another disease
STUDY_TOPICS = frozenset({"dose", "studies", "ae_any", "ae_high", "withdrawal"})

# Item kinds: "" a cited statement or figure; "head" a study's name line; "note" what this dataset
# lacks ("not reported"); "setting" the studies are from another disease than the one chosen;
# "entry" the dataset's own drug entry. Only "" and "head" items are cited.
NOTE, HEAD, ENTRY, SETTING = "note", "head", "entry", "setting"


@dataclass(frozen=True)
class Item:
    text: str
    source_id: str | None = None
    locator: str = ""
    kind: str = ""
    caveats: tuple[Caveat, ...] = ()  # what the marks in `text` stand for


@dataclass(frozen=True)
class Column:
    """One therapy (regimen) and the studies its cells draw on."""

    key: str
    label: str
    drug_ids: tuple[str, ...]
    setting: str  # "in": studies in the chosen disease; "broader": an enclosing disease; "other"; "none"
    note: str  # said in every study-based cell when setting is not "in"
    study_ids: tuple[str, ...] = ()
    where: str = ""  # the diseases of the studies shown, when not the chosen one: "midgut NET"
    short_note: str = ""  # the note again in later rows: "Strosberg: not pancreatic NET"


@dataclass(frozen=True)
class Row:
    topic: str
    title: str
    cells: tuple[tuple[Item, ...], ...]  # one per column


@dataclass(frozen=True)
class Reference:
    number: int
    source_id: str
    short: str
    citation: str
    doi: str | None


@dataclass(frozen=True)
class Bar:
    """A figure a chart draws: `value` None means nothing to draw (not reached, not reported)."""

    column: int  # the therapy's place: its colour
    group: str  # "RADIANT-3" (PFS) or "Stomatitis" (adverse events)
    label: str  # "Everolimus" / "Placebo"
    text: str  # "11.4 months", "NR (not reached)", "7% (grade 3–4)"
    value: float | None
    control: bool = False
    source_id: str | None = None
    locator: str = ""
    unit: str = ""  # "months", "%": bars are drawn on one scale only when their units agree
    caveats: tuple[Caveat, ...] = ()  # marked in `text`
    interval: str = ""  # "95% CI 9.3–13.3": the level as printed
    low: float | None = None  # the interval's ends, for the forest plot
    high: float | None = None
    setting: str = "in"  # the study's setting against the chosen disease: "in", "broader", "other"


@dataclass(frozen=True)
class Comparison:
    disease_id: str
    disease_name: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    references: tuple[Reference, ...]
    pfs_bars: tuple[Bar, ...] = ()
    ae_bars: tuple[Bar, ...] = ()
    dataset_version: str = ""
    catalog: dict[str, Reference] = field(default_factory=dict, compare=False, repr=False)
    numbers: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # caveat key -> its number
    summary: tuple[Row, ...] = ()  # page 1: the lead study's numbers per therapy (db/compare/summary.py)
    hr_bars: tuple[Bar, ...] = ()  # the lead studies' PFS hazard ratios, for the forest plot

    @property
    def caveats(self) -> list[tuple[str, Caveat]]:
        """Every caveat marked in the rows and charts shown, with its mark ('⚠3'), in number order."""
        return self._marked((*self.summary, *self.rows), (*self.pfs_bars, *self.ae_bars, *self.hr_bars))

    @property
    def page_one_caveats(self) -> list[tuple[str, Caveat]]:
        """The caveats marked on page 1: in the summary rows and its two charts (hazard ratios, median PFS)."""
        return self._marked(self.summary, (*self.hr_bars, *self.pfs_bars))

    def _marked(self, rows: tuple[Row, ...], bars: tuple[Bar, ...]) -> list[tuple[str, Caveat]]:
        found: dict[str, Caveat] = {}
        for r in rows:
            for items in r.cells:
                found.update((c.key, c) for i in items for c in i.caveats)
        found.update((c.key, c) for b in bars for c in b.caveats)
        ordered = sorted(found.values(), key=lambda c: self.numbers.get(c.key, 0))
        return [(f"{c.symbol}{self.numbers.get(c.key, '')}", c) for c in ordered]

    @property
    def topics(self) -> list[str]:
        return [r.topic for r in self.rows]

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]

    def number(self, source_id: str | None) -> int | None:
        return next((r.number for r in self.references if r.source_id == source_id), None)

    def cite(self, item: Item) -> str:
        """'[1: Table 4]' (the reference number and the table or section), '' for uncited items."""
        n = self.number(item.source_id)
        if n is None:
            return ""
        return f"[{n}: {item.locator}]" if item.locator else f"[{n}]"

    def summary_text(self, topic: str, column: int) -> str:
        """A page-1 cell as plain text, one item a line, each with its citation."""
        row = next(r for r in self.summary if r.topic == topic)
        return "\n".join(" ".join(x for x in (i.text, self.cite(i)) if x) for i in row.cells[column])

    def cell_text(self, row: int, column: int) -> str:
        """A cell as plain text, one item a line, each with its citation."""
        return "\n".join(" ".join(x for x in (i.text, self.cite(i)) if x) for i in self.rows[row].cells[column])
