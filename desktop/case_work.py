"""The Case tab's work, Qt-free and run on the worker: a case as typed read into its options (each with the
rows it shows), and the handout of the options chosen, with the case's description on page 1.

Each job opens its own connection to the dataset (a few µs): the GUI thread's store is never used from the
worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from db.case import (
    CaseInputError,
    CaseOptions,
    UnknownCaseName,
    case_options,
    lead_labels,
    option_summary,
    resolve_case,
)
from db.case.resolve import GRADE_SYSTEMS
from db.compare.model import Row
from db.compare.names import UnknownName, resolve_disease
from db.grading.calculator import find_system, load_systems
from db.store import Store
from handout.cases import MAX_LABEL, MAX_NAMES, length_error

GRADE_KEYS = ("ki67", "mitoses", "necrosis", "differentiation")
FIELD_NAMES = {"disease": "Disease", "marker": "Markers found", "negative": "Markers tested negative",
               "prior": "Earlier therapies", "ki67": "Ki-67", "mitoses": "Mitoses", "necrosis": "Necrosis",
               "differentiation": "Differentiation", "functional": "Functional", "sstr": "SSTR imaging"}


@dataclass(frozen=True)
class CaseInputs:
    """The form as typed: free text for names and numbers, None for a choice left at 'not given'."""

    disease: str = ""
    ki67: str = ""
    mitoses: str = ""
    necrosis: str | None = None
    differentiation: str | None = None
    functional: bool | None = None
    sstr: str | None = None
    markers: str = ""
    negative: str = ""
    prior: str = ""


@dataclass(frozen=True)
class GradeFields:
    """The grading edition of the disease typed: which inputs it uses, their units and choices."""

    edition: str
    units: dict[str, str | None]
    choices: dict[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class CaseReading:
    """What the tab shows for one state of the form: the options, or which field is wrong and why."""

    inputs: CaseInputs
    grade_fields: GradeFields | None = None
    options: CaseOptions | None = None
    summaries: dict[str, list[Row]] = field(default_factory=dict)  # therapy key -> its page-1 rows, as read
    leads: dict[str, str] = field(default_factory=dict)  # study id -> its label
    fields: tuple[str, ...] = ()  # the form's fields at fault (GRADE_KEYS for a grade problem)
    problem: str = ""


def names(text: str) -> list[str]:
    """'octreotide, MKI ,' -> ['octreotide', 'MKI']."""
    return [n.strip() for n in text.split(",") if n.strip()]


def _number(key: str, text: str) -> float | None:
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise CaseInputError(key, f"{FIELD_NAMES[key]}: “{text.strip()}” is not a number") from None


def grade_fields(store: Store, disease: str) -> GradeFields | None:
    """The edition the case's grade would come from (WHO 2010/ENETS for GEP, WHO 2015 for lung), or None."""
    try:
        ident = resolve_disease(store, disease)
    except UnknownName:
        return None
    system_id = next((GRADE_SYSTEMS[d] for d in store.disease_tree.lineage(ident) if d in GRADE_SYSTEMS), None)
    if system_id is None:
        return None
    system = find_system(load_systems(store), edition=system_id)
    return GradeFields(system.edition, {c.key: c.unit for c in system.columns},
                       {c.key: system.categories(c.key) for c in system.columns if c.unit is None})


def _too_long(inputs: CaseInputs) -> tuple[str, str] | None:
    """(field, why) when a typed value is beyond the packet file's limits."""
    for key, text in (("disease", inputs.disease), ("marker", inputs.markers), ("negative", inputs.negative),
                      ("prior", inputs.prior)):
        values = [text] if key == "disease" else names(text)
        if len(values) > MAX_NAMES:
            return key, f"{FIELD_NAMES[key]}: {len(values)} names; at most {MAX_NAMES} are allowed"
        for v in values:
            if (problem := length_error(FIELD_NAMES[key], v, MAX_LABEL)) is not None:
                return key, problem
    return None


def _fields_of(error_field: str) -> tuple[str, ...]:
    return GRADE_KEYS if error_field == "grade" else (error_field,)


def read_case(path: Path, inputs: CaseInputs) -> CaseReading:
    """The case's options with every option's rows, or the field at fault: never another case's options."""
    store = Store(path)
    try:
        fields = grade_fields(store, inputs.disease) if inputs.disease.strip() else None
        if not inputs.disease.strip():
            return CaseReading(inputs, fields, problem="Type a disease (any name or abbreviation: pNET, RAIR-DTC).")
        if (too_long := _too_long(inputs)) is not None:
            return CaseReading(inputs, fields, fields=(too_long[0],), problem=too_long[1])
        try:
            case = resolve_case(store, inputs.disease, ki67=_number("ki67", inputs.ki67),
                                mitoses=_number("mitoses", inputs.mitoses), necrosis=inputs.necrosis,
                                differentiation=inputs.differentiation, functional=inputs.functional,
                                sstr=inputs.sstr, markers=names(inputs.markers), negative=names(inputs.negative),
                                prior=names(inputs.prior))
        except UnknownCaseName as exc:
            return CaseReading(inputs, fields, fields=_fields_of(exc.field),
                               problem=f"{FIELD_NAMES[exc.field]}: {str(exc)[:1].upper()}{str(exc)[1:]}.")
        except CaseInputError as exc:
            problem = str(exc) if str(exc).startswith(FIELD_NAMES.get(exc.field, "\0")) else \
                f"{FIELD_NAMES.get(exc.field, 'Grade')}: {exc}"
            return CaseReading(inputs, fields, fields=_fields_of(exc.field), problem=problem)
        options = case_options(store, case)
        first = options.options[:1]  # the option the tab selects first; the others' rows when selected
        summaries = {o.therapy: option_summary(store, options, o) for o in first}
        return CaseReading(inputs, fields, options, summaries, lead_labels(store, options))
    finally:
        store.close()


def read_option_rows(path: Path, options: CaseOptions, therapy: str) -> list[Row]:
    """The page-1 rows of one of the case's options (db/case option_summary), read when it is first selected:
    thousands of options at a large registry would otherwise each cost a read of their lead study's figures."""
    store = Store(path)
    try:
        option = options.option(therapy)
        return [] if option is None else option_summary(store, options, option)
    finally:
        store.close()


def case_lines(options: CaseOptions, chosen: list[str]) -> list[str]:
    """Printed under the handout's title: the case (no identifiers) and the options the board left out."""
    left = [o.label + (" (already received)" if o.already_received else "")
            for o in options.options if o.therapy not in chosen]
    lines = [f"Case: {options.case.description}", options.order_line]
    if left:
        lines.append(f"Other options for this case, not compared here: {', '.join(left)}")
    return lines


def write_case_handout(path: Path, options: CaseOptions, chosen: list[str], out: Path, paper: str = "a4") -> Path:
    """The handout comparing the chosen options in the case's disease, the case described on page 1."""
    from db.compare.summaries import build_comparison
    from handout.document import write_handout

    store = Store(path)
    try:
        comparison = build_comparison(store, options.case.disease, chosen)
        return write_handout(store, comparison, out, paper=paper, context=case_lines(options, chosen))
    finally:
        store.close()
