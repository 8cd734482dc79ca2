"""What a user types, turned into dataset ids: a therapy (drug name, brand, code, synonym, or a
regimen such as "everolimus + octreotide") into a regimen key (`arms.regimen_key`), a disease
name or synonym into a disease id. An unknown name raises UnknownName with close matches.

>>> resolve_therapy(store, "Afinitor").key            # doctest: +SKIP
'everolimus'
>>> resolve_therapy(store, "everolimus + octreotide LAR").key   # doctest: +SKIP
'everolimus+octreotide'
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from db.dataset.keys import normalize_key
from db.presentation.identifiers import brand_title
from db.store import Store

# "everolimus + octreotide", "dabrafenib/trametinib", "bevacizumab with temsirolimus"
_SPLIT = re.compile(r"\s*(?:\+|/|,|&|\bwith\b|\band\b|\bplus\b)\s*", re.IGNORECASE)


class UnknownName(LookupError):
    """A name that matches nothing in the dataset; `matches` are close ones to offer instead."""

    def __init__(self, kind: str, text: str, matches: list[str], reason: str = "") -> None:
        self.kind, self.text, self.matches, self.reason = kind, text, matches, reason
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"unknown {self.kind} '{self.text}'" + (f" ({self.reason})" if self.reason else "")
        if self.matches:
            return f"{head}; close matches: {', '.join(self.matches)}"
        return f"{head}; nothing close in this dataset"


@dataclass(frozen=True)
class Regimen:
    key: str  # "everolimus+octreotide"
    label: str  # "Everolimus + Octreotide LAR"
    drug_ids: tuple[str, ...]
    studies: int


def regimens(store: Store) -> list[Regimen]:
    """Every regimen with a study arm, placebo left out, by label."""
    drugs = store.regimen_drugs()
    out = [Regimen(k, label, tuple(drugs[k]), n) for k, label, n in store.compare.regimen_labels() if drugs.get(k)]
    return sorted(out, key=lambda r: (r.label.casefold(), r.key))


_ABBREVIATION = re.compile(r"\(([^()]+)\)\s*$")


def _drug_names(store: Store) -> dict[str, tuple[str, str]]:
    """normalised name -> (drug id, the name as written), over names, brands, codes and synonyms, and
    the drug's class or the abbreviation that ends it ("PRRT") where no other drug has that class:
    search finds the drug by these words, so the Compare fields take them too."""
    out: dict[str, tuple[str, str]] = {}
    for ident, name in store.compare.drug_names():
        out.setdefault(normalize_key(name), (ident, name))
        out.setdefault(normalize_key(ident), (ident, name))
    for key, found in brand_names(store).items():
        out.setdefault(key, found)
    names = store.compare.drug_labels()
    for key, idents in _class_names(store).items():
        if len(idents) == 1:
            ident = next(iter(idents))
            out.setdefault(key, (ident, names[ident]))
    return out


def _class_names(store: Store) -> dict[str, set[str]]:
    """normalised class ("mTOR inhibitor (rapalog)"), class without its last bracket ("mTOR inhibitor")
    and that bracket ("rapalog", "PRRT") -> the drugs of that class."""
    classes: dict[str, set[str]] = defaultdict(set)
    for ident, drug_class in store.compare.drug_classes():
        short = _ABBREVIATION.search(drug_class)
        words = [drug_class] + ([short.group(1), drug_class[:short.start()]] if short else [])
        for w in words:
            if normalize_key(w):
                classes[normalize_key(w)].add(ident)
    return classes


@dataclass(frozen=True)
class Resolved:
    """What a typed name became: `text` as typed, the regimen it names, and whether the words differ."""

    text: str
    regimen: Regimen

    @property
    def changed(self) -> bool:
        return normalize_key(self.text) not in (normalize_key(self.regimen.label), normalize_key(self.regimen.key))

    def __str__(self) -> str:
        """'PRRT → 177Lu-Dotatate'."""
        return f"{self.text.strip()} → {self.regimen.label}"


def close_matches(text: str, names: dict[str, str], n: int = 6) -> list[str]:
    """Display names whose key starts with or contains the typed text, then difflib's close matches."""
    typed = normalize_key(text)
    if not typed:
        return []
    found = [shown for key, shown in names.items() if key.startswith(typed)]
    found += [shown for key, shown in names.items() if typed in key and len(typed) >= 3]
    found += [names[k] for k in difflib.get_close_matches(typed, list(names), n=n, cutoff=0.6)]
    return list(dict.fromkeys(found))[:n]


def brand_names(store: Store) -> dict[str, tuple[str, str]]:
    """normalised brand -> (drug id, the brand as written): the sources' and the regulators' labels', and the
    first word of a longer brand where only one drug's brands start with it ("Somatuline"), shown as that
    brand where it is the only one ("Sandostatin": Sandostatin LAR Depot, the form the dataset's studies
    used, not the short-acting Sandostatin, db/dataset/brands.py)."""
    rows = store.compare.drug_brands()
    out = {normalize_key(name): (ident, name) for ident, name in rows}
    first: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for ident, name in rows:
        word = name.split()[0]
        if word != name and normalize_key(word):
            first[normalize_key(word)].add((ident, name))
    for key, found in first.items():
        if len({ident for ident, _ in found}) == 1:
            ident, name = min(found)
            out.setdefault(key, (ident, name if len(found) == 1 else name.split()[0]))
    return out


def shown_name(store: Store, text: str, regimen: Regimen) -> str:
    """What a typed name is shown as once it resolves: a brand with its drug beside it ("Lutathera
    (177Lu-Dotatate)"), anything else as the regimen's label (a synonym, a source's misspelling, a code)."""
    brands = brand_names(store)
    bracket = _ABBREVIATION.search(text.strip())
    brand = brands.get(normalize_key(text)) or (brands.get(normalize_key(text[:bracket.start()])) if bracket else None)
    return brand_title(brand[1], regimen.label) if brand and regimen.drug_ids == (brand[0],) else regimen.label


def therapy_suggestions(store: Store, text: str) -> list[str]:
    """Close matches, each regimen once: by its label, or, where a brand is what matched, as
    "Lutathera (177Lu-Dotatate)". A synonym (a source's misspelling included) or a code is never a second entry."""
    regs = regimens(store)
    shown = {normalize_key(r.label): r.label for r in regs}
    regimen_of = {r.label: r.key for r in regs}
    by_drug = {r.drug_ids[0]: r for r in regs if len(r.drug_ids) == 1}
    brands = brand_names(store)
    for key, (ident, name) in _drug_names(store).items():
        r = by_drug.get(ident)
        if r is not None and key not in shown:
            shown[key] = brand_title(name, r.label) if key in brands else r.label
            regimen_of[shown[key]] = r.key
    found: dict[str, str] = {}
    for label in close_matches(text, shown, n=len(shown)):
        found.setdefault(regimen_of[label], label)
    return list(found.values())[:6]


def resolve_therapy(store: Store, text: str) -> Regimen:
    """A typed therapy's regimen; a suggestion typed back ("Lutathera (177Lu-Dotatate)") resolves by the
    name before its bracket."""
    try:
        return _resolve_therapy(store, text)
    except UnknownName:
        bracket = _ABBREVIATION.search(text.strip())
        if bracket is None or not text[:bracket.start()].strip():
            raise
        return _resolve_therapy(store, text[:bracket.start()])


def _resolve_therapy(store: Store, text: str) -> Regimen:
    regs = regimens(store)
    typed = text.strip()
    wanted = normalize_key(typed)
    for r in regs:
        if typed == r.key or wanted in (normalize_key(r.label), normalize_key(r.key)):
            return r
    names = _drug_names(store)
    parts = [p for p in _SPLIT.split(typed) if p.strip()]
    ids: list[str] = []
    for part in parts:
        hit = names.get(normalize_key(part))
        if hit is None:
            members = _class_names(store).get(normalize_key(part), set())
            if len(members) > 1:
                labels = [r.label for r in regs if len(r.drug_ids) == 1 and r.drug_ids[0] in members]
                raise UnknownName("therapy", typed, labels[:6], "a class of several drugs: choose one")
            raise UnknownName("therapy", typed, therapy_suggestions(store, part))
        ids.append(hit[0])
    key = "+".join(sorted(set(ids)))
    for r in regs:
        if r.key == key:
            return r
    containing = [r.label for r in regs if set(ids) <= set(r.drug_ids)]
    reason = "no study arm gives this regimen" if containing else "no study arm gives this drug"
    raise UnknownName("therapy", typed, containing[:6] or therapy_suggestions(store, typed), reason)


def disease_names(store: Store) -> dict[str, str]:
    """normalised name or synonym -> disease id."""
    out: dict[str, str] = {}
    for ident, name in store.compare.disease_names():
        out.setdefault(normalize_key(name), ident)
        out.setdefault(normalize_key(ident), ident)
    return out


def resolve_disease(store: Store, text: str) -> str:
    ident = disease_names(store).get(normalize_key(text))
    if ident is not None:
        return ident
    shown: dict[str, str] = {}
    for ident, name in store.compare.disease_names():
        shown.setdefault(normalize_key(name), f"{name} ({ident})" if normalize_key(name) != ident else name)
    raise UnknownName("disease", text.strip(), close_matches(text, shown))


def ref_choices(store: Store, ref: str) -> tuple[str | None, list[str]]:
    """What a search hit's ref puts into a comparison: (disease id or None, therapy keys).

    `disease:<id>`; `drug:<id>` (its single-drug regimen, else the one with most studies); a regimen
    key; a study id (its experimental arms' regimens and its first disease); `study/arm/ae` (that arm's).
    """
    kind, _, ident = ref.partition(":")
    if kind == "disease":
        return ident, []
    regs = regimens(store)
    if kind == "drug":
        with_drug = sorted((r for r in regs if ident in r.drug_ids), key=lambda r: (r.key != ident, -r.studies))
        return None, [r.key for r in with_drug[:1]]
    if any(r.key == ref for r in regs):
        return None, [ref]
    study_id, _, rest = ref.partition("/")
    study = store.study(study_id)
    if study is None:
        return None, []
    arm_key = rest.partition("/")[0] or None
    keys = [a["regimen_key"] for a in study["arms"]
            if a["key"] == arm_key or (arm_key is None and a["role"] in ("experimental", "single"))]
    return (study["diseases"][0] if study["diseases"] else None), list(dict.fromkeys(keys))
