"""Search understands who was treated (issue 25): the line, earlier therapy and markers a query names
find the studies whose population fits, in evidence order, and those that excluded such patients last,
labelled; through `Store.search`, `tumorboard search --json` and the window's search field.

What a study states is read here from `Store.studies()` (the seeds' population objects), not from
the search index, so the tests check the index and the engine against the data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.presentation.evidence import evidence_key
from db.store import Store
from tests.window_support import opened_window
from tumorboard.cli import main

Record = dict[str, Any]
Search = Callable[[str], list[Record]]  # the hits as `tumorboard search --json` prints them


def scopes(study: Record) -> list[Record]:
    """The study's population and each cohort's or stratum's own over it."""
    own = study.get("population") or {}
    return [own] + [{**own, **arm["population"]} for arm in study["arms"] if arm.get("population")]


def items(entry: Any) -> list[Record]:
    return [entry] if isinstance(entry, dict) else [i for i in entry if isinstance(i, dict)] if isinstance(
        entry, list) else []


def prior_fit(study: Record, classes: set[str]) -> str | None:
    """'fits' when the study or a cohort or stratum had one of these classes required or allowed, 'excluded'
    when none did and one excluded it, else None (the study does not say)."""
    rules = {i["rule"] for scope in scopes(study) for i in items(scope.get("prior")) if i["class"] in classes}
    return "fits" if rules & {"required", "allowed"} else "excluded" if "excluded" in rules else None


def requires_marker(study: Record, markers: set[str]) -> bool:
    return any(i["marker"] in markers and i["rule"] == "required"
               for scope in scopes(study) for i in items(scope.get("markers")))


def line_of(study: Record) -> set[str]:
    return {str(i.get("value")) for scope in scopes(study) for i in items(scope.get("line"))}


@pytest.fixture(scope="module")
def records(built_db: Path) -> dict[str, Record]:
    store = Store(built_db)
    try:
        return {s["id"]: s for s in store.studies()}
    finally:
        store.close()


def engine_search(store: Store) -> Search:
    return lambda text: [h.as_dict() for h in store.search(text, 200)]


def cli_search(capsys: pytest.CaptureFixture[str]) -> Search:
    def run(text: str) -> list[Record]:
        assert main(["search", *text.split(), "--limit", "200", "--json"]) == 0
        return list(json.loads(capsys.readouterr().out))
    return run


def study_hits(hits: list[Record]) -> list[Record]:
    return [h for h in hits if h["kind"] == "study"]


# -- the four promises, each checked through the engine and through the command line ----------------------

def cosmic_311_among_the_top_three(search: Search, records: dict[str, Record], text: str) -> None:
    assert "later" in line_of(records["cosmic-311"])  # what the seed says: after earlier systemic therapy
    assert prior_fit(records["cosmic-311"], {"vegfr-mki"}) == "fits"
    top = search(text)[:3]
    assert "cosmic-311" in [h["id"] for h in top], (text, top)
    assert all(h["kind"] == "study" and h["population"] == "fits" for h in top)


def braf_studies_first_in_evidence_order(search: Search, records: dict[str, Record], vocabulary: list[Record],
                                         text: str) -> None:
    braf = {m["id"] for m in vocabulary if m["name"].startswith("BRAF")}
    requiring = sorted((s for s in records.values() if requires_marker(s, braf)), key=evidence_key)
    assert len(requiring) >= 2
    found = study_hits(search(text))
    assert [h["id"] for h in found[:len(requiring)]] == [s["id"] for s in requiring]
    assert all(h["population"] == "fits" and "required · " in h["snippet"] for h in found[:len(requiring)])
    assert all(h["population"] != "fits" for h in found[len(requiring):])


def excluded_study_below_those_that_fit(search: Search, records: dict[str, Record], vegfr_name: str) -> None:
    study = records["lenvatinib-pembrolizumab-phase2"]
    assert prior_fit(study, {"vegfr-mki"}) == "excluded"
    hits = search("after lenvatinib")
    position = [h["id"] for h in hits].index(study["id"])
    assert hits[position]["population"] == "excluded"
    assert hits[position]["snippet"].startswith(f"excluded: earlier {vegfr_name} · ")
    fitting = [n for n, h in enumerate(hits) if h["population"] == "fits"]
    assert fitting and max(fitting) < position


def after_each_drug_lists_only_studies_that_fit_or_excluded(search: Search, store: Store,
                                                            records: dict[str, Record]) -> int:
    checked = 0
    for drug in store.drugs():
        classes = set(store.classes_of(drug["id"]))
        if not classes:
            continue
        expected = {sid: fit for sid, s in records.items() if (fit := prior_fit(s, classes)) is not None}
        hits = search(f"after {drug['name']}")
        assert all(h["kind"] == "study" for h in hits), drug["id"]
        assert {h["id"]: h["population"] for h in hits} == expected, drug["id"]
        order = [h["population"] for h in hits]
        assert order == sorted(order, key=["fits", "excluded"].index), drug["id"]  # never an unrelated one first
        fits = [records[h["id"]] for h in hits if h["population"] == "fits"]
        assert fits == sorted(fits, key=evidence_key), drug["id"]
        checked += bool(hits)
    return checked


def vegfr(store: Store) -> str:
    return next(c["name"] for c in store.vocabulary("class") if c["id"] == "vegfr-mki")


@pytest.mark.parametrize("text", ["after lenvatinib", "second line"])
def test_cosmic_311_is_among_the_top_three(store: Store, records: dict[str, Record], text: str) -> None:
    cosmic_311_among_the_top_three(engine_search(store), records, text)


@pytest.mark.parametrize("text", ["BRAF V600E", "BRAF", "braf v600e thyroid", "BRAFV600E thyroid"])
def test_braf_finds_the_studies_that_require_it_first(store: Store, records: dict[str, Record], text: str) -> None:
    braf_studies_first_in_evidence_order(engine_search(store), records, store.vocabulary("marker"), text)


def test_a_study_that_excluded_earlier_vegfr_therapy_is_listed_last_and_says_so(
        store: Store, records: dict[str, Record]) -> None:
    excluded_study_below_those_that_fit(engine_search(store), records, vegfr(store))


def test_after_every_drug_with_a_class(store: Store, records: dict[str, Record]) -> None:
    assert after_each_drug_lists_only_studies_that_fit_or_excluded(engine_search(store), store, records) >= 3


def test_the_command_line_keeps_the_same_promises(home: Path, capsys: pytest.CaptureFixture[str], store: Store,
                                                  records: dict[str, Record]) -> None:
    search = cli_search(capsys)
    for text in ("after lenvatinib", "second line"):
        cosmic_311_among_the_top_three(search, records, text)
    braf_studies_first_in_evidence_order(search, records, store.vocabulary("marker"), "BRAF V600E")
    excluded_study_below_those_that_fit(search, records, vegfr(store))
    assert after_each_drug_lists_only_studies_that_fit_or_excluded(search, store, records) >= 3


# -- how a query may say it ----------------------------------------------------------------------------

def refs(store: Store, text: str) -> list[tuple[str, str]]:
    return [(h.ref, h.population) for h in store.search(text, 200)]


@pytest.mark.parametrize(("text", "same"), [
    ("after lenvatinib", ["post-lenvatinib", "progressed on lenvatinib", "after MKI",
                          "after TKI", "after rivoceranib", "after lenva", "after sorafenib", "Lenvatinib-pretreated",
                          "after VEGFR-targeted multikinase inhibitor", "after failure of lenvatinib"]),
    ("after somatostatin analogue", ["after SSA", "after octreotide", "after lanreotide", "after somatostatin ana"]),
    ("after PRRT", ["after 177Lu-Dotatate", "after Lu-177 dotatate", "after peptide receptor radionuclide therapy"]),
    ("second line", ["later line", "pretreated", "2nd line", "previously treated"]),
])
def test_the_ways_of_saying_it_find_the_same_studies(store: Store, text: str, same: list[str]) -> None:
    expected = refs(store, text)
    assert expected
    for other in same:
        assert refs(store, other) == expected, other


@pytest.mark.parametrize(("text", "same"), [
    ("BRAF V600E", ["BRAFV600E", "braf v6", "BRAF V600E-mutated"]), ("RET fusion", ["RET rearrangement", "ret f"]),
    ("NTRK fusion", ["NTRK", "TRK fusion"])])
def test_a_markers_names_find_the_same_studies_first(store: Store, text: str, same: list[str]) -> None:
    """A marker's words are also text, so the other hits differ with the spelling; the studies that fit do not."""
    def fitting(query: str) -> list[str]:
        return [h.ref for h in store.search(query, 200) if h.population == "fits"]

    expected = fitting(text)
    assert expected
    for other in same:
        assert fitting(other) == expected, other


def test_a_drug_stands_for_its_classes(store: Store) -> None:
    assert store.classes_of("lenvatinib") == store.classes_of("sorafenib") == ["vegfr-mki"]
    assert refs(store, "after lenvatinib") == refs(store, "after sorafenib")
    assert refs(store, "after everolimus") == []  # no study speaks to an earlier mTOR inhibitor


def test_first_line_puts_first_line_studies_first_mixed_next_and_pretreated_only_last(
        store: Store, records: dict[str, Record]) -> None:
    hits = store.search("first line", 200)
    assert hits and all(h.kind == "study" for h in hits)
    level = {"first": "fits", "mixed": "partly", "later": "excluded"}
    for h in hits:
        lines = line_of(records[h.ref])
        assert h.population == min((level[v] for v in lines if v in level), key=list(level.values()).index)
    order = [h.population for h in hits]
    assert order == sorted(order, key=["fits", "partly", "excluded"].index)
    assert {h.ref for h in hits} == {s for s, r in records.items() if line_of(r) & set(level)}
    later = next(h for h in hits if h.population == "excluded")
    assert later.snippet.startswith("excluded: first line · ")


def test_the_words_combine_with_the_rest_of_the_query(store: Store, records: dict[str, Record]) -> None:
    """'cabozantinib after lenvatinib': the cabozantinib studies, those after an MKI first."""
    cabozantinib = [h.ref for h in store.search("cabozantinib", 200) if h.kind == "study"]
    found = [(h.ref, h.population) for h in store.search("cabozantinib after lenvatinib", 200) if h.kind == "study"]
    assert sorted(r for r, _ in found) == sorted(cabozantinib)
    after_mki = sorted((records[r] for r in cabozantinib if prior_fit(records[r], {"vegfr-mki"}) == "fits"),
                       key=evidence_key)
    assert len(after_mki) >= 2 and after_mki[0]["id"] == "cosmic-311"
    assert found[:len(after_mki)] == [(s["id"], "fits") for s in after_mki]
    assert all(p == "not stated" for _, p in found[len(after_mki):])


def test_field_terms_and_kind_still_apply(store: Store) -> None:
    assert store.search("kind:drug after lenvatinib") == []
    phase_3 = [h for h in store.search("phase:3 after lenvatinib", 200) if h.kind == "study"]
    assert phase_3 and {h.ref for h in phase_3[:2]} == {"select", "cosmic-311"}
    assert all(h.population == "fits" for h in phase_3[:2]) and phase_3[2].population != "fits"


def test_a_query_that_asks_nothing_of_who_was_treated_is_unchanged(store: Store) -> None:
    hits = store.search("lenvatinib", 50)
    assert hits and all(h.population == "" and h.as_dict()["population"] is None for h in hits)
    assert not any(h.snippet.startswith(("excluded", "after ")) for h in hits)


# -- the window's search field uses the same engine -------------------------------------------------------

window = pytest.fixture(opened_window)


@pytest.mark.gui
def test_typing_after_lenvatinib_in_the_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from desktop.search_model import SNIPPET_ROLE

    qtbot.keyClicks(window.search.field, "after lenvatinib")
    qtbot.waitUntil(lambda: not window.search._timer.isActive())
    model = window.search.model
    assert model.rowCount() == 1  # studies only
    group = model.index(0, 0)
    rows = [model.index(r, 0, group) for r in range(model.rowCount(group))]
    titles = [str(i.data()) for i in rows]
    assert any(t.startswith("COSMIC-311") for t in titles[:3])
    excluded = next(i for i in rows if str(i.data(SNIPPET_ROLE)).startswith("excluded: "))
    assert "pembrolizumab" in str(excluded.data()).lower() and excluded.row() == len(rows) - 1
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.tab("Trials")


# -- a cohort's or stratum's own population --------------------------------------------------------------

COHORTS = """\
id: {id}
acronym: {acronym}
title: Everolimus in two cohorts
phase: "2"
kind: non-randomized trial
status: completed
diseases: [pnet]
source: cmr2017
at: Table 4
design: {{allocation: non-randomised, groups: "2", group_kind: cohorts, blinding: open-label, at: Table 4}}
population: {{line: not stated, prior: not stated, markers: not stated}}
endpoints: {{primary: not stated}}
arms:
  - id: naive
    label: "Cohort 1: no earlier mTOR inhibitor"
    role: cohort
    population:
      prior:
        - {{class: mtor, rule: excluded, at: Table 4}}
    regimen:
      - {{drug: everolimus, dose: 10 mg}}
  - id: other
    label: "Cohort 2: {second}"
    role: cohort
    population:
{population}
    regimen:
      - {{drug: everolimus, dose: 10 mg}}
"""


@pytest.fixture
def cohort_store(mini_seeds: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from db.building.build import build
    from tests.samples import write_study

    write_study(mini_seeds)  # SSA allowed: says nothing of an mTOR inhibitor
    write_study(mini_seeds, COHORTS.format(
        id="pretreated-cohort", acronym="COHORT-1", second="after an mTOR inhibitor",
        population="      line: {value: later, at: Table 4}\n      prior:\n"
                   "        - {class: mtor, rule: required, at: Table 4}"), "pretreated-cohort")
    write_study(mini_seeds, COHORTS.format(
        id="silent-cohort", acronym="COHORT-2", second="earlier therapy not stated",
        population="      line: not stated"), "silent-cohort")
    path = tmp_path / "dataset.sqlite3"
    build(mini_seeds, path)
    s = Store(path)
    yield s
    s.close()


def test_a_cohort_that_fits_makes_its_study_fit_and_says_which(cohort_store: Store) -> None:
    """A study fits when one of its cohorts does (its label says which); it excluded the patient when none
    fits and one cohort excluded them, though another cohort is silent; a study silent on it is not listed."""
    hits = cohort_store.search("after everolimus", 50)
    assert [(h.ref, h.population) for h in hits] == [("pretreated-cohort", "fits"), ("silent-cohort", "excluded")]
    assert hits[0].snippet.startswith("Cohort 2: after an mTOR inhibitor: after mTOR inhibitor · ")
    assert hits[1].snippet.startswith("Cohort 1: no earlier mTOR inhibitor: excluded: earlier mTOR inhibitor · ")
    found = [(h.ref, h.population) for h in cohort_store.search("everolimus after everolimus", 50) if h.kind == "study"]
    assert found == [("pretreated-cohort", "fits"), ("test-study", "not stated"), ("silent-cohort", "excluded")]


# -- the large-dataset paths, forced on the shipped data (as tests/test_search_scale.py does) -------------

@pytest.fixture
def bounded(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    import db.search.engine as engine

    monkeypatch.setattr(engine, "CAP", 40)  # at most 20 candidates in each span
    monkeypatch.setattr(engine, "BUDGET", 400)  # words in more than a few hundred documents are broad
    monkeypatch.setattr(engine, "SEEK_MAX", 0)  # the studies that require a marker are tested in one pass
    store._engine = engine.SearchEngine(store.conn, store.disease_tree)
    return store


@pytest.mark.parametrize(("text", "fits"), [("braf v600e thyroid", "BRAF"), ("BRAFV600E thyroid", "BRAF"),
                                           ("thyroid after lenvatinib", "vegfr-mki")])
def test_bounded_search_still_puts_the_studies_that_fit_first(bounded: Store, records: dict[str, Record],
                                                              text: str, fits: str) -> None:
    found = [h for h in bounded.search(text, 120) if h.kind == "study"]
    assert found and found[0].population == "fits"
    order = [h.population for h in found]
    assert order == sorted(order, key=["fits", "not stated", "excluded"].index)
    for h in found:
        study = records[h.ref]
        said = (requires_marker(study, {"braf-v600e", "braf-mutation"}) if fits == "BRAF"
                else prior_fit(study, {fits}) == "fits")
        assert said == (h.population == "fits"), h.ref
