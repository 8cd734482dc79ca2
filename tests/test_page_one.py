"""Page 1 of the standard handouts: the right lead study, one answer per question on every page, and
the key to its marks on page 1 itself (issue 'Page one, round three', points 1-3)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.compare.model import ENTRY, NOTE, SETTING
from db.compare.summaries import build_comparison, regimens
from db.presentation.evidence import TESTED_ROLES
from db.store import Store, lead_study
from tests.standard_handouts import HANDOUTS, pages, write


@pytest.fixture(scope="module")
def written(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, tuple[Any, list[str]]]]:
    """The eight standard handouts, written once: each one's comparison and its pages' text."""
    folder = tmp_path_factory.mktemp("standard")
    s = Store(built_db)
    out = {}
    for n in HANDOUTS:
        c, path = write(s, n, folder)
        out[n] = (c, pages(path))
    yield out
    s.close()


# -- 1. one lead-study rule ------------------------------------------------------------------------

def test_octreotide_lar_in_midgut_net_leads_with_promid_not_the_trial_where_it_was_the_control(written) -> None:  # type: ignore[no-untyped-def]
    c, text = written[8]
    first = text[0]
    assert "PROMIDᴿ: randomised phase 3" in first
    assert "14.3 months vs 6.0 months (Placebo)" in first and "0.34 (p=0.000072) vs Placebo" in first
    assert "8.4 months vs NR" not in first and "HR not reported" not in first
    studies = c.columns[0].study_ids
    assert studies[0] == "rinke-octreotide" and "strosberg-lutetium-dotatate" not in studies
    assert c.columns[0].where == "Neuroendocrine tumour"  # PROMID's setting as printed: NETs, not midgut NET


def test_no_therapy_leads_with_or_draws_on_a_study_where_it_is_only_the_control_arm(store: Store) -> None:
    checked = 0
    for r in regimens(store):
        for disease in ("pnet", "midgut-net", "lung-net", "rair-dtc", "mtc"):
            column = build_comparison(store, disease, [r.key], topics=["studies"]).columns[0]
            for sid in column.study_ids:
                study = store.study(sid)
                assert study is not None
                roles = {a["role"] for a in study["arms"] if a["regimen_key"] == r.key}
                assert roles & TESTED_ROLES, (r.key, disease, sid, roles)
                checked += 1
    assert checked > 200


def test_a_drug_hit_opens_the_study_that_tests_it(store: Store) -> None:
    assert lead_study(store, drug="octreotide") == "rinke-octreotide"
    assert lead_study(store, drug="octreotide", disease="midgut-net") == "rinke-octreotide"
    assert lead_study(store, drug="bevacizumab") is not None  # only in combinations: the best one that tests it
    assert lead_study(store, drug="placebo") is None


def test_no_chart_draws_a_study_twice_and_the_arm_under_test_comes_from_its_role(written) -> None:  # type: ignore[no-untyped-def]
    for n, (c, _text) in written.items():
        studies = [b.group.split(" (")[0] for b in c.pfs_bars]  # "RADIANT-1 (pancreatic NET)": RADIANT-1
        seen = [(study, b.label, b.text) for study, b in zip(studies, c.pfs_bars, strict=True)]
        assert len(seen) == len(set(seen)), n
        assert studies == sorted(studies, key=studies.index), n  # each study's bars together, once
    c, _text = written[8]  # NETTER-1 tests 177Lu-Dotatate; octreotide LAR, also chosen, is only its control
    netter = [(b.label, b.control, c.columns[b.column].label) for b in c.pfs_bars if b.group.startswith("NETTER-1")]
    assert netter == [("177Lu-Dotatate", False, "177Lu-Dotatate"), ("Octreotide LAR 60 mg", True, "177Lu-Dotatate")]
    c, _text = written[7]
    radiant2 = [b for b in c.pfs_bars if b.group.startswith("RADIANT-2")]
    assert {(b.label, b.control) for b in radiant2} == {("Everolimus + Octreotide LAR", False),
                                                        ("Placebo + octreotide LAR 30 mg every 28 days", True)}


# -- 2. one answer per question ----------------------------------------------------------------------

HEAD = re.compile(r"([A-Z][\w\-ᴿ]*(?: [\w\-ᴿ.]+){0,3}): "
                  r"((?:randomised |other |single-arm |non-randomised )?phase [\w\-]+|observational|design not stated)"
                  r"[^,]*, (n[=\s][^\[]*?)\s*\[")


def test_every_page_gives_a_study_one_design_and_one_n(written) -> None:  # type: ignore[no-untyped-def]
    for n, (_c, text) in written.items():
        said: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for page in text:
            for name, design, size in HEAD.findall(page):
                said[name].add((design, size))
        assert said, n
        assert {k: v for k, v in said.items() if len(v) > 1} == {}, n


def test_every_page_gives_an_arm_one_dose(written) -> None:  # type: ignore[no-untyped-def]
    for n, (c, text) in written.items():
        drugs = {d for col in c.columns for d in col.label.split(" + ")}
        said: dict[tuple[str, str], set[str]] = defaultdict(set)
        pattern = re.compile(r"([A-Z][\w\-ᴿ]*): ((" + "|".join(map(re.escape, drugs)) + r")[^\[]*?)\s*\[")
        for page in text:
            for name, dose, drug in pattern.findall(page):
                said[(name, drug)].add(dose)  # LUNA: one dose of everolimus, one of pasireotide
        assert {k: v for k, v in said.items() if len(v) > 1} == {}, n


def test_page_one_and_the_detail_state_the_same_approvals_for_the_setting(store: Store, written) -> None:  # type: ignore[no-untyped-def]
    """From the drug records themselves: every approval for the chosen disease, a subtype or a parent is
    on page 1 and in the detail; page 1 says 'none stated' only for a therapy that has none."""
    tree = store.disease_tree
    drugs = {d["id"]: d for d in store.drugs()}
    for n, (c, text) in written.items():
        related = tree.below(c.disease_id) | tree.above(c.disease_id)
        rest = " ".join(text[1:])
        none = 0
        for col in c.columns:
            found = [a for d in col.drug_ids for a in drugs[d]["approvals"] if set(a["diseases"]) & related]
            none += not found
            for a in found:
                words = " ".join(a["indication"].split())[:40]
                assert words in text[0] and words in rest, (n, col.label, words)
        assert text[0].count("none stated in the sources for this setting") == none, n


# -- 3. the key on page 1 -------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 6])
def test_page_one_carries_the_key_and_every_page_one_mark_in_short(written, n: int) -> None:  # type: ignore[no-untyped-def]
    c, text = written[n]
    first = text[0]
    assert "Key: ⚠ the sources disagree or are unclear; † a caveat" in first and "[n: place]" in first
    if "ᴿ" in first:
        assert "ᴿ acronym from the trial registry" in first
    marks = c.page_one_caveats
    assert marks, n
    for mark, caveat in marks:
        assert mark in first
        assert f"{mark} {caveat.short.rstrip('…')}" in first, (n, mark)
    used = set(re.findall(r"[⚠†]\d+", " ".join(first.split("Marks on this page")[:1])))
    assert used <= {m for m, _ in marks}, n  # every mark the page-1 table uses is spelled out on page 1


def test_a_study_that_tests_two_chosen_therapies_is_drawn_once_in_both_colours(store: Store) -> None:
    """Bauman 2022 leads both everolimus and pasireotide in RAI-refractory DTC: drawn once, each arm in its
    therapy's colour, the combination arm (not chosen) hatched; page 1 draws only the lead studies."""
    c = build_comparison(store, "rair-dtc", ["everolimus", "pasireotide"])
    assert [(b.column, b.control) for b in c.pfs_bars] == [(0, False), (1, False), (0, True)]
    assert {b.group for b in c.pfs_bars} == {"Bauman 2022"}


# -- 4. who was treated and whether the study met its aim, on page 1 --------------------------------

def test_page_one_says_whom_the_lead_studies_treated_and_whether_they_met_their_aim(written) -> None:  # type: ignore[no-untyped-def]
    _c, text = written[7]
    first = text[0]
    assert "0.77 (p=0.026)†" in first and "primary end point not met (boundary p ≤ 0.0246 as printed)" in first
    assert "0.64 (p=0.037)†" in first and "not significant: boundary 0.0002 as printed (interim)" in first
    assert "Primary end point (PFS): not met" in first
    assert "nonfunctional" in first  # RADIANT-4's patients
    assert "single-arm" not in first  # LUNA had three arms
    _c, text = written[5]
    first = text[0]
    assert "after up to two earlier VEGFR-targeted therapies" in first  # COSMIC-311
    assert "primary end point met at an interim analysis" in first  # beside its HR
    assert "OS: no OS improvement shown" in first and "OS not reported" in first  # DECISION in words; COSMIC none


def test_two_reported_terms_of_one_ctcae_term_are_told_apart_and_page_one_uses_short_forms(written) -> None:  # type: ignore[no-untyped-def]
    _c, text = written[6]
    first = text[0]
    assert "Fatigue (reported: Asthenia) 7%" in first and "Fatigue, Fatigue" not in first  # vandetanib
    for n, (_c, pages_) in written.items():
        assert "Other, specify" not in pages_[0], n
        assert "Electrocardiogram QT corrected interval prolonged" not in pages_[0], n


# -- 5. every figure on page 1 with its citation ------------------------------------------------------

HR_CHART = "Hazard ratio for PFS of each lead study"
PFS_CHART = "Median progression-free survival per arm of the lead studies"


def test_every_figure_on_page_one_carries_its_citation(store: Store, written) -> None:  # type: ignore[no-untyped-def]
    """Each cited item of the page-1 table is printed with '[n: place]' right after it, n the reference its
    source has in the References at the end; every bar of the two lead-study charts is cited under its chart.
    Only the dataset's own entries and what the sources lack ('OS not reported') go uncited."""
    sources = {s["id"]: s for s in store.sources()}
    for n, (c, text) in written.items():
        first = text[0]
        body = first.partition(HR_CHART)[0]
        references = " ".join(text[-1].split("References", 1)[-1].split())
        cited = 0
        for row in c.summary:
            for items in row.cells:
                for item in items:
                    if item.source_id is None:
                        assert item.kind in (NOTE, ENTRY, SETTING), (n, row.topic, item.text)
                        continue
                    number = c.number(item.source_id)
                    assert number is not None and item.locator, (n, row.topic, item.text)
                    shown = " ".join(item.text.split())
                    assert f"{shown} [{number}: {item.locator}]" in body, (n, row.topic, shown)
                    citation = " ".join(sources[item.source_id]["citation"].split())
                    assert f"{number}. {citation}" in references, (n, item.source_id)
                    cited += 1
        assert cited >= 2 * len(c.columns), n  # at least the lead study and its dose, for each therapy
        for title, bars in ((HR_CHART, c.hr_bars), (PFS_CHART, c.pfs_bars)):
            page = next((p for p in text if title in p), None)
            assert page is not None, (n, title)  # page 1, or page 2 when the table fills page 1 (handouts 3 and 6)
            caption = page.split(title, 1)[1].split(PFS_CHART)[0].split(" Detail ")[0].split("Sources: ", 1)[1]
            drawn = [b for b in bars if b.source_id]
            assert drawn, (n, title)
            for b in drawn:
                assert f"[{c.number(b.source_id)}: {b.locator}]" in caption, (n, b.group, b.label)
