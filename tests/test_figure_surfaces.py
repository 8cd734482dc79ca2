"""What a user reads of a figure on the surfaces that print it: the CSV export's columns, the search
snippets, the Compare cells, the order studies are ranked in, and what `tumorboard check` says of a count.

Each test was first run against a one-line break of the code it guards (issue 22's mutations) and failed.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from db.building.build import build
from db.compare.summaries import build_comparison
from db.dataset.vocab import MEASURES
from db.export import export_csv
from db.presentation import present
from db.presentation.evidence import design_text
from db.releases.serve import serving_rows
from db.store import Store
from tests.samples import STUDY, write_study


def _csv(store: Store) -> list[dict[str, str]]:
    out = io.StringIO()
    export_csv(store, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _sample_csv(seeds: Path, tmp_path: Path, text: str) -> list[dict[str, str]]:
    write_study(seeds, text)
    build(seeds, tmp_path / "dataset.sqlite3")
    store = Store(tmp_path / "dataset.sqlite3")
    try:
        return _csv(store)
    finally:
        store.close()


# -- the CSV export --------------------------------------------------------------------------------

def test_the_csv_display_keeps_the_count_and_whom_it_counts(store: Store) -> None:
    """KEYNOTE-028's stable disease by histology: 57% is 4 of 7 patients of the follicular subgroup
    (seeds/studies/keynote-028.yaml); the display says so, as it does for every figure with a count."""
    rows = [r for r in _csv(store) if r["kind"] == "outcome" and r["count"]]
    assert len(rows) >= 20
    for r in rows:
        part = f"{r['count']}/{r['of']}" if r["of"] else f"{r['count']} patients"
        assert part in r["display"], (r["figure_id"], r["display"])
    follicular = next(r for r in rows if r["study_id"] == "keynote-028" and "follicular" in r["subgroup"])
    assert follicular["display"] == "57% (4/7 in the subgroup)"


def test_the_csv_unit_column_says_percent_for_every_rate(store: Store) -> None:
    rows = _csv(store)
    rates = [r for r in rows if r["kind"] == "adverse_event"
             or (r["kind"] in ("outcome", "comparison") and MEASURES[r["measure"]].kind == "percent")]
    assert len(rates) > 200
    assert {r["unit"] for r in rates} == {"%"}
    stomatitis = {r["measure"]: r["unit"] for r in rows if r["study_id"] == "radiant-3" and r["term"] == "Stomatitis"}
    assert stomatitis == {"ae_all_grade": "%", "ae_grade_3_4": "%"}
    radiant = next(r for r in rows if r["figure_id"] == "radiant-3/everolimus/pfs_median")
    assert (radiant["value"], radiant["unit"]) == ("11.4", "months")


def test_a_range_is_called_a_range_never_a_confidence_interval(mini_seeds: Path, tmp_path: Path) -> None:
    """docs/seed-format.md: `ci_level: range` is a range, not a confidence interval."""
    old = '{measure: pfs_median, value: "11.4", unit: months}'
    assert old in STUDY
    rows = _sample_csv(mini_seeds, tmp_path, STUDY.replace(
        old, '{measure: pfs_median, value: "11.4", unit: months, ci: ["2.1", "30"], ci_level: range}'))
    pfs = next(r for r in rows if r["measure"] == "pfs_median")
    assert (pfs["ci_low"], pfs["ci_high"], pfs["ci_level"]) == ("2.1", "30", "range")
    assert pfs["display"] == "11.4 months (range 2.1–30)"
    assert "CI" not in pfs["display"]


def test_a_note_on_a_hazard_ratio_marks_it_by_its_arms_in_order(mini_seeds: Path, tmp_path: Path) -> None:
    """A comparison's figure id names its arm, then the arm it is compared with: `drug-vs-control/pfs_hr`
    (db/dataset/readings.py). A note that names it so marks the hazard ratio; the id says which way round."""
    text = STUDY.replace("comparisons:", "notes:\n  - {kind: ambiguity, text: Which arm is which is unclear.,"
                                         " figures: [drug-vs-control/pfs_hr]}\ncomparisons:")
    rows = _sample_csv(mini_seeds, tmp_path, text)
    hr = next(r for r in rows if r["kind"] == "comparison")
    assert (hr["arm"], hr["vs_arm"]) == ("drug", "control")
    assert hr["figure_id"] == "test-study/drug-vs-control/pfs_hr"
    assert hr["marks"] == present.ALERT and hr["display"].startswith(f"0.34 (p <0.0001){present.ALERT}")
    assert "Which arm is which is unclear." in hr["caveats"]


# -- tumorboard check -------------------------------------------------------------------------------

def _check(seeds: Path) -> str:
    return subprocess.run([sys.executable, "-m", "tumorboard", "check", "--seeds", str(seeds)],
                          capture_output=True, text=True).stderr


def test_check_allows_half_a_printed_unit_between_a_percentage_and_its_count(mini_seeds: Path) -> None:
    """21 of 50 is 42.0%: printed as 42 it fits, as 41 it cannot come from those numbers. 1 of 8 is 12.5%:
    printed as 13 or 12 it fits (either rounding), as 11 it does not. 42.4 is not 42.0 to one decimal."""
    arm_n = '    role: experimental\n    n: {value: "N", scope: arm}\n'
    for count, n, printed, fits in (("21", "50", "42", True), ("21", "50", "41", False), ("21", "50", "43", False),
                                    ("1", "8", "13", True), ("1", "8", "12", True), ("1", "8", "11", False),
                                    ("21", "50", "42.4", False), ("21", "50", "42.0", True)):
        study = STUDY.replace('      - {measure: orr, value: "40"}',
                              f'      - {{measure: orr, value: "{printed}", count: "{count}"}}')
        write_study(mini_seeds, study.replace("    role: experimental\n", arm_n.replace("N", n), 1))
        said = _check(mini_seeds)
        assert ("does not fit" not in said) == fits, (count, n, printed, said)


# -- search snippets --------------------------------------------------------------------------------

def test_a_study_snippet_gives_each_arm_its_preferred_median_pfs_once(store: Store) -> None:
    """DECISION's sorafenib arm has two printed medians, 10.8 months (preferred) and 12.2 (Table 1): its
    hit shows 10.8 with its mark against placebo's 5.8, never 12.2; every study hit shows the preferred
    whole-arm median of each arm, and only those."""
    [hit] = [h for h in store.search("DECISION sorafenib", 10) if h.kind == "study" and h.ref == "decision"]
    assert "median PFS 10.8 months⚠ vs 5.8 months" in hit.snippet and "12.2" not in hit.snippet
    snippets = dict(store.conn.execute("SELECT ref, snippet FROM search_docs WHERE kind = 'study'").fetchall())
    checked = 0
    for s in store.studies():
        medians = [present.text(present.reading(o), "value") for a in s["arms"]
                   if (o := present.main(a["outcomes"], "pfs_median"))]
        said = re.search(r"median PFS (.*?)(?: · |$)", snippets[s["id"]])
        assert (said.group(1).split(" vs ") if said else []) == medians, (s["id"], snippets[s["id"]])
        checked += bool(medians)
    assert checked > 40


# -- Compare: adverse events ------------------------------------------------------------------------

def test_compare_and_page_one_show_the_preferred_reading_of_an_adverse_event_once(store: Store) -> None:
    """DECISION prints hand-foot skin reaction twice (seeds/studies/decision.yaml: Table 1's 76% any grade and
    20% grade ≥3, preferred; Table 2's HFS 73.6% and 20.3% grade 3–4); SELECT prints hypertension in Table 1
    (68%, 42% grade ≥3, preferred) and again in Table 3 (grade 3–4). Compare and the handout's page 1, detail
    and chart show each arm's event once, from the preferred reading."""
    others = {(s["id"], ae["ae_id"]): (ae["all_text"], ae["high_text"], ae["high_band"])
              for s in store.studies() for a in s["arms"] for ae in a["adverse_events"] if not ae["preferred"]}
    assert others == {("decision", "ppe"): ("73.6", "20.3", "3-4"), ("select", "hypertension"): ("68", "42", "3-4")}
    c = build_comparison(store, "rair-dtc", ["sorafenib", "lenvatinib"])
    any_grade, high = (c.cell_text(c.topics.index(t), col) for t, col in (("ae_any", 0), ("ae_high", 0)))
    assert "76%⚠" in any_grade and "73.6%" not in any_grade
    assert "DECISION (grade ≥3): " in high and "20%⚠" in high and "20.3%" not in high
    assert "20.3%" not in c.summary_text("ae_high", 0)
    ppe = [b.text for b in c.ae_bars if b.label.startswith("Sorafenib") and b.group.startswith("Palmar")]
    assert len(ppe) == 1 and ppe[0].startswith("20% (≥3)")
    any_grade, high = (c.cell_text(c.topics.index(t), 1) for t in ("ae_any", "ae_high"))
    assert any_grade.count("Hypertension 68%") == 1 and high.count("Hypertension 42%") == 1
    assert "SELECT (grade ≥3): " in high and "SELECT (grade 3–4)" not in high
    assert c.summary_text("ae_high", 1).count("Hypertension 42%") == 1


# -- the evidence order -----------------------------------------------------------------------------

PHASE_3 = ("3", "2-3", "4")


def test_randomised_phase_3_trials_rank_before_phase_3_studies_not_said_to_be_randomised(store: Store) -> None:
    """db/presentation/evidence.py step 2: a randomised phase 3 trial before another phase 3 study, as the
    design text shows it. COSMIC-311 and SEQTOR ('trial, design not stated'), and DECISION and SELECT (the
    review gives no allocation), are phase 3 studies the served dataset lists after every phase 3 trial whose
    shown design says randomised, and never calls randomised."""
    served = serving_rows(store, "")
    shown = {r["id"]: r["design"] for r in served["studies"]}
    phase_3 = {s["id"] for s in store.studies() if s["phase"] in PHASE_3}
    order = [r["id"] for r in served["studies"] if r["id"] in phase_3]
    randomised = [order.index(i) for i in order if shown[i].startswith("randomised")]
    other = [order.index(i) for i in order if not shown[i].startswith("randomised")]
    assert len(randomised) >= 8 and {"cosmic-311", "seqtor", "decision", "select"} <= {order[i] for i in other}
    assert max(randomised) < min(other)
    for r in served["disease_studies"]:
        if r["study_id"] in ("cosmic-311", "seqtor", "decision", "select"):
            assert "randomised" not in r["design"], r
    for r in served["studies"]:
        if r["id"] in ("cosmic-311", "seqtor", "decision", "select"):
            assert "randomised" not in r["design"] and r["design"] == design_text(store.study(r["id"]) or {}), r


# -- Compare and the handout: marks of the other arm ------------------------------------------------

def test_the_control_arms_caveat_is_explained_where_its_figure_is_cited_apart(mini_seeds: Path,
                                                                                tmp_path: Path) -> None:
    """The placebo arm's response rate is read from another place than the therapy's (a figure, not Table 4)
    and carries a caveat: its own cited item in Compare keeps the mark, and the handout spells the mark out.
    (No chart draws a response rate, so the mark has no other way onto the page.)"""
    from handout.document import write_handout
    from tests.standard_handouts import pages

    control = "    role: control\n"
    assert control in STUDY
    write_study(mini_seeds, STUDY.replace(control, control + "    outcomes:\n      - {measure: orr, value: \"2\","
                                          " at: Figure 2, caveat: Read from the bar chart}\n"))
    build(mini_seeds, tmp_path / "dataset.sqlite3")
    store = Store(tmp_path / "dataset.sqlite3")
    try:
        c = build_comparison(store, "pnet", ["everolimus"])
        out = write_handout(store, c, tmp_path / "h.pdf")
    finally:
        store.close()
    cell = c.cell_text(c.topics.index("studies"), 0)
    assert "ORR 40% [1: Table 4]\nvs 2%†1 (Placebo) [1: Figure 2]" in cell
    assert [(m, k.text) for m, k in c.caveats] == [("†1", "Read from the bar chart")]
    text = " ".join(pages(out))
    assert "vs 2%†1 (Placebo) [1: Figure 2]" in text
    assert "†1 Caveat: Read from the bar chart [1: Figure 2]" in text


OBSERVATIONAL = ("real-world series", "retrospective series", "compassionate use", "expanded access")


def _documented_design(phase: str, kind: str) -> int | None:
    """Step 2 of db/presentation/evidence.py's order as its docstring words it; None where it is silent."""
    randomised = kind == "randomized trial"
    if kind in OBSERVATIONAL or phase == "observational":
        return 5
    if phase in PHASE_3:
        return 0 if randomised else 1
    if phase in ("2", "1-2", "1b-2"):
        return 2 if randomised else 3
    if phase in ("1", "1b"):
        return 4
    return 6 if phase == "not stated" and not randomised else None


def test_the_served_evidence_order_follows_design_then_n_then_year(store: Store) -> None:
    """Without a setting the order is design (randomised phase 3 … observational), then the larger n as
    printed (enrolled), then the more recent year: the order the served dataset and the Trials tab list."""
    studies = {s["id"]: s for s in store.studies()}
    order = [studies[r["id"]] for r in serving_rows(store, "")["studies"]]
    keys = [(_documented_design(s["phase"], s["kind"]), s) for s in order]
    ranked = [(d, s) for d, s in keys if d is not None]
    assert len(ranked) > 60 and {d for d, _s in ranked} == {0, 1, 2, 3, 4, 5, 6}
    designs = [d for d, _s in ranked]
    assert designs == sorted(designs)
    pairs = 0
    for (d1, a), (d2, b) in pairwise(ranked):
        if d1 == d2 and a["enrolled"] is not None and b["enrolled"] is not None:
            assert a["enrolled"] >= b["enrolled"], (a["id"], b["id"])
            if a["enrolled"] == b["enrolled"] and a["year"] and b["year"]:
                assert int(a["year"]) >= int(b["year"]), (a["id"], b["id"])
            pairs += 1
    assert pairs > 20


# -- Compare: what a therapy's cells say of itself -----------------------------------------------------

def test_a_missing_row_says_it_is_not_reported_here_and_where_the_dataset_gives_it(store: Store) -> None:
    """Sunitinib's pancreatic NET studies (Raymond; a real-world series) print no adverse-event figures;
    its thyroid phase 2 study does: the rows say both, never an empty cell or a 0."""
    from db.presentation.identifiers import short_name

    c = build_comparison(store, "pnet", ["sunitinib"])
    tested = [s for s in store.studies() if any(a["regimen_key"] == "sunitinib" and a["role"] != "control"
                                                for a in s["arms"])]
    here = [s for s in tested if "pnet" in s["diseases"]]
    elsewhere = [s for s in tested if s not in here and any(a["adverse_events"] for a in s["arms"])]
    assert here and not any(a["adverse_events"] for s in here for a in s["arms"]) and len(elsewhere) == 1
    for topic, what in (("ae_any", "adverse-event figures"), ("ae_high", "grade ≥3 figures"),
                        ("withdrawal", "withdrawal for adverse events")):
        assert c.cell_text(c.topics.index(topic), 0) == (
            f"{what}: not reported in the pancreatic NET studies of this dataset; given in: {short_name(elsewhere[0])}")


def test_a_combinations_cells_name_the_drug_of_each_fact_and_a_single_drugs_do_not(store: Store) -> None:
    c = build_comparison(store, "lung-net", ["everolimus + octreotide LAR", "everolimus"])
    names = {d["id"]: d["name"] for d in store.drugs()}
    combination = [names[d] for d in c.columns[0].drug_ids]
    assert combination == ["Everolimus", "Octreotide LAR"]
    for topic in ("class", "monitoring", "approvals"):
        both = c.cell_text(c.topics.index(topic), 0).splitlines()
        alone = c.cell_text(c.topics.index(topic), 1).splitlines()
        assert alone and all(line.split(": ")[0] in combination for line in both), (topic, both)
        assert not any(line.startswith("Everolimus: ") for line in alone), (topic, alone)
        assert all(f"Everolimus: {line}" in both for line in alone), topic


def test_the_served_dataset_gives_a_study_one_design_in_every_table(store: Store) -> None:
    """SELECT's source never says how patients were allocated (tests/test_population.py): no served table may
    call it randomised; each table names a study's design in the studies table's words (design_text)."""
    served = serving_rows(store, "")
    design = {r["id"]: r["design"] for r in served["studies"]}
    assert design["select"] == "phase 3, 2 arms (allocation not stated)"
    for table in ("drug_studies", "disease_studies"):
        rows = served[table]
        assert rows
        assert {r["study_id"]: r["design"] for r in rows} == {r["study_id"]: design[r["study_id"]] for r in rows}, table


def test_the_trials_phase_column_gives_the_design_in_short(store: Store) -> None:
    """The Trials table's Phase column: the phase and the allocation the seed states ('3, rand.'), else the
    number of groups where it tells something ('2, 3 arms'); 'not stated' when neither is known."""
    from db.trials.table import trial_rows

    rows = {r.id: r for r in trial_rows(store)}
    for study_id, short in (("radiant-3", "3, rand."), ("luna", "2, 3 arms"), ("select", "3, 2 arms"),
                            ("vemurafenib-ptc-phase2", "2, non-rand."), ("radiant-1", "2, single-arm"),
                            ("ahmed-2011", "not stated"), ("panzuto-everolimus-cup", "observational")):
        study = store.study(study_id)
        assert study is not None and rows[study_id].design_short == short, (study_id, rows[study_id].design_short)
        assert rows[study_id].design == design_text(study)
    unknown_phase = {"phase": "not stated", "kind": "randomized trial", "design": {"allocation": "randomised"}}
    assert design_text(unknown_phase, short=True) == "rand."
    assert design_text(unknown_phase) == "randomised trial"


def test_a_study_wholly_about_the_chosen_disease_comes_before_a_larger_one_partly_about_it(store: Store) -> None:
    """db/presentation/evidence.py step 4 before step 5: among everolimus's observational studies for GEP-NET,
    the real-world GEP series (44 patients, all its diseases GEP-NETs) and the after-PRRT series (24) come
    before Panzuto (169 patients: pancreatic NET and NET at large), and the NET-only programme (a parent of
    GEP-NET, step 3) comes last, whatever its n."""
    from db.presentation.identifiers import short_name

    c = build_comparison(store, "gep-net", ["everolimus"], topics=["studies"])
    ids = ("everolimus-sunitinib-real-world-gep", "everolimus-after-prrt-series", "panzuto-everolimus-cup",
           "everolimus-expanded-access-qol")
    studies = [store.study(i) or {} for i in ids]
    assert [s["enrolled"] for s in studies] == [44, 24, 169, 246]
    assert [set(s["diseases"]) for s in studies] == [{"gep-net", "pnet", "gi-net"}, {"gep-net"}, {"pnet", "net"},
                                                     {"net"}]
    assert list(c.columns[0].study_ids[3:]) == list(ids)
    rest = c.cell_text(c.topics.index("studies"), 0).splitlines()[-1]
    assert rest == "also in this dataset: " + ", ".join(short_name(s) for s in studies)


def test_each_caveat_in_the_csv_says_what_kind_of_caveat_it_is(store: Store) -> None:
    """'⚠ Sources disagree: …' for a contradiction note, '⚠ Unclear in the source: …' for an ambiguity,
    '† Caveat: …' for a figure's own caveat: the words a reader of the export sees before each caveat."""
    words = {"contradiction": "⚠ Sources disagree: ", "ambiguity": "⚠ Unclear in the source: ", "caveat": "† Caveat: "}
    rows = {r["reading_id"]: r for r in _csv(store) if r["kind"] in ("outcome", "comparison")}
    seen: set[str] = set()
    several = 0
    for s in store.studies():
        for o in [*s["comparisons"], *(o for a in s["arms"] for o in a["outcomes"])]:
            expected = [words[n["kind"]] + n["text"] for n in o["caveats"]]
            expected += [words["caveat"] + o["caveat"]] if o["caveat"] else []
            if expected:
                said = rows[o["reading_id"]]["caveats"]
                assert said == " | ".join(expected), (o["reading_id"], said)
                seen |= {e.split(":")[0] for e in expected}
                several += len(expected) > 1
    assert seen == {w.split(":")[0] for w in words.values()} and several


# -- present.py: the short form of a caveat on page 1 --------------------------------------------------

def test_a_caveats_short_form_is_its_first_sentence_cut_at_a_word() -> None:
    """Page 1 prints each mark's caveat in short, the whole text staying in the Caveats section: RADIANT-3's
    OS hazard ratio caveat reads 'Crossover-adjusted' there (handout 1)."""
    assert present.shorten("Crossover-adjusted; the 6.3-month longer median was not significant") == (
        "Crossover-adjusted")
    assert present.shorten("Adjusted for crossover bias.") == "Adjusted for crossover bias"
    assert present.shorten("Grade not stated. Shown as all grades.") == "Grade not stated"
    assert present.shorten("Table 3 gives 10.8 months (95% CI 9.1–12.7) for the arm.") == (
        "Table 3 gives 10.8 months (95% CI 9.1–12.7) for the arm")  # a decimal point is not a sentence's end
    long = ("The review prints the response rate of the whole cohort, including the patients who had received "
            "two earlier lines, without splitting it")
    short = present.shorten(long)
    assert short == "The review prints the response rate of the whole cohort, including the patients…"
    assert len(short) <= present.SHORT + 1 and long.startswith(short.rstrip("…"))
    whole = ("word " * 16).strip() + "s"  # 80 characters: kept whole
    assert len(whole) == present.SHORT and present.shorten(whole) == whole
    assert present.shorten(whole + "x") == ("word " * 15).strip() + "…"  # 81: cut before the cut word
    assert present.shorten("word " * 15 + "end, tail") == ("word " * 15) + "end…"  # no comma before the '…'
    caveat = present.Caveat("k", "caveat", long)
    assert caveat.short == short and caveat.heading == "Caveat" and caveat.symbol == present.CAVEAT


# -- present.py: time points, interval levels, denominators ---------------------------------------------

def test_a_rate_keeps_its_time_point_in_the_csv_and_on_page_one(store: Store) -> None:
    """LUNA prints no median PFS, only the share progression-free at 9 months (seeds/studies/luna.yaml):
    page 1 says so with the time point; so does every CSV row of a figure read at a time point."""
    rows = [r for r in _csv(store) if r["timepoint"] and r["kind"] != "count"]
    assert len(rows) > 10
    for r in rows:
        assert r["display"].startswith(f"{r['value']}% at {r['timepoint']}"), (r["figure_id"], r["display"])
    c = build_comparison(store, "lung-net", ["pasireotide", "everolimus + pasireotide"])
    assert c.summary_text("pfs", 0) == "progression-free 39% at 9 months (no median printed) [1: Table 3]"
    assert c.summary_text("pfs", 1) == "progression-free 56% at 9 months (no median printed) [1: Table 3]"


def test_an_interval_without_a_stated_level_says_so(store: Store) -> None:
    """Vemurafenib's MKI-naive cohort: median PFS 18.8 months with 14.2–26 in brackets and no level
    (seeds/studies/vemurafenib-ptc-phase2.yaml, `ci_level: not stated`): never called a 95% CI."""
    [row] = [r for r in _csv(store) if r["figure_id"] == "vemurafenib-ptc-phase2/mki-naive/pfs_median"
             and r["preferred"] == "yes"]
    assert row["display"] == "18.8 months (interval 14.2–26, level not stated)"


def test_a_count_whose_denominator_has_no_stated_scope_shows_the_numbers_only(mini_seeds: Path,
                                                                               tmp_path: Path) -> None:
    counted = '{measure: orr, value: "40", count: "20", of: {value: "50", scope: not stated}}'
    rows = _sample_csv(mini_seeds, tmp_path, STUDY.replace('{measure: orr, value: "40"}', counted))
    orr = next(r for r in rows if r["measure"] == "orr")
    assert (orr["count"], orr["of"], orr["of_scope"]) == ("20", "50", "not stated")
    assert orr["display"] == "40% (20/50)"


def test_an_unknown_style_is_refused() -> None:
    r = present.Reading("orr", "ORR", "percent", "40", 40.0)
    assert present.text(r, "value") == "40%"
    with pytest.raises(ValueError, match="unknown style 'wide'"):
        present.text(r, "wide")


def test_the_served_figure_text_lists_every_other_reading_after_the_preferred_one(store: Store) -> None:
    """Apatinib's median PFS is printed twice (seeds/studies/apatinib-dtc-phase2.yaml: the text, preferred,
    and Table 1); DECISION's three times (the text, Table 1 and Table 2). Each other reading follows with its
    place and marks, one or several."""
    figures = {f["figure_id"]: f["text"] for f in serving_rows(store, "")["figures"]}
    assert figures["apatinib-dtc-phase2/apatinib/pfs_median"] == (
        "18.4 months (95% CI 9.2–36.8); other reading: 18.4 months (Table 1)")
    decision = figures["decision/sorafenib/pfs_median"]
    assert decision.startswith("10.8 months⚠; other readings: 12.2 months (Table 1)⚠†; 10.8 months (Table 2)⚠")


def test_the_csv_gives_an_intervals_level_with_the_interval_and_only_then(store: Store) -> None:
    """SELECT's hazard ratio: 0.21 with its 99% interval 0.14–0.31 (tests/test_present.py); a figure printed
    without an interval has no level in the export."""
    rows = [r for r in _csv(store) if r["kind"] in ("outcome", "comparison")]
    with_interval = [r for r in rows if r["ci_low"] or r["ci_high"]]
    assert len(with_interval) >= 8
    assert all(r["ci_level"] for r in with_interval)
    assert not any(r["ci_level"] for r in rows if not (r["ci_low"] or r["ci_high"]))
    select = next(r for r in rows if r["figure_id"] == "select/lenvatinib-vs-placebo/pfs_hr")
    assert (select["ci_low"], select["ci_high"], select["ci_level"]) == ("0.14", "0.31", "99")


def test_the_csv_says_which_reading_of_a_figure_is_preferred_and_why(store: Store) -> None:
    """DECISION's median PFS: the text's 10.8 months is preferred (seeds/studies/decision.yaml: 'text and
    Table 2 agree; Table 1 transposed'); Table 1's 12.2 and Table 2's 10.8 are the other readings."""
    rows = [r for r in _csv(store) if r["figure_id"] == "decision/sorafenib/pfs_median"]
    said = sorted((r["at"], r["value"], r["preferred"], r["why_preferred"]) for r in rows)
    assert said == [("Sorafenib", "10.8", "yes", "text and Table 2 agree; Table 1 transposed"),
                    ("Table 1", "12.2", "no", ""), ("Table 2", "10.8", "no", "")]


def test_the_csv_gives_each_reading_of_an_adverse_event_its_band_ids_and_preference(store: Store) -> None:
    """DECISION's hand–foot skin reaction (seeds/studies/decision.yaml): Table 1's row (76 any grade, 20 at
    grade_3_plus) is preferred, with its reason; Table 2's (73.6, 20.3 at grade_3_4) is the other reading; note
    73 marks both. RADIANT-3's rash at grade 3–4 is printed '<1' (radiant-3.yaml): the qualifier stays apart."""
    rows = [r for r in _csv(store) if r["figure_id"] == "decision/sorafenib/ae/ppe"]
    why = "Table 1 row (the study's main locator); the text gives no figure to choose between the tables"
    said = sorted((r["at"], r["reading_id"], r["measure"], r["label"], r["band"], r["value"], r["number"],
                   r["preferred"], r["why_preferred"], r["marks"]) for r in rows)
    assert said == [
        ("Table 1", "decision/sorafenib/ae/ppe#table-1", "ae_all_grade", "any grade", "all", "76", "76.0", "yes", why,
         "⚠"),
        ("Table 1", "decision/sorafenib/ae/ppe#table-1", "ae_grade_3_plus", "grade ≥3", ">=3", "20", "20.0", "yes",
         why, "⚠"),
        ("Table 2", "decision/sorafenib/ae/ppe#table-2", "ae_all_grade", "any grade", "all", "73.6", "73.6", "no", "",
         "⚠"),
        ("Table 2", "decision/sorafenib/ae/ppe#table-2", "ae_grade_3_4", "grade 3–4", "3-4", "20.3", "20.3", "no", "",
         "⚠")]
    rash = next(r for r in _csv(store) if r["study_id"] == "radiant-3" and r["term"] == "Rash"
                and r["measure"] == "ae_grade_3_4")
    assert (rash["value"], rash["number"], rash["qualifier"], rash["unit"], rash["display"]) == ("<1", "1.0", "<", "%",
                                                                                                  "<1%")


def test_the_csv_cites_each_count_where_it_is_printed(store: Store) -> None:
    """seeds/studies/decision.yaml: n=207 enrolled at the study's Table 1; each arm's n (207, 209) at the text's
    'Sorafenib' section; the ambiguity note naming [enrolled, sorafenib/n] marks those two and not the placebo arm."""
    counts = {(r["arm"], r["measure"]): (r["value"], r["scope"], r["source_id"], r["at"], r["display"])
              for r in _csv(store) if r["study_id"] == "decision" and r["kind"] == "count"}
    assert counts == {("", "enrolled"): ("207", "enrolled", "wjco2022", "Table 1", "n=207 enrolled⚠"),
                      ("sorafenib", "n"): ("207", "arm", "wjco2022", "Sorafenib", "n=207 in this arm⚠"),
                      ("placebo", "n"): ("209", "arm", "wjco2022", "Sorafenib", "n=209 in this arm")}


def test_the_csv_keeps_the_label_a_figure_is_printed_under(store: Store) -> None:
    """decision.yaml gives its dor_median the label 'Median duration of PR' (the review gives the duration of
    partial responses only); a figure without a label of its own takes the measure's name."""
    rows = {r["figure_id"]: r["label"] for r in _csv(store) if r["study_id"] == "decision"}
    assert rows["decision/sorafenib/dor_median"] == "Median duration of PR"
    assert rows["decision/sorafenib/pfs_median"] == MEASURES["pfs_median"].label
