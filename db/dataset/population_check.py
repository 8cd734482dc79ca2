"""Checks on who each study treated and how its arms relate (docs/seed-format.md, last section):
vocabulary ids, NET-only fields, contradictions within a population, markers that do not fit the
study's diseases (a warning), comparisons that run to a control arm, pooled arms, drug classes."""

from __future__ import annotations

from collections.abc import Iterator

from db.dataset import vocab
from db.dataset.fields import SeedError
from db.dataset.model import Dataset, Loc, Study
from db.dataset.population import Item, Population, items, merged

NET_ONLY = ("functional", "sstr", "grades")


def _err(loc: Loc, message: str) -> SeedError:
    return SeedError(loc.file, loc.line, message)


def _key_loc(p: Population, key: str) -> Loc:
    return Loc(p.loc.file, p.key_lines.get(key, p.loc.line))


def ancestry(ds: Dataset) -> dict[str, set[str]]:
    """Each disease with itself and its ancestors (a parent loop stops: db/building/validate.py reports it)."""
    parent = {d.id: d.parent for d in ds.diseases}
    out: dict[str, set[str]] = {}
    for d in ds.diseases:
        seen: set[str] = set()
        current: str | None = d.id
        while current and current not in seen:
            seen.add(current)
            current = parent.get(current)
        out[d.id] = seen
    return out


def population_errors(ds: Dataset) -> list[SeedError]:
    classes = {t.id for t in ds.therapy_classes}
    markers = {t.id for t in ds.markers}
    up = ancestry(ds)
    errors: list[SeedError] = []
    for drug in ds.drugs:
        for ident in drug.classes:
            if ident not in classes:
                where = Loc(drug.loc.file, drug.classes_line or drug.loc.line)
                errors.append(_err(where, f"unknown therapy class '{ident}' (not in therapy-classes.yaml)"))
    for study in ds.studies:
        net = any(vocab.NET_ROOT in up.get(d, {d}) for d in study.diseases)
        pops = [p for p in [study.population, *(a.population for a in study.arms)] if p is not None]
        for p in pops:
            errors += _ids(p, classes, markers)
            if not net:
                errors += [_err(_key_loc(p, k), f"'{k}' is for a study in a neuroendocrine disease (under "
                                                f"'{vocab.NET_ROOT}'); leave it out here") for k in NET_ONLY
                           if k in p.entries]
        errors += _contradictions(None, study.population)
        for arm in study.arms:
            if arm.population is not None:
                errors += _contradictions(study.population, arm.population)
                if arm.role not in ("cohort", "stratum"):
                    where = Loc(arm.loc.file, arm.population.loc.line)
                    errors.append(_err(where, f"arm '{arm.key}' is a {arm.role} arm: only a cohort or stratum arm "
                                              "has its own 'population'"))
        errors += _arm_errors(study)
    return errors


def _ids(p: Population, classes: set[str], markers: set[str]) -> Iterator[SeedError]:
    for key, field, known, where in (("prior", "class", classes, "therapy-classes.yaml"),
                                     ("markers", "marker", markers, "markers.yaml")):
        for item in items(p.entries.get(key)):
            ident = item.text(field)
            if ident is not None and ident not in known:
                yield _err(item.loc, f"unknown {field} '{ident}' (not in {where})")


def _contradictions(study: Population | None, own: Population | None) -> Iterator[SeedError]:
    """Within what holds for a group of patients (the study's population, or an arm's over it)."""
    entries = merged(study, own)
    line = entries.get("line")
    first = isinstance(line, Item) and line.text("value") == "first"
    for key, field in (("prior", "class"), ("markers", "marker")):
        rules: dict[str, str] = {}
        for item in items(entries.get(key)):
            ident, rule = item.text(field), item.text("rule")
            if ident is None or rule is None:
                continue
            if first and key == "prior" and rule == "required":
                yield _err(item.loc, f"earlier '{ident}' is required, but the population's line is 'first' "
                                     "(no earlier systemic therapy)")
            if {rules.get(ident), rule} == {"required", "excluded"}:
                yield _err(item.loc, f"{field} '{ident}' is both required and excluded")
            rules.setdefault(ident, rule)


def _arm_errors(study: Study) -> Iterator[SeedError]:
    roles = {a.key: a.role for a in study.arms}
    for comp in study.comparisons:
        start, end = roles.get(comp.arm or ""), roles.get(comp.vs or "")
        if start is None or end is None:
            continue  # an unknown arm: db/building/validate.py says so
        if start not in vocab.COMPARED_ROLES or end != "control":
            yield _err(comp.loc, f"a comparison runs from an {', '.join(vocab.COMPARED_ROLES[:-1])} or "
                                 f"{vocab.COMPARED_ROLES[-1]} arm to a control arm; '{comp.arm}' is {start}, "
                                 f"'{comp.vs}' is {end}")
    if len(study.arms) == 1 and study.arms[0].role == "pooled":
        yield _err(study.arms[0].loc, f"arm '{study.arms[0].key}' is pooled but the study's only arm: "
                                      "make it 'single' (pooled is all patients of several arms together)")


def population_warnings(ds: Dataset) -> list[SeedError]:
    """A required marker on a study with no disease where such markers are tested (thyroid cancer,
    tumour-agnostic): not wrong, but worth a look."""
    up = ancestry(ds)
    out = []
    for study in ds.studies:
        if any(set(vocab.MARKER_ROOTS) & up.get(d, {d}) for d in study.diseases):
            continue
        for p in [study.population, *(a.population for a in study.arms)]:
            for item in items(p.entries.get("markers")) if p else []:
                if item.text("rule") == "required":
                    out.append(_err(item.loc, f"marker '{item.text('marker')}' is required, but none of the "
                                              f"study's diseases is under {' or '.join(vocab.MARKER_ROOTS)}"))
    return out
