"""Reading seeds/ into a Dataset: one reader per kind of seed file.

Layout of seeds/ (see docs/seed-format.md): dataset.yaml, sources.yaml (and brands.yaml), then one
file per entity, named by its id, in diseases/, drugs/, adverse_events/, grading/ and
studies/, so that each change is a small diff and curators do not collide.
"""

from __future__ import annotations

from pathlib import Path

from db.dataset import vocab
from db.dataset.ae_bands import fill_column_bands
from db.dataset.brands import read_brands
from db.dataset.fields import ID_PATTERN, Fields, SeedError
from db.dataset.figures import Figure
from db.dataset.model import (
    AdverseEvent,
    AETerm,
    Approval,
    Arm,
    Cite,
    Criterion,
    Dataset,
    Disease,
    Dose,
    Drug,
    DrugFact,
    GradingColumn,
    GradingRow,
    GradingSystem,
    Identifier,
    Note,
    Outcome,
    Source,
    Study,
    Term,
)
from db.dataset.population import Design
from db.dataset.population_read import read_design, read_endpoints, read_population, require_objects
from db.dataset.yamlload import Mapping, Sequence, YamlSyntaxError, load_file


def _load(path: Path, root: Path, errors: list[SeedError]) -> tuple[Fields, object]:
    name = str(Path(root.name) / path.relative_to(root))
    fields = Fields(name, errors)
    try:
        return fields, load_file(path)
    except YamlSyntaxError as exc:
        fields.error(exc.line, exc.message)
    except OSError as exc:
        fields.error(1, f"cannot read: {exc.strerror}")
    return fields, None


def _list_file(path: Path, root: Path, errors: list[SeedError], key: str) -> tuple[Fields, list[Mapping]]:
    fields, data = _load(path, root, errors)
    if data is None:
        return fields, []
    top = fields.mapping(data, "the file", 1)
    if top is None:
        return fields, []
    fields.allowed(top, {key}, "the file")
    if key not in top:
        fields.error(top.line, f"the file must have a top-level '{key}:' list")
    return fields, fields.items(top, key)


def read_sources(f: Fields, items: list[Mapping]) -> list[Source]:
    out = []
    keys = {"id", "kind", "short", "citation", "year", "doi", "pmid", "nct", "file", "description"}
    for node in items:
        f.allowed(node, keys, "a source")
        sid = f.ident(node, "id")
        kind = f.choice(node, "kind", vocab.SOURCE_KINDS)
        short = f.text(node, "short", True)
        citation = f.text(node, "citation", True)
        if sid and kind and short and citation:
            out.append(
                Source(
                    sid, kind, short, citation, f.loc(node),
                    year=f.text(node, "year"), doi=f.text(node, "doi"), pmid=f.text(node, "pmid"),
                    nct=f.text(node, "nct"), file=f.text(node, "file"),
                    description=f.text(node, "description"),
                )
            )
    return out


def read_diseases(f: Fields, items: list[Mapping]) -> list[Disease]:
    out = []
    for node in items:
        f.allowed(node, {"id", "name", "short", "parent", "synonyms", "description"}, "a disease")
        did = f.ident(node, "id")
        name = f.text(node, "name", True)
        if did and name:
            out.append(
                Disease(did, name, f.loc(node), parent=f.ident(node, "parent", False),
                        synonyms=f.texts(node, "synonyms"), description=f.text(node, "description"),
                        parent_line=node.line_of("parent"), short=f.text(node, "short"))
            )
    return out


def read_drugs(f: Fields, items: list[Mapping]) -> list[Drug]:
    out = []
    keys = {"id", "name", "class", "classes", "targets", "brands", "codes", "synonyms", "route", "facts", "approvals"}
    for node in items:
        f.allowed(node, keys, "a drug")
        did = f.ident(node, "id")
        name = f.text(node, "name", True)
        cls = f.text(node, "class", True)
        if not (did and name and cls):
            continue
        drug = Drug(
            did, name, cls, f.loc(node), targets=f.texts(node, "targets"), brands=f.texts(node, "brands"),
            codes=f.texts(node, "codes"), synonyms=f.texts(node, "synonyms"), route=f.text(node, "route"),
            classes=_classes(f, node), classes_line=node.line_of("classes"),
        )
        for fact in f.items(node, "facts"):
            f.allowed(fact, {"kind", "text", "source", "at"}, "a drug fact")
            kind, text = f.text(fact, "kind", True), f.text(fact, "text", True)
            cite = f.cite(fact, None, "a drug fact")
            if kind and text and cite:
                drug.facts.append(DrugFact(kind, text, cite, f.loc(fact)))
        for appr in f.items(node, "approvals"):
            f.allowed(appr, {"agency", "year", "indication", "diseases", "source", "at", "note"}, "an approval")
            agency, indication = f.text(appr, "agency", True), f.text(appr, "indication", True)
            cite = f.cite(appr, None, "an approval")
            if agency and indication and cite:
                drug.approvals.append(
                    Approval(agency, indication, cite, f.loc(appr), year=f.text(appr, "year"),
                             diseases=f.texts(appr, "diseases"), note=f.text(appr, "note"),
                             diseases_line=appr.line_of("diseases"))
                )
        out.append(drug)
    return out


def _classes(f: Fields, node: Mapping) -> list[str]:
    """`classes:` ids from seeds/therapy-classes.yaml (checked there by db/building/validate.py); `[]` for none."""
    if node.get("classes") is None:
        f.error(node.line, "a drug needs 'classes:' (ids from seeds/therapy-classes.yaml; [] where none fits)")
        return []
    out = []
    for name in f.texts(node, "classes"):
        if ID_PATTERN.match(name):
            out.append(name)
        else:
            f.error(node.line_of("classes"), f"'classes' entries are ids like vegfr-mki, not '{name}'")
    return out


def read_terms(f: Fields, items: list[Mapping], what: str) -> list[Term]:
    """A vocabulary file's entries: {id, name, synonyms}."""
    out = []
    for node in items:
        f.allowed(node, {"id", "name", "synonyms"}, what)
        tid, name = f.ident(node, "id"), f.text(node, "name", True)
        if tid and name:
            out.append(Term(tid, name, f.loc(node), synonyms=f.texts(node, "synonyms")))
    return out


def read_ae_terms(f: Fields, items: list[Mapping]) -> list[AETerm]:
    out = []
    keys = {"id", "name", "ctcae_term", "short", "meddra", "soc", "synonyms", "grades", "definition"}
    for node in items:
        f.allowed(node, keys, "an adverse-event term")
        aid = f.ident(node, "id")
        name = f.text(node, "name", True)
        if not (aid and name):
            continue
        term = AETerm(aid, name, f.loc(node), ctcae_term=f.text(node, "ctcae_term"), short=f.text(node, "short"),
                      meddra=f.text(node, "meddra"), soc=f.text(node, "soc"),
                      synonyms=f.texts(node, "synonyms"), definition=f.text(node, "definition"))
        grades = node.get("grades")
        if grades is not None:
            gmap = f.mapping(grades, "'grades'", node.line_of("grades"))
            for key in gmap or {}:
                if key not in {"1", "2", "3", "4", "5"}:
                    f.error(gmap.line_of(key), f"grade '{key}' must be 1 to 5")  # type: ignore[union-attr]
                    continue
                text = f.text(gmap, key, True)  # type: ignore[arg-type]
                if text:
                    term.grades[int(key)] = text
        out.append(term)
    return out


def read_grading(f: Fields, node: Mapping) -> GradingSystem | None:
    keys = {"id", "name", "kind", "edition", "site", "source", "at", "rule", "combine", "note", "columns", "rows"}
    f.allowed(node, keys, "a grading system")
    gid = f.ident(node, "id")
    name = f.text(node, "name", True)
    kind = f.choice(node, "kind", vocab.GRADING_KINDS)
    edition = f.text(node, "edition", True)
    cite = f.cite(node, None, "a grading system")
    combine = f.choice(node, "combine", ("highest", "all"), required=False)
    if not (gid and name and kind and edition and cite):
        return None
    system = GradingSystem(gid, name, kind, edition, cite, f.loc(node), site=f.text(node, "site"),
                           rule=f.text(node, "rule"), combine=combine, note=f.text(node, "note"))
    for col in f.items(node, "columns"):
        f.allowed(col, {"key", "label", "unit"}, "a column")
        key, label = f.ident(col, "key"), f.text(col, "label", True)
        if key and label:
            system.columns.append(GradingColumn(key, label, f.text(col, "unit")))
    column_keys = {c.key for c in system.columns}
    for row in f.items(node, "rows"):
        f.allowed(row, {"grade", "label", "criteria", "description"}, "a row")
        grade, label = f.text(row, "grade", True), f.text(row, "label", True)
        if not (grade and label):
            continue
        grow = GradingRow(grade, label, f.loc(row), description=f.text(row, "description"))
        crit = row.get("criteria")
        cmap = f.mapping(crit, "'criteria'", row.line_of("criteria")) if crit is not None else None
        for key, value in (cmap or {}).items():
            if key not in column_keys:
                f.error(cmap.line_of(key), f"criterion '{key}' is not a declared column")  # type: ignore[union-attr]
                continue
            c = _criterion(f, value, cmap.line_of(key))  # type: ignore[union-attr]
            if c:
                grow.criteria[key] = c
        system.rows.append(grow)
    if not system.rows:
        f.error(node.line, "a grading system needs at least one row")
    return system


def _criterion(f: Fields, value: object, line: int) -> Criterion | None:
    if isinstance(value, str):
        return Criterion(printed=str(value))
    node = f.mapping(value, "a criterion", line)
    if node is None:
        return None
    f.allowed(node, {"printed", "gt", "ge", "lt", "le", "values"}, "a criterion")
    printed = f.text(node, "printed", True)
    if printed is None:
        return None
    c = Criterion(printed, gt=f.number(node, "gt"), ge=f.number(node, "ge"), lt=f.number(node, "lt"),
                  le=f.number(node, "le"), values=f.texts(node, "values"))
    low = c.gt if c.gt is not None else c.ge
    high = c.lt if c.lt is not None else c.le
    if low is not None and high is not None and low > high:
        f.error(node.line, f"criterion '{printed}' has its lower bound above its upper bound")
    return c


STUDY_KEYS = {
    "id", "acronym", "first_author", "year", "title", "nct", "phase", "kind", "design", "status",
    "diseases", "setting", "summary", "enrolled", "evaluable", "source", "at", "arms", "comparisons", "notes",
    "identifiers", "population", "endpoints",
}
IDENTIFIER_KEYS = {"kind", "value", "source", "at"}
ARM_KEYS = {"id", "label", "role", "n", "regimen", "outcomes", "adverse_events", "notes", "source", "at",
            "population"}
OUTCOME_KEYS = {
    "measure", "value", "unit", "ci", "ci_level", "p", "timepoint", "count", "of", "subgroup", "note", "caveat",
    "label", "preferred", "reading", "source", "at",
}
AE_KEYS = {"term", "ae", "all_grade", "grade_3_4", "grade_3_plus", "note", "caveat", "preferred", "reading",
           "source", "at"}


KIND_ALLOCATION = {"randomized trial": "randomised", "non-randomized trial": "non-randomised"}


def _kind_agrees_with_allocation(f: Fields, node: Mapping, kind: str, design: Design | None) -> None:
    """A kind that claims randomisation (or its absence) needs the design to state the same allocation: the
    evidence order and the design text both read the allocation, and a kind the source does not bear out
    would rank a study above what its shown design says. ('single-arm trial' says how many arms the
    source lists, not how patients were allocated: the design text never takes it as an allocation.)"""
    claimed = KIND_ALLOCATION.get(kind)
    stated = design.fields.get("allocation") if design is not None else None
    if claimed and stated is not None and stated != claimed:
        f.error(node.line_of("kind"), f"'kind: {kind}' says the allocation is {claimed}, but 'design' gives "
                                      f"'allocation: {stated}'; use 'kind: trial, design not stated' or the "
                                      "allocation the source prints")


def read_study(f: Fields, node: Mapping) -> Study | None:
    f.allowed(node, STUDY_KEYS, "a study")
    sid = f.ident(node, "id")
    acronym = f.text(node, "acronym")
    author = f.text(node, "first_author")
    year = f.text(node, "year")
    if not acronym and not author:
        f.error(node.line, "a study needs an 'acronym' or a 'first_author'")
    phase = f.choice(node, "phase", vocab.PHASES)
    kind = f.choice(node, "kind", vocab.STUDY_KINDS)
    status = f.choice(node, "status", vocab.STATUSES)
    cite = f.cite(node, None, "the study")
    nct = f.text(node, "nct")
    if nct and not _is_nct(nct):
        f.error(node.line_of("nct"), f"'nct' must look like NCT01234567, not '{nct}'")
    if year and not (year.isdigit() and len(year) == 4):
        f.error(node.line_of("year"), f"'year' must be a four-digit year, not '{year}'")
    if not (sid and phase and kind and status and cite):
        for arm_node in f.items(node, "arms"):
            _arm(f, arm_node, cite)
        return None
    name = acronym or " ".join(x for x in (author, year) if x) or sid
    study = Study(
        sid, name, phase, kind, status, cite, f.loc(node), acronym=acronym, first_author=author,
        year=year, title=f.text(node, "title"), nct=nct, design=read_design(f, node, cite),
        diseases=f.texts(node, "diseases"), setting=f.text(node, "setting"), summary=f.text(node, "summary"),
        enrolled=f.sourced(node, "enrolled", cite), evaluable=f.sourced(node, "evaluable", cite),
        key_lines=dict(node.key_lines), identifiers=_identifiers(f, node),
    )
    if not study.diseases:
        f.error(node.line, "a study needs at least one disease in 'diseases'")
    _kind_agrees_with_allocation(f, node, kind, study.design)
    require_objects(f, node)
    if node.get("population") is not None:
        study.population = read_population(f, node["population"], node.line_of("population"), cite, study=True)
    study.endpoints = read_endpoints(f, node, cite)
    study.notes = _notes(f, node, cite)
    for arm_node in f.items(node, "arms"):
        arm = _arm(f, arm_node, cite)
        if arm:
            study.arms.append(arm)
    if not study.arms:
        f.error(node.line, "a study needs at least one arm")
    for comp in f.items(node, "comparisons"):
        out = _outcome(f, comp, cite, comparison=True)
        if out:
            study.comparisons.append(out)
    return study


def _identifiers(f: Fields, node: Mapping) -> list[Identifier]:
    """`identifiers:` names the sources do not print, each with its own `source:` and `at:` (never the
    study's: the document the study cites does not print them)."""
    out = []
    for n in f.items(node, "identifiers"):
        f.allowed(n, IDENTIFIER_KEYS, "an identifier")
        kind = f.choice(n, "kind", vocab.IDENTIFIER_KINDS)
        value = f.text(n, "value", True)
        what = f"identifier '{value}'" if value else "an identifier"
        if n.get("source") is None:
            f.error(n.line, f"{what} has no citation: add 'source:' (the registry record or publication that "
                            "gives it, in sources.yaml) and 'at:'")
        elif n.get("at") is None:
            f.error(n.line, f"{what} has no locator: add 'at:' (where the record or publication gives it)")
        cite = f.cite(n, None, what) if n.get("source") is not None and n.get("at") is not None else None
        if kind == "nct" and value and not _is_nct(value):
            f.error(n.line_of("value"), f"an nct identifier must look like NCT01234567, not '{value}'")
            continue
        if kind and value and cite:
            out.append(Identifier(kind, value, cite, f.loc(n)))
    return out


def _is_nct(value: str) -> bool:
    return value.startswith("NCT") and value[3:].isdigit() and len(value) == 11


def _notes(f: Fields, node: Mapping, parent: Cite | None) -> list[Note]:
    notes = []
    for n in f.items(node, "notes"):
        f.allowed(n, {"kind", "text", "figures", "source", "at"}, "a note")
        kind = f.choice(n, "kind", vocab.NOTE_KINDS)
        text = f.text(n, "text", True)
        cite = f.cite(n, parent, "a note")
        figures = f.texts(n, "figures") if n.get("figures") is not None else None
        if kind in ("contradiction", "ambiguity") and figures is None:
            article = "an" if kind == "ambiguity" else "a"
            f.error(n.line, f"{article} {kind} note needs 'figures:' listing the figures it concerns "
                            "(e.g. [sorafenib/pfs_median]; [] where it concerns none)")
        if kind and text and cite:
            notes.append(Note(kind, text, cite, f.loc(n), figures, n.line_of("figures")))
    return notes


def _arm(f: Fields, node: Mapping, parent: Cite | None) -> Arm | None:
    f.allowed(node, ARM_KEYS, "an arm")
    key = f.ident(node, "id")
    label = f.text(node, "label", True)
    role = f.choice(node, "role", vocab.ARM_ROLES)
    cite = f.inherit(node, parent)
    arm = Arm(key or "?", label or "?", role or "single", f.loc(node), n=f.sourced(node, "n", cite))
    for dose in f.items(node, "regimen"):
        f.allowed(dose, {"drug", "dose", "route", "schedule"}, "a regimen entry")
        drug = f.ident(dose, "drug")
        if drug:
            arm.regimen.append(Dose(drug, f.loc(dose), dose=f.text(dose, "dose"), route=f.text(dose, "route"),
                                    schedule=f.text(dose, "schedule")))
    for onode in f.items(node, "outcomes"):
        out = _outcome(f, onode, cite, comparison=False)
        if out:
            arm.outcomes.append(out)
    for anode in f.items(node, "adverse_events"):
        ae = _adverse_event(f, anode, cite)
        if ae:
            arm.adverse_events.append(ae)
    arm.notes = _notes(f, node, cite)
    if node.get("population") is not None:
        arm.population = read_population(f, node["population"], node.line_of("population"), cite, study=False)
    return arm if key and label and role else None


def _outcome(f: Fields, node: Mapping, parent: Cite | None, comparison: bool) -> Outcome | None:
    keys = OUTCOME_KEYS | ({"arm", "vs"} if comparison else set())
    f.allowed(node, keys, "a comparison" if comparison else "an outcome")
    measure_key = f.text(node, "measure", True)
    measure = vocab.MEASURES.get(measure_key or "")
    if measure_key and measure is None:
        f.error(node.line_of("measure"), f"unknown measure '{measure_key}' (see db/dataset/vocab.py)")
    elif measure and measure.comparison != comparison:
        where = "'comparisons'" if measure.comparison else "an arm's 'outcomes'"
        f.error(node.line_of("measure"), f"measure '{measure_key}' belongs in {where}")
        measure = None
    value = f.figure(node, "value", True)
    cite = f.cite(node, parent, "an outcome")
    out_ci = _ci(f, node)
    if measure is None or value is None or cite is None:
        return None
    out = Outcome(
        measure.key, value, cite, f.loc(node), unit=f.text(node, "unit"), ci_low=out_ci[0], ci_high=out_ci[1],
        p=f.figure(node, "p"), timepoint=f.text(node, "timepoint"), count=f.figure(node, "count"),
        subgroup=f.text(node, "subgroup"), note=f.text(node, "note"),
        ci_level=f.choice(node, "ci_level", vocab.CI_LEVELS, required=False), label=f.text(node, "label"),
        caveat=f.text(node, "caveat"), preferred=f.text(node, "preferred"), reading=f.ident(node, "reading", False),
        of=f.sourced(node, "of", cite),
    )
    if out.ci_low is not None and out.ci_level is None and node.get("ci_level") is None:
        f.error(node.line_of("ci"), "an interval needs 'ci_level:' as printed: one of "
                                    f"{', '.join(vocab.CI_LEVELS)}")
    if node.get("ci_level") is not None and node.get("ci") is None:
        f.error(node.line_of("ci_level"), "'ci_level' without 'ci'")
    if comparison:
        out.arm = f.ident(node, "arm")
        out.vs = f.ident(node, "vs")
    _check_outcome(f, node, measure, out)
    return out


def _ci(f: Fields, node: Mapping) -> tuple[Figure | None, Figure | None]:
    ci = node.get("ci")
    if ci is None:
        return (None, None)
    line = node.line_of("ci")
    if not isinstance(ci, Sequence) or len(ci) != 2 or not all(isinstance(x, str) for x in ci):
        f.error(line, "'ci' must be a list of two printed values: [low, high]")
        return (None, None)
    pair = Mapping({"low": ci[0], "high": ci[1]})
    pair.line, pair.key_lines = line, {"low": line, "high": line}
    low, high = f.figure(pair, "low"), f.figure(pair, "high")
    if low and high and low.value is not None and high.value is not None and low.value > high.value:
        f.error(line, f"confidence interval [{low.text}, {high.text}] has its low end above its high end")
    return (low, high)


def _check_outcome(f: Fields, node: Mapping, measure: vocab.Measure, out: Outcome) -> None:
    v = out.value.value
    line = node.line_of("value")
    if measure.kind == "percent" and v is not None and not 0 <= v <= 100:
        f.error(line, f"{measure.key} is a percentage: {out.value.text} is outside 0-100")
    if measure.kind == "ratio" and v is not None and v <= 0:
        f.error(line, f"{measure.key} is a ratio and must be above 0, not {out.value.text}")
    if measure.kind == "time" and out.unit not in vocab.TIME_UNITS:
        f.error(node.line, f"{measure.key} needs 'unit:' one of {', '.join(vocab.TIME_UNITS)}")
    if measure.needs_timepoint and not out.timepoint:
        f.error(node.line, f"{measure.key} needs 'timepoint:' (e.g. 6 months)")
    if out.p is not None and out.p.value is not None and not 0 <= out.p.value <= 1:
        f.error(node.line_of("p"), f"p must be between 0 and 1, not {out.p.text}")
    if out.ci_low and out.ci_high and v is not None:
        lo, hi = out.ci_low.value, out.ci_high.value
        if lo is not None and hi is not None and out.value.is_exact and not lo <= v <= hi:
            f.error(line, f"value {out.value.text} lies outside its confidence interval")


def _adverse_event(f: Fields, node: Mapping, parent: Cite | None) -> AdverseEvent | None:
    f.allowed(node, AE_KEYS, "an adverse event")
    term = f.text(node, "term", True)
    ae = f.ident(node, "ae")
    cite = f.cite(node, parent, "an adverse event")
    all_grade = f.figure(node, "all_grade")
    g34 = f.figure(node, "grade_3_4")
    g3p = f.figure(node, "grade_3_plus")
    if g34 and g3p:
        f.error(node.line, "give either 'grade_3_4' or 'grade_3_plus', as the source prints it")
    for key, fig in (("all_grade", all_grade), ("grade_3_4", g34), ("grade_3_plus", g3p)):
        if fig and fig.value is not None and not 0 <= fig.value <= 100:
            f.error(node.line_of(key), f"'{key}' is a percentage: {fig.text} is outside 0-100")
    if all_grade is None and g34 is None and g3p is None:
        f.error(node.line, "an adverse event needs 'all_grade', 'grade_3_4' or 'grade_3_plus'")
    if not (term and ae and cite):
        return None
    high, band = (g3p, ">=3") if g3p else (g34, "3-4")
    return AdverseEvent(term, ae, cite, f.loc(node), all_grade=all_grade, high_grade=high, high_band=band,
                        note=f.text(node, "note"), caveat=f.text(node, "caveat"),
                        preferred=f.text(node, "preferred"), reading=f.ident(node, "reading", False))


def _entity_files(root: Path, folder: str, errors: list[SeedError]) -> list[tuple[Fields, Mapping]]:
    """Each YAML file in `folder` holds one entity whose id matches the file name."""
    found = []
    for path in sorted((root / folder).glob("*.yaml")):
        f, data = _load(path, root, errors)
        if data is None or (node := f.mapping(data, "the file", 1)) is None:
            continue
        ident = node.get("id")
        if isinstance(ident, str) and ident != path.stem:
            f.error(node.line_of("id"), f"id '{ident}' does not match the file name '{path.name}'")
        found.append((f, node))
    return found


def read_dataset(root: Path) -> tuple[Dataset, list[SeedError]]:
    """Read every seed file under `root`; return the dataset and all errors found."""
    errors: list[SeedError] = []
    if not root.is_dir():
        errors.append(SeedError(str(root), 1, "seeds folder not found"))
        return Dataset("?", "?", None), errors
    f, data = _load(root / "dataset.yaml", root, errors)
    version, title, released = "?", "?", None
    if data is not None and (top := f.mapping(data, "the file", 1)) is not None:
        f.allowed(top, {"version", "title", "released"}, "dataset.yaml")
        version = f.text(top, "version", True) or "?"
        title = f.text(top, "title", True) or "?"
        released = f.text(top, "released")
    ds = Dataset(version, title, released)
    f, items = _list_file(root / "sources.yaml", root, errors, "sources")
    ds.sources = read_sources(f, items)
    ds.diseases = [d for f, node in _entity_files(root, "diseases", errors) for d in read_diseases(f, [node])]
    ds.drugs = [d for f, node in _entity_files(root, "drugs", errors) for d in read_drugs(f, [node])]
    ds.ae_terms = [t for f, node in _entity_files(root, "adverse_events", errors) for t in read_ae_terms(f, [node])]
    ds.grading = [g for f, node in _entity_files(root, "grading", errors) if (g := read_grading(f, node))]
    ds.studies = [s for f, node in _entity_files(root, "studies", errors) if (s := read_study(f, node))]
    fill_column_bands(ds.studies)
    f, items = _list_file(root / "therapy-classes.yaml", root, errors, "classes")
    ds.therapy_classes = read_terms(f, items, "a therapy class")
    f, items = _list_file(root / "markers.yaml", root, errors, "markers")
    ds.markers = read_terms(f, items, "a marker")
    if (root / "brands.yaml").exists():
        f, items = _list_file(root / "brands.yaml", root, errors, "brands")
        ds.brands = read_brands(f, items)
    return ds, errors
