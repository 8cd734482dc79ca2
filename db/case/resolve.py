"""What a user types for a case, turned into a Case of dataset ids: the disease (any name or synonym), the
markers found and tested negative, earlier therapies by drug or class (a drug brings its classes), and the
grade from the calculator. An unknown name raises UnknownName (db/compare/names.py) with close matches and
the field it was typed in; a value that cannot be used raises CaseInputError."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from db.case.model import SSTR_VALUES, Case, Grade
from db.compare.names import UnknownName, close_matches, resolve_disease
from db.dataset.keys import normalize_key
from db.grading.calculator import GradingInputError, calculate, find_system, load_systems
from db.store import Store

# Earlier therapy a disease implies by its definition: RAI-refractory thyroid cancer has had radioactive iodine.
IMPLIED = {"rair-dtc": ("rai",)}
# The tumour-grade system of each NET site: WHO 2010 / ENETS for GEP, WHO 2015 for lung and thymus (the
# editions the studies' populations were graded by).
GRADE_SYSTEMS = {"gep-net": "who-enets-2010-gep", "lung-net": "who-2015-lung-thymus",
                 "thymic-net": "who-2015-lung-thymus"}
NET_ROOT = "net"


class CaseInputError(ValueError):
    """A case value the program cannot use (a Ki-67 of 140 %, a marker both found and negative); `field`
    names the input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class UnknownCaseName(UnknownName):
    """An unknown disease, marker, class or drug, with the case field it was typed in."""

    def __init__(self, field: str, unknown: UnknownName) -> None:
        self.field = field
        super().__init__(unknown.kind, unknown.text, unknown.matches, unknown.reason)


def _vocabulary(store: Store, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """(normalised id, name or synonym -> id, id -> display name) of the classes or markers."""
    lookup: dict[str, str] = {}
    shown: dict[str, str] = {}
    for v in store.vocabulary(kind):
        shown[v["id"]] = v["name"]
        for name in (v["id"], v["name"], *v["synonyms"]):
            lookup.setdefault(normalize_key(name), v["id"])
    return lookup, shown


def _markers(store: Store, typed: Iterable[str], field: str) -> tuple[list[str], dict[str, str]]:
    lookup, shown = _vocabulary(store, "marker")
    found = []
    for text in typed:
        ident = lookup.get(normalize_key(text))
        if ident is None:
            choices = {normalize_key(n): n for n in shown.values()} | {k: shown[v] for k, v in lookup.items()}
            raise UnknownCaseName(field, UnknownName("marker", text.strip(), close_matches(text, choices)))
        found.append(ident)
    return list(dict.fromkeys(found)), shown


def _priors(store: Store, typed: Iterable[str]) -> tuple[list[str], list[str], list[str], dict[str, str]]:
    """(drug ids, classes given as classes, every class, display names): a drug's name first (octreotide is
    a drug before it is a synonym of its class), then a class."""
    drugs = {normalize_key(n): i for i, n in store.compare.drug_names()}
    drugs |= {normalize_key(i): i for i in store.compare.drug_labels() if i != "placebo"}
    labels = store.compare.drug_labels()
    classes, class_names = _vocabulary(store, "class")
    drug_classes = store.case.drug_classes()
    given_drugs: list[str] = []
    given_classes: list[str] = []
    for text in typed:
        key = normalize_key(text)
        if key in drugs:
            given_drugs.append(drugs[key])
        elif key in classes:
            given_classes.append(classes[key])
        else:
            choices = {k: class_names[i] for k, i in classes.items()}  # a synonym offers its class
            choices |= {k: labels[i] for k, i in drugs.items() if i in labels}
            raise UnknownCaseName("prior", UnknownName("earlier therapy (drug or class)", text.strip(),
                                                       close_matches(text, choices)))
    given_drugs = list(dict.fromkeys(given_drugs))
    every = list(dict.fromkeys([*given_classes, *(c for d in given_drugs for c in drug_classes.get(d, []))]))
    names = {**class_names, **{d: labels.get(d, d) for d in given_drugs}}
    return given_drugs, list(dict.fromkeys(given_classes)), every, names


def _grade(store: Store, disease: str, values: dict[str, float | str]) -> tuple[Grade | None, str]:
    tree = store.disease_tree
    lineage = tree.lineage(disease)
    if NET_ROOT not in lineage:
        raise CaseInputError("grade", "grade inputs (Ki-67, mitoses, necrosis, differentiation) are for a "
                             "neuroendocrine tumour")
    system_id = next((GRADE_SYSTEMS[d] for d in lineage if d in GRADE_SYSTEMS), None)
    if system_id is None:
        return None, ("not graded: name the site (a GEP, lung or thymic NET) for a grading system")
    systems = load_systems(store)
    try:
        system = find_system(systems, edition=system_id)
        result = calculate(system, **values)  # type: ignore[arg-type]
    except GradingInputError as exc:
        raise CaseInputError("grade", str(exc)) from exc
    inputs = ", ".join(f.value_text if f.key == "differentiation" else f"{f.name} {f.value_text}"
                       for f in result.findings)
    grades = tuple(system.rows[i].grade for i in result.rows)
    return Grade(system.id, system.edition, grades, result.label, result.rule, inputs,
                 f"{system.source}, {system.locator}"), ""


def resolve_case(store: Store, disease: str, ki67: float | None = None, mitoses: float | None = None,
                 necrosis: str | None = None, differentiation: str | None = None, functional: bool | None = None,
                 sstr: str | None = None, markers: Sequence[str] = (), negative: Sequence[str] = (),
                 prior: Sequence[str] = ()) -> Case:
    """The case these inputs describe. `disease`, `markers`, `negative` and `prior` as a user types them.

    >>> resolve_case(store, "pNET", ki67=14, prior=["octreotide"]).description      # doctest: +SKIP
    'Pancreatic neuroendocrine tumour; G2 (WHO 2010 / ENETS; Ki-67 14%); after Octreotide LAR'
    """
    try:
        disease_id = resolve_disease(store, disease)
    except UnknownName as exc:
        raise UnknownCaseName("disease", exc) from exc
    tree = store.disease_tree
    net = NET_ROOT in tree.lineage(disease_id)
    if (functional is not None or sstr is not None) and not net:
        raise CaseInputError("functional" if functional is not None else "sstr",
                             "functional status and SSTR imaging are for a neuroendocrine tumour")
    if sstr is not None and sstr not in SSTR_VALUES:
        raise CaseInputError("sstr", f"SSTR imaging is one of {', '.join(SSTR_VALUES)}; got {sstr!r}")
    found, marker_names = _markers(store, markers, "marker")
    tested_negative, _ = _markers(store, negative, "negative")
    both = [marker_names[m] for m in found if m in tested_negative]
    if both:
        raise CaseInputError("negative", f"{', '.join(both)}: given both as found and as tested negative")
    drugs, named, classes, prior_names = _priors(store, prior)
    values = {k: v for k, v in (("ki67", ki67), ("mitoses", mitoses), ("necrosis", necrosis),
                                ("differentiation", differentiation)) if v is not None}
    grade, note = _grade(store, disease_id, values) if values else (None, "")
    implied = tuple(c for d in tree.lineage(disease_id) for c in IMPLIED.get(d, ()))
    return Case(disease_id, tree.name[disease_id], grade, note, functional, sstr, tuple(found),
                tuple(tested_negative), tuple(drugs), tuple(named), tuple(classes), implied,
                {**marker_names, **prior_names})
