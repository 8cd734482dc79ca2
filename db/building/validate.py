"""Checks across seed files: unique ids and references that resolve."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from db.dataset.fields import SeedError
from db.dataset.keys import normalize_key
from db.dataset.model import Cite, Dataset, Loc
from db.dataset.population_check import population_errors, population_warnings
from db.dataset.vocab import BRAND_SOURCE_KINDS, IDENTIFIER_SOURCE_KINDS, NAME_SOURCE_KINDS


def _err(loc: Loc, message: str) -> SeedError:
    return SeedError(loc.file, loc.line, message)


def _unique(kind: str, items: Iterable[tuple[str, Loc]]) -> Iterator[SeedError]:
    seen: dict[str, Loc] = {}
    for ident, loc in items:
        if ident in seen:
            yield _err(loc, f"duplicate {kind} id '{ident}' (first defined at {seen[ident]})")
        else:
            seen[ident] = loc


def check_references(ds: Dataset) -> list[SeedError]:
    errors: list[SeedError] = []
    errors += _unique("source", ((s.id, s.loc) for s in ds.sources))
    errors += _unique("disease", ((d.id, d.loc) for d in ds.diseases))
    errors += _unique("drug", ((d.id, d.loc) for d in ds.drugs))
    errors += _unique("adverse-event", ((t.id, t.loc) for t in ds.ae_terms))
    errors += _unique("grading", ((g.id, g.loc) for g in ds.grading))
    errors += _unique("study", ((s.id, s.loc) for s in ds.studies))
    errors += _unique("therapy class", ((t.id, t.loc) for t in ds.therapy_classes))
    errors += _unique("marker", ((t.id, t.loc) for t in ds.markers))

    sources = {s.id for s in ds.sources}
    kinds = {s.id: s.kind for s in ds.sources}
    diseases = {d.id for d in ds.diseases}
    drugs = {d.id for d in ds.drugs}
    terms = {t.id for t in ds.ae_terms}

    def cite(c: Cite, loc: Loc) -> None:
        where = Loc(loc.file, c.line or loc.line)
        if c.source not in sources:
            errors.append(_err(where, f"unknown source '{c.source}' (not in sources.yaml)"))
        elif kinds[c.source] in NAME_SOURCE_KINDS:
            named = "a drug's brand names" if kinds[c.source] in BRAND_SOURCE_KINDS else "a study's identifiers"
            errors.append(_err(where, f"source '{c.source}' is a {kinds[c.source]} record: it is cited only for "
                                      f"{named}, never for a figure or a fact"))

    def disease(ident: str, loc: Loc) -> None:
        if ident not in diseases:
            errors.append(_err(loc, f"unknown disease '{ident}' (no file in seeds/diseases/)"))

    for d in ds.diseases:
        if d.parent:
            disease(d.parent, d.loc)
    for drug in ds.drugs:
        for fact in drug.facts:
            cite(fact.cite, fact.loc)
        for appr in drug.approvals:
            cite(appr.cite, appr.loc)
            for ident in appr.diseases:
                disease(ident, Loc(appr.loc.file, appr.diseases_line or appr.loc.line))
    for g in ds.grading:
        cite(g.cite, g.loc)
    for study in ds.studies:
        cite(study.cite, study.loc)
        for ident in study.diseases:
            disease(ident, Loc(study.loc.file, study.key_lines.get("diseases", study.loc.line)))
        for note in study.notes:
            cite(note.cite, note.loc)
        for fig in (study.enrolled, study.evaluable):
            if fig:
                cite(fig.cite, fig.loc)
        errors += _unique(f"arm (in study {study.id})", ((a.key, a.loc) for a in study.arms))
        arm_keys = {a.key for a in study.arms}
        for arm in study.arms:
            if arm.n:
                cite(arm.n.cite, arm.n.loc)
            for dose in arm.regimen:
                if dose.drug not in drugs:
                    errors.append(_err(dose.loc, f"unknown drug '{dose.drug}' (no file in seeds/drugs/)"))
            for out in arm.outcomes:
                cite(out.cite, out.loc)
            for ae in arm.adverse_events:
                cite(ae.cite, ae.loc)
                if ae.ae not in terms:
                    message = f"unknown adverse-event term '{ae.ae}' (no file in seeds/adverse_events/)"
                    errors.append(_err(ae.loc, message))
            for note in arm.notes:
                cite(note.cite, note.loc)
        for comp in study.comparisons:
            cite(comp.cite, comp.loc)
            for key in (comp.arm, comp.vs):
                if key is None:
                    errors.append(_err(comp.loc, "a comparison needs 'arm' and 'vs'"))
                elif key not in arm_keys:
                    errors.append(_err(comp.loc, f"unknown arm '{key}' in study {study.id}"))
    errors += _identifier_checks(ds, kinds)
    errors += _brand_checks(ds, kinds)
    errors += _synonym_clashes(ds)
    errors += _parent_cycles(ds)
    return errors


def _identifier_checks(ds: Dataset, kinds: dict[str, str]) -> Iterator[SeedError]:
    """An identifier cites a registry record or a publication (not one of the curated documents, which
    do not print it), is not already the study's printed acronym or number, and names one study only."""
    owner: dict[str, str] = {}
    for study in ds.studies:
        for name in (study.acronym, study.nct, study.id):
            if name:
                owner.setdefault(normalize_key(name), study.id)
    for study in ds.studies:
        printed = {normalize_key(x) for x in (study.acronym, study.nct) if x}
        for ident in study.identifiers:
            where = Loc(ident.loc.file, ident.cite.line or ident.loc.line)
            kind = kinds.get(ident.cite.source)
            if kind is None:
                yield _err(where, f"unknown source '{ident.cite.source}' (not in sources.yaml)")
            elif kind not in IDENTIFIER_SOURCE_KINDS:
                wanted = " or ".join(IDENTIFIER_SOURCE_KINDS)
                yield _err(where, f"identifier '{ident.value}' cites '{ident.cite.source}', a {kind}: cite the "
                                  f"registry record or publication that gives it (kind {wanted})")
            key = normalize_key(ident.value)
            if key in printed:
                field = "acronym" if ident.kind == "acronym" else "nct"
                yield _err(ident.loc, f"identifier '{ident.value}' is already printed in the source "
                                      f"(the study's {field}): leave it there")
            elif owner.setdefault(key, study.id) != study.id:
                yield _err(ident.loc, f"identifier '{ident.value}' also names study '{owner[key]}'")


def _brand_checks(ds: Dataset, kinds: dict[str, str]) -> Iterator[SeedError]:
    """A brand names a drug of the dataset, cites a regulator's product information (kind label), and is
    listed once."""
    drugs = {d.id for d in ds.drugs}
    seen: dict[tuple[str, str], int] = {}
    for brand in ds.brands:
        where = Loc(brand.loc.file, brand.cite.line or brand.loc.line)
        if brand.drug not in drugs:
            yield _err(brand.loc, f"brand '{brand.name}' names unknown drug '{brand.drug}' (no file in seeds/drugs/)")
        kind = kinds.get(brand.cite.source)
        if kind is None:
            yield _err(where, f"unknown source '{brand.cite.source}' (not in sources.yaml)")
        elif kind not in BRAND_SOURCE_KINDS:
            yield _err(where, f"brand '{brand.name}' cites '{brand.cite.source}', a {kind}: cite the regulator's "
                              f"product information that names it (kind {' or '.join(BRAND_SOURCE_KINDS)})")
        key = (brand.drug, brand.name.casefold().strip())
        if key in seen:
            yield _err(brand.loc, f"brand '{brand.name}' is listed twice (also at line {seen[key]})")
        seen.setdefault(key, brand.loc.line)


def _parent_cycles(ds: Dataset) -> Iterator[SeedError]:
    """A disease may not be its own ancestor: every disease on a loop of `parent:` is an error."""
    parent = {d.id: d.parent for d in ds.diseases}
    for d in ds.diseases:
        chain, current = [d.id], d.parent
        while current is not None and current not in chain:
            chain.append(current)
            current = parent.get(current)
        if current == d.id:
            loop = " -> ".join([*chain, d.id])
            yield _err(Loc(d.loc.file, d.parent_line or d.loc.line), f"disease '{d.id}' is its own ancestor: {loop}")


def _synonym_clashes(ds: Dataset) -> Iterator[SeedError]:
    """A search word must lead to one thing of its kind: 'HFS' cannot mean two terms."""
    groups = [
        ("adverse-event term", [(t.id, [t.name, *t.synonyms], t.loc) for t in ds.ae_terms]),
        ("disease", [(d.id, [d.name, *d.synonyms], d.loc) for d in ds.diseases]),
        ("drug", [(d.id, [d.name, *d.brands, *d.codes, *d.synonyms], d.loc) for d in ds.drugs]
         + [(b.drug, [b.name], b.loc) for b in ds.brands]),
    ]
    for kind, entries in groups:
        owner: dict[str, str] = {}
        for ident, names, loc in entries:
            for name in names:
                key = name.casefold().strip()
                if not key:
                    continue
                if key in owner and owner[key] != ident:
                    yield _err(loc, f"'{name}' names both {kind} '{owner[key]}' and '{ident}'")
                owner.setdefault(key, ident)


def check_readings(ds: Dataset) -> tuple[list[SeedError], list[SeedError]]:
    """Errors and warnings about figure readings: preference, caveat links, n/N arithmetic."""
    from db.dataset.readings import study_readings

    errors: list[SeedError] = []
    warnings: list[SeedError] = []
    for study in ds.studies:
        sr = study_readings(study)
        errors += [_err(loc, message) for loc, message in sr.errors]
        warnings += [_err(loc, message) for loc, message in sr.warnings]
    return errors, warnings


def validate(ds: Dataset, read_errors: list[SeedError]) -> list[SeedError]:
    """All problems, sorted by file and line; empty means the seeds are good."""
    errors = list(read_errors) + check_references(ds) + check_readings(ds)[0] + population_errors(ds)
    return sorted(set(errors), key=lambda e: (e.file, e.line, e.message))


def warnings(ds: Dataset) -> list[SeedError]:
    """What `check` reports without failing: figures whose arithmetic a reader may want to see, markers
    required of patients in a disease where such markers are not tested."""
    found = check_readings(ds)[1] + population_warnings(ds)
    return sorted(set(found), key=lambda e: (e.file, e.line, e.message))
