"""What the toxicity chart draws, decided without Qt: the top adverse events of the chosen
therapies and one bar row per (event, therapy, study) that reports a figure.

Figures a source does not report are not drawn (a missing bar is not a bar of 0); the
bar row's text says "not reported" for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from db.presentation.present import NOT_REPORTED
from db.toxicity.table import ToxRow

LABEL_MAX = 40


@dataclass(frozen=True)
class EventBar:
    row: ToxRow | None  # None: a chosen therapy with no figure for this event anywhere in the dataset
    slot: int  # the therapy's place in the selection: its colour
    label: str  # "Lenvatinib · SELECT"
    short: str = ""  # "SELECT": for a narrow chart, where the colour tells the therapy

    @property
    def value_text(self) -> str:
        """'68 / 42 (≥3)': all grades / high grade with its band, as printed."""
        if self.row is None:
            return NOT_REPORTED
        return f"{self.row.all_text} / {self.row.high_text}"


@dataclass(frozen=True)
class Group:
    ae_id: str
    ae_name: str
    bars: tuple[EventBar, ...]


@dataclass(frozen=True)
class ChartPlan:
    groups: tuple[Group, ...]
    therapies: tuple[tuple[str, str], ...]  # (key, label) in slot order
    sources: tuple[str, ...]  # "Pitoia 2022 (Table 1, Table 3)"
    hidden_events: int  # events with figures beyond the top n
    repeated: int  # figures left out because the same arm prints the same event again

    @property
    def bars(self) -> list[EventBar]:
        return [b for g in self.groups for b in g.bars]

    @property
    def peak(self) -> float:
        return max((b.row.peak for b in self.bars if b.row), default=0.0)

    def caption_lines(self, dataset_version: str) -> list[str]:
        """The caption under the chart: sources with their tables, what is left out, the dataset version."""
        joined = "Sources: " + "; ".join(self.sources)
        lines = [joined] if len(joined) <= 90 else [f"Source: {s}" for s in self.sources]
        if not self.sources:
            lines = ["No figures"]
        if self.repeated:
            lines.append(f"{self.repeated} repeated figure{'s' if self.repeated > 1 else ''} of the same arm "
                         "in the table only")
        if self.hidden_events:
            lines.append(f"{self.hidden_events} more event{'s' if self.hidden_events > 1 else ''} in the table")
        lines.append(f"Dataset {dataset_version} · figures as printed")
        return lines


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plan_chart(rows: list[ToxRow], keys: list[str], top_n: int = 8, labels: dict[str, str] | None = None) -> ChartPlan:
    """`keys` in selection order (their colours); `labels` names therapies that have no row here."""
    slots = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    labels = dict(labels or {}) | {r.therapy_key: r.therapy_label for r in rows}
    by_event: dict[str, list[ToxRow]] = defaultdict(list)
    for r in rows:
        if r.therapy_key in slots:
            by_event[r.ae_id].append(r)
    ranked = sorted(by_event.values(), key=lambda rs: (-max(r.peak for r in rs), rs[0].ae_name.casefold()))
    groups = []
    repeated = 0
    for event_rows in ranked[:top_n]:
        bars, seen = [], set()
        arms_per_study: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in event_rows:
            arms_per_study[(r.therapy_key, r.study_id)].add(r.arm_key)
        for r in sorted(event_rows, key=lambda r: slots[r.therapy_key]):
            if (r.therapy_key, r.study_id, r.arm_key) in seen:
                repeated += 1
                continue
            seen.add((r.therapy_key, r.study_id, r.arm_key))
            study = r.study_name
            if len(arms_per_study[(r.therapy_key, r.study_id)]) > 1:
                study += f" ({r.arm_label})"
            bars.append(EventBar(r, slots[r.therapy_key], shorten(f"{r.therapy_label} · {study}"), shorten(study)))
        reported = {r.therapy_key for r in event_rows}
        bars += [EventBar(None, slot, shorten(labels.get(key, key)), shorten(labels.get(key, key)))
                 for key, slot in slots.items() if key not in reported]
        bars.sort(key=lambda b: b.slot)
        groups.append(Group(event_rows[0].ae_id, event_rows[0].ae_name, tuple(bars)))
    therapies = tuple((k, labels.get(k, k)) for k in slots)
    return ChartPlan(tuple(groups), therapies, _sources([b.row for g in groups for b in g.bars if b.row]),
                     max(0, len(ranked) - top_n), repeated)


def _sources(rows: list[ToxRow]) -> tuple[str, ...]:
    places: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r.locator not in places[r.source]:
            places[r.source].append(r.locator)
    return tuple(f"{source} ({', '.join(locators)})" for source, locators in places.items())
