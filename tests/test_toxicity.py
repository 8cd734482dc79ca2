"""The Toxicity view's data, without Qt: figures as printed, absent never 0, both high-grade bands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.building.build import build
from db.store import Store
from db.toxicity.plan import plan_chart
from db.toxicity.table import (
    filter_rows,
    therapies,
    therapies_with_drug,
    therapy_of_arm,
    toxicity_rows,
)
from tests.samples import SILENT

TESTINIB = ("id: testinib\nname: Testinib\nclass: Multikinase inhibitor\nclasses: [vegfr-mki]\ntargets: [VEGFR]\n"
            "route: oral\n")
OCTREOTIDE = "id: octreotide\nname: Octreotide LAR\nclass: Somatostatin analogue\nclasses: [ssa]\ntargets: [SSTR2]\n"
HYPERTENSION = "id: hypertension\nname: Hypertension\nsynonyms: [high blood pressure, HTN]\n"

TRIAL_A = """\
id: trial-a
acronym: TRIAL-A
title: Testinib against placebo
phase: "3"
kind: trial, design not stated
status: completed
diseases: [pnet]
source: cmr2017
at: Table 5
@SILENT@arms:
  - id: testinib
    label: Testinib 24 mg
    role: experimental
    regimen:
      - {drug: testinib, dose: 24 mg}
    adverse_events:
      - {term: High blood pressure, ae: hypertension, all_grade: "68", grade_3_plus: "42", note: As printed,
         preferred: the fuller table}
      - {term: Mucositis, ae: stomatitis, all_grade: "41"}
      - {term: Hypertension, ae: hypertension, all_grade: "70", grade_3_4: "40", at: Table 3}
  - id: placebo
    label: Placebo
    role: control
    regimen:
      - {drug: placebo}
    adverse_events:
      - {term: Hypertension, ae: hypertension, all_grade: "9", grade_3_4: "2"}
""".replace("@SILENT@", SILENT)

TRIAL_B = """\
id: trial-b
first_author: Doe
year: "2020"
title: Everolimus alone or with octreotide
phase: "2"
kind: trial, design not stated
status: completed
diseases: [pnet]
source: cmr2017
at: Table 4
@SILENT@arms:
  - id: eve
    label: Everolimus 10 mg
    role: experimental
    regimen:
      - {drug: everolimus, dose: 10 mg}
    adverse_events:
      - {term: Stomatitis, ae: stomatitis, all_grade: "64", grade_3_4: "<1"}
      - {term: Hypertension, ae: hypertension, grade_3_4: "0"}
  - id: combo
    label: Everolimus + octreotide
    role: experimental
    regimen:
      - {drug: everolimus, dose: 10 mg}
      - {drug: octreotide, dose: 30 mg}
    adverse_events:
      - {term: Stomatitis, ae: stomatitis, all_grade: "NR", grade_3_plus: "9"}
""".replace("@SILENT@", SILENT)


@pytest.fixture
def tox_store(mini_seeds: Path, tmp_path: Path) -> Iterator[Store]:
    (mini_seeds / "drugs" / "testinib.yaml").write_text(TESTINIB, encoding="utf-8")
    (mini_seeds / "drugs" / "octreotide.yaml").write_text(OCTREOTIDE, encoding="utf-8")
    (mini_seeds / "adverse_events" / "hypertension.yaml").write_text(HYPERTENSION, encoding="utf-8")
    (mini_seeds / "studies" / "trial-a.yaml").write_text(TRIAL_A, encoding="utf-8")
    (mini_seeds / "studies" / "trial-b.yaml").write_text(TRIAL_B, encoding="utf-8")
    build(mini_seeds, tmp_path / "tox.sqlite3")
    store = Store(tmp_path / "tox.sqlite3")
    yield store
    store.close()


def test_therapies_are_regimens_with_figures_and_never_placebo(tox_store: Store) -> None:
    found = {t.key: t for t in therapies(tox_store)}
    assert sorted(found) == ["everolimus", "everolimus+octreotide", "testinib"]
    assert found["everolimus+octreotide"].label == "Everolimus + Octreotide LAR"
    assert found["everolimus+octreotide"].drug_ids == ("everolimus", "octreotide")
    assert (found["testinib"].studies, found["testinib"].arms, found["testinib"].figures) == (1, 1, 3)
    assert [t.label for t in therapies(tox_store)] == ["Everolimus", "Everolimus + Octreotide LAR", "Testinib"]


def test_rows_keep_printed_values_absent_as_none_and_both_bands(tox_store: Store) -> None:
    rows = toxicity_rows(tox_store, ["testinib", "everolimus"])
    by = {(r.study_id, r.arm_key, r.ae_id, r.locator): r for r in rows}
    high = by[("trial-a", "testinib", "hypertension", "Table 5")]
    assert (high.ae_name, high.term, high.therapy_label, high.study_name) == (
        "Hypertension", "High blood pressure", "Testinib", "TRIAL-A")
    assert high.all_grade is not None and (high.all_grade.text, high.all_grade.value) == ("68", 68.0)
    assert high.high_grade is not None and high.high_grade.text == "42"
    assert (high.band, high.band_text, high.high_text) == (">=3", "≥3", "42% (≥3)")
    assert (high.cite, high.note, high.ref) == ("Cancer Manag Res 2017, Table 5", "As printed",
                                                 "trial-a/testinib/hypertension")
    assert by[("trial-a", "testinib", "hypertension", "Table 3")].high_text == "40% (3–4)"
    mucositis = by[("trial-a", "testinib", "stomatitis", "Table 5")]
    assert mucositis.high_grade is None and mucositis.high_text == "not reported"  # not reported, not 0
    no_all = by[("trial-b", "eve", "hypertension", "Table 4")]
    assert no_all.all_grade is None and no_all.all_text == "not reported"
    assert no_all.high_grade is not None and (no_all.high_grade.text, no_all.high_grade.value) == ("0", 0.0)
    below = by[("trial-b", "eve", "stomatitis", "Table 4")]
    assert below.high_grade is not None and (below.high_grade.text, below.high_grade.value,
                                             below.high_grade.qualifier) == ("<1", 1.0, "<")
    assert all(r.therapy_key != "placebo" for r in rows)
    assert "everolimus+octreotide" not in {r.therapy_key for r in rows}


def test_rows_are_ordered_by_event_then_chosen_therapy(tox_store: Store) -> None:
    rows = toxicity_rows(tox_store, ["testinib", "everolimus"])
    assert [(r.ae_name, r.therapy_key) for r in rows] == [
        ("Hypertension", "testinib"), ("Hypertension", "testinib"), ("Hypertension", "everolimus"),
        ("Stomatitis", "testinib"), ("Stomatitis", "everolimus")]
    assert toxicity_rows(tox_store, []) == []


def test_a_figure_without_a_number_keeps_its_text(tox_store: Store) -> None:
    (row,) = toxicity_rows(tox_store, ["everolimus+octreotide"])
    assert row.all_grade is not None and (row.all_grade.text, row.all_grade.value) == ("NR", None)
    assert row.all_grade.qualifier == "not reached"
    assert row.high_text == "9% (≥3)"


def test_filter_matches_names_terms_and_synonyms(tox_store: Store) -> None:
    rows = toxicity_rows(tox_store, ["testinib", "everolimus"])
    assert {r.ae_id for r in filter_rows(rows, "htn")} == {"hypertension"}
    assert {r.ae_id for r in filter_rows(rows, "MUCOS")} == {"stomatitis"}
    assert filter_rows(rows, "  ") == rows
    assert filter_rows(rows, "zzz") == []


def test_drug_and_arm_lookups(tox_store: Store) -> None:
    assert therapies_with_drug(tox_store, "everolimus") == ["everolimus", "everolimus+octreotide"]
    assert therapies_with_drug(tox_store, "placebo") == []
    assert therapy_of_arm(tox_store, "trial-b", "combo") == "everolimus+octreotide"
    assert therapy_of_arm(tox_store, "trial-b", "nope") is None


def test_chart_plan_ranks_events_and_never_draws_a_missing_figure(tox_store: Store) -> None:
    rows = toxicity_rows(tox_store, ["testinib", "everolimus"])
    plan = plan_chart(rows, ["testinib", "everolimus"], top_n=1)
    (group,) = plan.groups
    assert group.ae_name == "Hypertension"  # 70 beats stomatitis' 64
    assert [(b.label, b.value_text) for b in group.bars] == [
        ("Testinib · TRIAL-A", "68% / 42% (≥3)"), ("Everolimus · Doe 2020", "not reported / 0% (3–4)")]
    assert plan.repeated == 1 and plan.hidden_events == 1
    assert plan.sources == ("Cancer Manag Res 2017 (Table 5, Table 4)",)
    lines = plan.caption_lines("2026.12.1")
    assert lines[0] == "Sources: Cancer Manag Res 2017 (Table 5, Table 4)"
    assert lines[-1].startswith("Dataset 2026.12.1")


def test_chart_plan_names_a_therapy_without_the_event(tox_store: Store) -> None:
    rows = filter_rows(toxicity_rows(tox_store, ["everolimus", "everolimus+octreotide"]), "hyper")
    plan = plan_chart(rows, ["everolimus", "everolimus+octreotide"],
                      labels={"everolimus+octreotide": "Everolimus + Octreotide LAR"})
    assert [(b.row is None, b.label, b.value_text) for b in plan.groups[0].bars] == [
        (False, "Everolimus · Doe 2020", "not reported / 0% (3–4)"),
        (True, "Everolimus + Octreotide LAR", "not reported")]


def test_bundled_dataset_has_the_therapies_the_tab_offers(store: Store) -> None:
    keys = {t.key for t in therapies(store)}
    assert {"everolimus", "lenvatinib", "sorafenib"} <= keys
    assert "placebo" not in keys
    rows = toxicity_rows(store, ["lenvatinib"])
    assert rows and all(r.therapy_key == "lenvatinib" for r in rows)
    assert all(r.all_grade is None or r.all_grade.text for r in rows)
