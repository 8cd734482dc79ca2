"""Who each pivotal trial treated, how it was built and whether it met its aim, as a user reads it (Store.study,
db/presentation/who.py, db/presentation/evidence.py `design_text`), pinned against the lines of the source documents
that state it.

Each test names the source lines it rests on (`Lines`) and first checks that those lines still say the key words,
so a pinned value can be traced to the text and a wrong line number fails. The sources live outside the project
(../shared/seeds from the project root); without them these tests fail rather than skip.
"""

from __future__ import annotations

from typing import Any

import pytest

from db.presentation.evidence import design_text
from db.presentation.who import Names, os_statement, primary_text, unstated, verdicts, who, who_text
from db.store import Store
from tests.source_lines import SOURCES, Lines, said

CMR = "002_94f3f8299785c9e0.txt"  # cmr2017: everolimus in NETs (review)
WJCO = "003_af9cea3f3b8f2a8b.txt"  # wjco2022: RAI-refractory thyroid cancer (review)
NOT_STATED = "Primary end point: not stated in the source"

Record = dict[str, Any]


def study(store: Store, study_id: str) -> Record:
    s = store.study(study_id)
    assert s is not None, study_id
    return s


def arm(s: Record, key: str) -> Record:
    return next(a for a in s["arms"] if a["key"] == key)


def said_of(store: Store, s: Record, arm_key: str | None = None) -> set[str]:
    """What the pane says of who was treated (the arm's population over the study's)."""
    return {x.text for x in who(s, arm(s, arm_key) if arm_key else None, Names.of(store))}


def comparison(s: Record, measure: str) -> Record:
    return next(c for c in s["comparisons"] if c["measure"] == measure and c["preferred"] and not c["subgroup"])


def outcome(a: Record, measure: str) -> Record:
    return next(o for o in a["outcomes"] if o["measure"] == measure and o["preferred"] and not o["subgroup"])


# -- the source lines ------------------------------------------------------------------------------------------------

RADIANT_1 = Lines(CMR, 337, 369, (
    "not statistically significant", "were continued on these agents", "stratum 2: prior SSAs",
    "stratum 1: no prior SSAs", "stratified by prior SSAs", "progressed after chemotherapy",
    "160 patients with metastatic pNETs", "(RADIANT)-1", "Phase II", "single-arm",
))
RADIANT_PROGRAMME = Lines(CMR, 371, 377, (
    "RADIANT program", "randomized, multicenter studies",
))
RADIANT_2 = Lines(CMR, 379, 411, (
    "58%", "did not meet its primary end point", "p≤0.0246", "p=0.026", "HR]: 0.77",
    "crossover to everolimus was allowed", "429 patients", "advanced functional GEP and lung", "placebo",
    "double-blind, Phase III", "RADIANT-2",
))
RADIANT_3 = Lines(CMR, 413, 447, (
    "p=0.3", "HR: 0.94", "nonsignificant", "crossover bias (85% of patients)", "prior chemotherapy or SSA therapy",
    "HR: 0.34, p<0.0001", "11.4 versus 5.4", "double-blind crossover", "placebo", "randomly assigned",
    "410 patients with advanced pNETs", "RADIANT-3",
))
RADIANT_4 = Lines(CMR, 449, 452, (
    "placebo-controlled Phase III", "RADIANT-4",
))
RADIANT_4_RESULT = Lines(CMR, 533, 549, (
    "boundary for statistical significance was 0.0002", "HR: 0.64; p=0.037",
    "first preplanned interim OS analysis", "not statistically significant", "HR: 0.48; p<0.00001",
    "11 versus 3.9", "nonfunctional, progressive gastrointestinal or lung", "302 patients",
))
RANDOMISED_3_AND_4 = Lines(CMR, 1073, 1075, ("randomized Phase III trials, RADIANT-3 and RADIANT-4",))
TABLE_2 = Lines(CMR, 211, 220, ("Table 2 Phase III trials in advanced NETs",))
NETTER_1 = Lines(CMR, 220, 220, (
    "NR versus 8.4; HR: 0.21; p<0.001", "Midgut NETs", "177Lu-Dotatate versus octreotide LAR 60 mg", "III",
    "Strosberg",
))
CLARINET = Lines(CMR, 218, 218, (
    "NR versus 18.0; HR: 0.47; p<0.001", "GEP NETs", "Lanreotide 120 mg versus placebo", "III", "Caplin",
))
PROMID = Lines(CMR, 219, 219, (
    "14.3 versus 6.0; HR: 0.34; p=0.000072", "NETs", "Octreotide LAR 30 mg versus placebo", "III", "Rinke",
))
RANDOMISED_AGAINST_PLACEBO = Lines(CMR, 1039, 1043, (
    "randomized Phase III", "versus placebo", "PPRT", "SSA",
))
MIDGUT_ONLY = Lines(CMR, 1089, 1091, (
    "limited to midgut NETs", "Lu-Dototate",
))
LUNA = Lines(CMR, 520, 530, (
    "At 9 months: 56%", "At 9 months: 33%", "At 9 months: 39%", "2% PR, 49% SD", "2% PR, 31% SD", "2% PR, 34% SD",
    "Lung/thymus", "Everolimus + pasireotide", "Pasireotide", "(LUNA) II 124", "Ferolla",
))
LUNA_TABLE = Lines(CMR, 453, 461, (
    "patients", "Number of", "phase", "Trial", "Table 3 Combination studies",
))

SELECT = Lines(WJCO, 623, 626, (
    "P < 0.001", "99%CI: 0.14-0.31", "HR, 0.21", "18.3 vs 3.6", "placebo", "phase III clinical trial SELECT",
))
SELECT_PRIOR_TKI = Lines(WJCO, 648, 674, (
    "261 25 1 63 23 18.3", "Schlumberger", "TKIs %", "Patients with prior", "Table 3",
))
THYROID_TABLE_1 = Lines(WJCO, 117, 117, (
    "radioiodine refractory-differentiated thyroid carcinoma", "Table 1",
))
DECISION = Lines(WJCO, 115, 116, (
    "placebo", "sorafenib (n = 207)", "phase III DECISION trial",
))
DECISION_RESULT = Lines(WJCO, 534, 538, (
    "(71%) crossed over", "could not be demonstrated", "improvement in OS", "P < 0.0001", "95%CI: 0.45–0.76",
    "HR, 0.587", "10.8 vs 5.8", "(n = 209)",
))
DECISION_OPEN_LABEL = Lines(WJCO, 541, 543, (
    "placebo", "open-label sorafenib after progression",
))
COSMIC_311 = Lines(WJCO, 716, 721, (
    "VEGFR-targeted therapies", "progressed after up to two prior", "RAIR differentiated thyroid cancer",
    "0.13-0.36; P < 0.0001", "HR, 0.22, 96%CI", "placebo", "progression or death of 78%",
    "met the co-primary endpoint", "phase III COSMIC-311 pivotal trial", "planned interim analysis",
))
LENVATINIB_PEMBROLIZUMAB = Lines(WJCO, 1311, 1314, (
    "previous VEGFR-directed multikinase therapy", "excluded", "RAIR-DTC", "pembrolizumab", "lenvatinib and",
    "single-arm multicenter phase II",
))
SELITRECTINIB = Lines(WJCO, 784, 790, (
    "ORR was 45%", "kinase domain mutations", "selitrectinib", "larotrectinib, entrectinib or PLX7486",
    "previously treated with a TRK inhibitor", "NTRK fusions", "Thirty-one",
))
VEMURAFENIB_PTC = Lines(WJCO, 893, 904, (
    "25 patients who previously received MKIs", "cohort 2", "never received multikinase VEGFR inhibitors",
    "26 patients", "Cohort 1", "BRAF V600E", "two cohorts",
    "non-randomized, open-label, multicenter phase 2 vemurafenib",
))
VEMURAFENIB_TABLE_1 = Lines(WJCO, 383, 393, (
    "51", "twice daily", "960 mg orally", "V600E", "BRAF", "NCT01286753", "Vemurafenib",
))
DABRAFENIB_PTC = Lines(WJCO, 870, 878, (
    "multi-kinase inhibitors", "25% of patients had prior therapy with", "Cross-over to Arm B", "n = 27",
    "dabrafenib 150 mg daily + trametinib", "dabrafenib 300 mg daily, n = 26", "randomized to Arm A",
    "progression within the last year", "53 patients with BRAF mutated RAIR-PTC", "phase II",
))
DABRAFENIB_PTC_AGAIN = Lines(WJCO, 887, 889, (
    "BRAF V600E–mutated PTC", "randomized, multi-institutional, open-label phase 2",
))

ALL_LINES = [value for name, value in dict(globals()).items() if isinstance(value, Lines) and name.isupper()]


def test_the_sources_are_where_the_tests_look() -> None:
    assert SOURCES.is_dir(), f"{SOURCES} is missing: the pivotal-trial tests read the five source documents there"
    assert {CMR, WJCO} <= {p.name for p in SOURCES.glob("*.txt")}


@pytest.mark.parametrize("cite", ALL_LINES, ids=lambda c: f"{c.file[:3]}:{c.first}-{c.last}")
def test_each_cited_passage_says_its_key_words(cite: Lines) -> None:
    said(cite)


# -- NET: the RADIANT programme --------------------------------------------------------------------------------------

def test_radiant_1_two_strata_by_earlier_ssa(store: Store) -> None:
    said(RADIANT_1)
    s = study(store, "radiant-1")
    assert design_text(s) == "single-arm phase 2, 2 strata"
    assert (s["design"]["allocation"], s["design"]["groups"], s["design"]["group_kind"]) == ("single-arm", "2",
                                                                                             "strata")
    assert s["enrolled_text"] == "160"
    assert who_text(s) == "Metastatic pancreatic NET that progressed after chemotherapy"
    assert {"after earlier systemic therapy", "after chemotherapy", "some had somatostatin analogue before"} \
        <= said_of(store, s)
    assert {a["key"]: a["role"] for a in s["arms"]} == {"everolimus-octreotide": "stratum", "everolimus": "stratum"}
    assert {"after chemotherapy", "after somatostatin analogue"} <= said_of(store, s, "everolimus-octreotide")
    assert {"after chemotherapy", "no earlier somatostatin analogue"} <= said_of(store, s, "everolimus")
    assert primary_text(s) == NOT_STATED and verdicts(s) == {}


def test_radiant_2_missed_its_boundary(store: Store) -> None:
    said(RADIANT_PROGRAMME, RADIANT_2)
    s = study(store, "radiant-2")
    assert design_text(s) == "randomised phase 3" and s["design"]["blinding"] == "double-blind"
    assert s["enrolled_text"] == "429"
    assert said_of(store, s) == {"functional tumours"}
    assert primary_text(s) == "Primary end point (progression-free survival): not met (boundary p ≤ 0.0246 as printed)"
    assert verdicts(s) == {"pfs_hr": "primary end point not met (boundary p ≤ 0.0246 as printed)"}
    hr = comparison(s, "pfs_hr")
    assert (hr["value_text"], hr["p_text"]) == ("0.77", "0.026")
    statement = os_statement(s)
    assert statement is not None and statement.text.endswith("(crossover 58% as printed)")


def test_radiant_3_everolimus_alone_with_crossover(store: Store) -> None:
    said(RADIANT_3, RANDOMISED_3_AND_4)
    s = study(store, "radiant-3")
    assert design_text(s) == "randomised phase 3" and s["design"]["blinding"] == "double-blind"
    assert s["enrolled_text"] == "410" and s["enrolled_scope"] == "randomised"
    assert who_text(s) == "Advanced pancreatic NETs"
    assert {"some had earlier systemic therapy", "some had chemotherapy before",
            "some had somatostatin analogue before"} == said_of(store, s)
    assert primary_text(s) == NOT_STATED and verdicts(s) == {}
    hr = comparison(s, "pfs_hr")
    assert (hr["value_text"], hr["p_text"]) == ("0.34", "<0.0001")
    os_hr = comparison(s, "os_hr")
    assert (os_hr["value_text"], os_hr["p_text"]) == ("0.94", "0.3")
    statement = os_statement(s)
    assert statement is not None and "not significant" in statement.text
    assert statement.text.endswith("(crossover 85% as printed)")


def test_radiant_4_interim_os_missed_its_boundary(store: Store) -> None:
    said(RADIANT_4, RADIANT_4_RESULT, RANDOMISED_3_AND_4)
    s = study(store, "radiant-4")
    assert design_text(s) == "randomised phase 3"
    assert s["enrolled_text"] == "302"
    assert said_of(store, s) == {"nonfunctional tumours", "progression: progressive disease"}
    assert "prior therapy" in unstated(s)
    assert primary_text(s) == NOT_STATED
    assert verdicts(s) == {"os_hr": "not significant: boundary 0.0002 as printed (interim)"}
    os_hr = comparison(s, "os_hr")
    assert (os_hr["value_text"], os_hr["p_text"]) == ("0.64", "0.037")
    hr = comparison(s, "pfs_hr")
    assert (hr["value_text"], hr["p_text"]) == ("0.48", "<0.00001")


# -- NET: the other phase 3 trials (Table 2 of the review) -----------------------------------------------------------

@pytest.mark.parametrize(("study_id", "label", "row", "setting", "tested", "control", "hr", "p"), [
    ("strosberg-lutetium-dotatate", "NETTER-1ᴿ (Strosberg)", NETTER_1, "Midgut NETs", "lutetium-dotatate",
     "octreotide", "0.21", "<0.001"),
    ("caplin-lanreotide", "CLARINETᴿ (Caplin)", CLARINET, "Gastroenteropancreatic NETs", "lanreotide", "placebo",
     "0.47", "<0.001"),
    ("rinke-octreotide", "PROMIDᴿ (Rinke)", PROMID, "NETs (primary site given only as NETs)", "octreotide", "placebo",
     "0.34", "0.000072"),
])
def test_the_table_2_phase_3_trials(store: Store, study_id: str, label: str, row: Lines, setting: str, tested: str,
                                    control: str, hr: str, p: str) -> None:
    said(TABLE_2, row, RANDOMISED_AGAINST_PLACEBO)
    s = study(store, study_id)
    assert s["label"] == label
    assert design_text(s) == "randomised phase 3"
    assert who_text(s) == setting
    assert {"line", "prior therapy", "markers", "functional status", "SSTR status", "grades"} <= set(unstated(s))
    assert {a["key"]: a["role"] for a in s["arms"]} == {tested: "experimental", control: "control"}
    assert primary_text(s) == NOT_STATED and verdicts(s) == {}
    c = comparison(s, "pfs_hr")
    assert (c["arm"], c["vs"], c["value_text"], c["p_text"]) == (tested, control, hr, p)


def test_netter_1_is_midgut_only_against_high_dose_octreotide(store: Store) -> None:
    said(NETTER_1, MIDGUT_ONLY)
    s = study(store, "strosberg-lutetium-dotatate")
    assert s["diseases"] == ["midgut-net"]
    assert arm(s, "octreotide")["regimen"][0]["dose"] == "60 mg"
    assert outcome(arm(s, "lutetium-dotatate"), "pfs_median")["qualifier"] == "not reached"
    assert outcome(arm(s, "octreotide"), "pfs_median")["value_text"] == "8.4"


def test_luna_three_arms_in_lung_and_thymic_net(store: Store) -> None:
    said(LUNA_TABLE, LUNA)
    s = study(store, "luna")
    assert design_text(s) == "phase 2, 3 arms (allocation not stated)"
    assert (s["design"]["allocation"], s["design"]["groups"], s["design"]["group_kind"]) == ("not stated", "3",
                                                                                             "arms")
    assert s["enrolled_text"] == "124"
    assert who_text(s) == "Lung or thymic NETs" and said_of(store, s) == set()
    assert primary_text(s) == NOT_STATED
    rates = {a["key"]: (a["role"], outcome(a, "pfs_rate")["value_text"], outcome(a, "pfs_rate")["timepoint"])
             for a in s["arms"]}
    assert rates == {"pasireotide": ("experimental", "39", "9 months"),
                     "everolimus": ("experimental", "33", "9 months"),
                     "everolimus-pasireotide": ("experimental", "56", "9 months")}


# -- RAI-refractory thyroid cancer -----------------------------------------------------------------------------------

def test_select_a_quarter_had_an_earlier_tki(store: Store) -> None:
    said(SELECT, SELECT_PRIOR_TKI, THYROID_TABLE_1)
    s = study(store, "select")
    assert design_text(s) == "phase 3, 2 arms (allocation not stated)"  # the review never says how assigned
    assert (s["design"]["allocation"], s["design"]["groups"], s["design"]["group_kind"]) == ("not stated", "2",
                                                                                             "arms")
    assert who_text(s) == "RAI-refractory DTC; 25% had had an earlier TKI"
    assert {"some had earlier systemic therapy (25%)", "25% had VEGFR-targeted multikinase inhibitor before",
            "after radioactive iodine"} == said_of(store, s)
    assert primary_text(s) == NOT_STATED and verdicts(s) == {}
    hr = comparison(s, "pfs_hr")
    assert (hr["value_text"], hr["ci_low_text"], hr["ci_high_text"], hr["ci_level"], hr["p_text"]) == (
        "0.21", "0.14", "0.31", "99", "<0.001")


def test_decision_no_os_gain_with_crossover(store: Store) -> None:
    said(DECISION, DECISION_RESULT, DECISION_OPEN_LABEL, THYROID_TABLE_1)
    s = study(store, "decision")
    assert design_text(s) == "phase 3, 2 arms (allocation not stated)"
    assert {a["key"]: (a["role"], a["n_text"]) for a in s["arms"]} == {"sorafenib": ("experimental", "207"),
                                                                      "placebo": ("control", "209")}
    assert said_of(store, s) == {"after radioactive iodine"} and "line" in unstated(s)
    assert primary_text(s) == NOT_STATED
    hr = comparison(s, "pfs_hr")
    assert (hr["value_text"], hr["ci_level"], hr["p_text"]) == ("0.587", "95", "<0.0001")
    statement = os_statement(s)
    assert statement is not None and statement.text.endswith("(crossover 71% as printed)")


def test_cosmic_311_after_vegfr_therapy_met_at_interim(store: Store) -> None:
    said(COSMIC_311)
    s = study(store, "cosmic-311")
    assert design_text(s) == "phase 3, 2 arms (allocation not stated)"
    assert {"after earlier systemic therapy", "after VEGFR-targeted multikinase inhibitor",
            "after radioactive iodine"} <= said_of(store, s)
    assert primary_text(s) == ("Primary end point (risk of progression or death, one of the co-primary end points): "
                               "met at an interim analysis")
    assert verdicts(s) == {"pfs_hr": "primary end point met at an interim analysis"}
    hr = comparison(s, "pfs_hr")
    assert (hr["value_text"], hr["ci_level"], hr["p_text"]) == ("0.22", "96", "<0.0001")


def test_lenvatinib_pembrolizumab_excluded_earlier_vegfr_therapy(store: Store) -> None:
    said(LENVATINIB_PEMBROLIZUMAB)
    s = study(store, "lenvatinib-pembrolizumab-phase2")
    assert design_text(s) == "single-arm phase 2"
    assert [a["role"] for a in s["arms"]] == ["single"]
    assert "no earlier VEGFR-targeted multikinase inhibitor" in said_of(store, s)
    assert "after VEGFR-targeted multikinase inhibitor" not in said_of(store, s)


def test_selitrectinib_after_a_trk_inhibitor(store: Store) -> None:
    said(SELITRECTINIB)
    s = study(store, "selitrectinib-trk-pretreated")
    assert design_text(s) == "design not stated"
    assert {"after earlier systemic therapy", "after TRK inhibitor", "NTRK fusion required"} == said_of(store, s)
    assert s["enrolled_text"] == "31"


def test_the_vemurafenib_ptc_cohorts(store: Store) -> None:
    said(VEMURAFENIB_PTC, VEMURAFENIB_TABLE_1)
    s = study(store, "vemurafenib-ptc-phase2")
    assert design_text(s) == "non-randomised phase 2, 2 cohorts"
    assert {a["key"]: (a["role"], a["n_text"]) for a in s["arms"]} == {
        "mki-naive": ("cohort", "26"), "mki-pretreated": ("cohort", "25"), "all-patients": ("pooled", "51")}
    naive, pretreated = said_of(store, s, "mki-naive"), said_of(store, s, "mki-pretreated")
    assert "no earlier VEGFR-targeted multikinase inhibitor" in naive
    assert "after VEGFR-targeted multikinase inhibitor" not in naive
    assert "after VEGFR-targeted multikinase inhibitor" in pretreated
    assert "BRAF V600E required" in naive & pretreated


def test_dabrafenib_with_or_without_trametinib_in_ptc(store: Store) -> None:
    said(DABRAFENIB_PTC, DABRAFENIB_PTC_AGAIN)
    s = study(store, "dabrafenib-trametinib-ptc-phase2")
    assert design_text(s) == "randomised phase 2" and s["design"]["blinding"] == "open-label"
    assert {a["key"]: (a["role"], a["n_text"]) for a in s["arms"]} == {
        "dabrafenib": ("experimental", "26"), "dabrafenib-trametinib": ("experimental", "27")}
    assert s["enrolled_text"] == "53"
    assert {"some had earlier systemic therapy (25%)", "25% had VEGFR-targeted multikinase inhibitor before",
            "progression: disease progression within the previous year"} <= said_of(store, s)
