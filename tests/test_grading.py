"""The grade calculator: driven by each system's printed bounds, checked at and around every one."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest

from db.grading.calculator import (
    Criterion,
    GradingInputError,
    System,
    calculate,
    evaluate,
    find_system,
    load_systems,
    reference_tables,
    tumour_grade_systems,
)
from db.store import Store
from db.toxicity.ctcae import CTCAE_EDITION, ctcae_term, ctcae_terms, filter_terms
from tests.conftest import SEEDS

# The tumour grading systems of the bundled seeds, found at collection time so each gets its own test.
GRADING_IDS = sorted(p.stem for p in (SEEDS / "grading").glob("*.yaml")
                     if re.search(r"^kind:\s*tumour_grade\s*$", p.read_text(encoding="utf-8"), re.MULTILINE))
LIMITS = {"ki67": 100.0}


@pytest.fixture
def systems(store: Store) -> list[System]:
    return load_systems(store)


def system(systems: list[System], system_id: str) -> System:
    return next(s for s in systems if s.id == system_id)


def inside(c: Criterion, v: float) -> bool:
    """The bounds written out again, independently of Criterion.contains."""
    checks = [(c.gt, lambda b: v > b), (c.ge, lambda b: v >= b), (c.lt, lambda b: v < b), (c.le, lambda b: v <= b)]
    return any(b is not None for b, _ in checks) and all(b is None or ok(b) for b, ok in checks)


@pytest.mark.parametrize("system_id", GRADING_IDS)
def test_every_threshold_of_every_tumour_grade(systems: list[System], system_id: str) -> None:
    assert len(GRADING_IDS) >= 3
    s = system(systems, system_id)
    numeric = [c.key for c in s.columns if any(r.criteria.get(c.key, Criterion("")).numeric for r in s.rows)]
    assert numeric, f"{system_id} has no numeric criterion"
    checked = 0
    for key in numeric:
        bounds = sorted({b for r in s.rows if key in r.criteria for b in r.criteria[key].bounds()})
        for b in bounds:
            for v in (b - 0.1, b - 0.01, b, b + 0.01, b + 0.1):
                if v < 0 or v > LIMITS.get(key, math.inf):
                    continue
                expected = tuple(i for i, r in enumerate(s.rows) if key in r.criteria and inside(r.criteria[key], v))
                result = evaluate(s, {key: v})
                assert expected, f"{system_id}: {key} {v} falls between the printed rows"
                assert result.rows == expected, f"{system_id}: {key} {v}"
                assert not any("no row" in w for w in result.warnings)
                checked += 1
    assert checked >= 4 * len(numeric)


PRINTED = [(r"<(\d+(?:\.\d+)?)", ("lt",)), (r">(\d+(?:\.\d+)?)", ("gt",)), (r"≤(\d+(?:\.\d+)?)", ("le",)),
           (r"≥(\d+(?:\.\d+)?)", ("ge",)), (r"(\d+(?:\.\d+)?)[–-](\d+(?:\.\d+)?)", ("ge", "le"))]


@pytest.mark.parametrize("system_id", GRADING_IDS)
def test_printed_bounds_agree_with_the_numbers(systems: list[System], system_id: str) -> None:
    s = system(systems, system_id)
    for r in s.rows:
        for key, c in r.criteria.items():
            if not c.numeric:
                continue
            for pattern, fields in PRINTED:
                m = re.fullmatch(pattern, c.printed.replace(" ", ""))
                if m:
                    got = {f: getattr(c, f) for f in ("gt", "ge", "lt", "le") if getattr(c, f) is not None}
                    assert got == {f: float(x) for f, x in zip(fields, m.groups(), strict=True)}, (r.grade, key)
                    break
            else:
                pytest.fail(f"{system_id} {r.grade} {key}: cannot read printed {c.printed!r}")


def test_ki67_14_and_3_mitoses_is_g2_concordant(systems: list[System]) -> None:
    r = calculate(find_system(systems, "gep", "2019"), ki67=14, mitoses=3)
    assert (r.grade, r.label, r.edition) == ("G2", "NET, grade 2", "WHO 2019 (5th edition)")
    assert r.rule == "Ki-67 14% falls in 3–20% (G2); mitoses 3 per 2 mm² fall in 2–20 (G2); concordant"
    assert r.concordant and r.deciding == ("ki67", "mitoses") and r.warnings == ()


@pytest.mark.parametrize(("ki67", "grade"), [(0, "G1"), (2.9, "G1"), (3, "G2"), (20, "G2"), (20.1, "G3 or NEC"),
                                             (100, "G3 or NEC")])
def test_ki67_thresholds_who_2019(systems: list[System], ki67: float, grade: str) -> None:
    assert calculate(find_system(systems, "gep", "2019"), ki67=ki67).grade == grade


def test_g3_or_nec_is_left_to_differentiation(systems: list[System]) -> None:
    r = calculate(find_system(systems, "gep", "2019"), ki67=35)
    assert not r.decided and [s.rows[i].grade for s, i in [(r.system, i) for i in r.rows]] == ["G3", "NEC"]
    assert "differentiation decides (Well differentiated → G3, Poorly differentiated → NEC)" in r.rule
    assert calculate(r.system, ki67=35, differentiation="well").grade == "G3"
    assert calculate(r.system, ki67=35, differentiation="poor").grade == "NEC"


def test_discordant_ki67_and_mitoses_take_the_higher_grade(systems: list[System]) -> None:
    r = calculate(find_system(systems, "gep", "2019"), ki67=25, mitoses=3, differentiation="well")
    assert r.grade == "G3" and not r.concordant and r.deciding == ("ki67",)
    assert r.rule.startswith("Ki-67 25% → G3 or NEC, mitoses 3 per 2 mm² → G2: discordant, the higher grade "
                             "applies (WHO 2019)")
    old = calculate(find_system(systems, "gep", "2010"), ki67=25, mitoses=3)
    assert old.grade == "G3"
    assert old.rule == ("Ki-67 25% → G3, mitoses 3 per 10 HPF → G2: discordant, the higher grade applies "
                        "(WHO 2010 / ENETS)")
    assert calculate(find_system(systems, "gep", "2019"), ki67=2, mitoses=5).grade == "G2"


def test_poor_differentiation_is_nec(systems: list[System]) -> None:
    r = calculate(find_system(systems, "gep", "2019"), ki67=8, mitoses=4, differentiation="poor")
    assert r.grade == "NEC" and r.deciding == ("differentiation",)
    assert "high grade" in r.label


def test_lung(systems: list[System]) -> None:
    lung = find_system(systems, "lung")
    assert lung.id == "who-2015-lung-thymus"
    r = calculate(lung, mitoses=1, necrosis="punctate")
    assert r.grade == "AC" and "Atypical carcinoid" in r.label
    assert r.rule == ("mitoses 1 per 2 mm² → TC, necrosis punctate → AC: discordant, the higher category applies "
                      "(WHO 2015 / ENETS)")
    assert calculate(lung, mitoses=11).grade == "HG"
    assert calculate(lung, mitoses=10, necrosis="none").grade == "AC"
    assert calculate(lung, mitoses=0, necrosis="extensive").grade == "HG"
    typical = calculate(lung, mitoses=1, necrosis="none")
    assert typical.grade == "TC" and typical.concordant


def test_missing_and_ignored_criteria_are_said(systems: list[System]) -> None:
    r = calculate(find_system(systems, "gep", "2019"), ki67=5)
    assert any(w.startswith("mitoses not given") for w in r.warnings)
    assert not calculate(find_system(systems, "gep", "2019"), ki67=50).warnings  # nothing can raise G3/NEC further
    lung = calculate(find_system(systems, "lung"), ki67=30, mitoses=1)
    assert "Ki-67 is not a criterion of WHO 2015 / ENETS; ignored" in lung.warnings
    assert lung.grade == "TC" and any(w.startswith("necrosis not given") for w in lung.warnings)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"ki67": 101}, "between 0 and 100"), ({"ki67": -1}, "cannot be negative"),
    ({"mitoses": -0.5}, "cannot be negative"), ({"ki67": math.nan}, "must be a number"),
    ({"mitoses": math.inf}, "must be a number"), ({"ki67": "many"}, "must be a number"),
    ({}, "give at least one criterion"),
    ({"differentiation": "moderate"}, "must be one of well, poor"),
])
def test_impossible_input_is_rejected(systems: list[System], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(GradingInputError, match=message):
        calculate(find_system(systems, "gep", "2019"), **kwargs)  # type: ignore[arg-type]


def test_unknown_category_and_reference_tables_are_rejected(systems: list[System]) -> None:
    with pytest.raises(GradingInputError, match="necrosis must be one of none, punctate, extensive"):
        calculate(find_system(systems, "lung"), mitoses=1, necrosis="some")
    with pytest.raises(GradingInputError, match="reference table"):
        calculate(system(systems, "recist-1.1"), ki67=3)


def test_the_calculator_follows_the_data(systems: list[System]) -> None:
    """Change a bound in the table and the grade follows: no threshold is written in the code."""
    s = find_system(systems, "gep", "2019")
    g1, g2, *rest = s.rows
    moved = dataclasses.replace(s, rows=(
        dataclasses.replace(g1, criteria=g1.criteria | {"ki67": Criterion("<5", lt=5)}),
        dataclasses.replace(g2, criteria=g2.criteria | {"ki67": Criterion("5–20", ge=5, le=20)}), *rest))
    assert calculate(s, ki67=4).grade == "G2"
    assert calculate(moved, ki67=4).grade == "G1"


def test_a_gap_between_printed_bounds_is_warned(systems: list[System]) -> None:
    s = find_system(systems, "gep", "2010")
    g1, g2, g3 = s.rows
    gap = dataclasses.replace(s, rows=(
        g1, dataclasses.replace(g2, criteria=g2.criteria | {"ki67": Criterion("3–20", ge=3, le=20)}),
        dataclasses.replace(g3, criteria=g3.criteria | {"ki67": Criterion(">21", gt=21)})))
    r = calculate(gap, ki67=20.5, mitoses=1)
    assert r.grade == "G1"
    assert any("Ki-67 20.5% falls in no row" in w and "check the value" in w for w in r.warnings)
    assert calculate(gap, ki67=20.5).grade is None


@pytest.mark.parametrize(("site", "edition", "expected"), [
    ("gep", None, "who-enets-2010-gep"), (None, None, "who-enets-2010-gep"), ("gep", "2010", "who-enets-2010-gep"),
    ("gep", "WHO 2019", "who-2019-gep"), ("gep", "enets", "who-enets-2010-gep"),
    ("gep", "who-enets-2010-gep", "who-enets-2010-gep"), ("lung", None, "who-2015-lung-thymus"),
    (None, "who-2015-lung-thymus", "who-2015-lung-thymus"),
])
def test_editions_by_id_or_prefix(systems: list[System], site: str | None, edition: str | None,
                                  expected: str) -> None:
    assert find_system(systems, site, edition).id == expected


@pytest.mark.parametrize(("site", "edition", "message"), [
    ("gep", "who", "ambiguous"), ("gep", "1999", "no gep edition matches"),
    ("gep", "who-2015-lung-thymus", "is a lung system"), ("skin", None, "no grading system for site"),
])
def test_bad_editions_say_what_exists(systems: list[System], site: str, edition: str | None, message: str) -> None:
    with pytest.raises(GradingInputError, match=message):
        find_system(systems, site, edition)


def test_reference_tables_and_sources(systems: list[System]) -> None:
    tables = {s.id: s for s in reference_tables(systems)}
    assert not set(tables) & {s.id for s in tumour_grade_systems(systems)}
    assert tables["recist-1.1"].row_index("pd") is not None
    ecog = tables["ecog-performance-status"]
    assert [r.grade for r in ecog.rows] == ["0", "1", "2", "3", "4", "5"]
    for s in systems:
        assert s.source and s.citation and s.locator, s.id


def test_ctcae_lookup(store: Store) -> None:
    terms = ctcae_terms(store)
    assert len(terms) == len(store.ae_terms())
    ppe = filter_terms(terms, "HAND foot")
    assert [t.id for t in ppe] == ["ppe"]
    diarrhea = ctcae_term(store, "diarrhea")
    assert diarrhea is not None and diarrhea.grade(5) == "Death" and diarrhea.grade(6) is None
    raw = next(r for r in store.ae_terms() if r["id"] == "diarrhea")
    assert [diarrhea.grade(n) for n in range(1, 6)] == [raw[f"grade{n}"] for n in range(1, 6)]
    assert filter_terms(terms, "") == terms and filter_terms(terms, "zzzz") == []
    assert CTCAE_EDITION == "CTCAE v5.0"
