"""Figures of the bundled dataset checked against the five source documents.

Each sample was read by hand from the document at the locator it names and is checked
against the BUILT database (through the Store), so a typo in a seed, a figure moved to
the wrong arm, a wrong locator or a rounding shows up here.

A sample is (study id, arm id, measure, expected printed value, source id, locator):
- arm id is the arm's key; "A vs B" for a comparison; "-" for the study itself.
- measure is a vocabulary measure, optionally "measure|subgroup"; a suffix ".ci",
  ".p" or ".count" checks that part of the figure instead of the value.
  "ae:<id>" is an adverse event's all-grade column, "ae:<id>.high" its grade 3-4 or
  grade >=3 column; "n", "enrolled" and "evaluable" are the counts.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from db.dataset.yamlload import load_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA_NOTES = ROOT / "docs" / "data-notes.md"
CTCAE_CSV = ROOT.parent / "shared" / "data" / "ctcae_v5.0.csv"  # ../shared/data, beside the project, as the sources

ACTIVITY = "Activity of everolimus in patients with NETs"
COMBOS = "Combinations and ongoing trials of everolimus"
SAFETY = "Safety and tolerability"
DAILY = "Role of everolimus in the daily life"
BRAF_TEXT = "Dabrafenib and vemurafenib in RAIR-DTC"
MTOR = "Selective mTOR inhibitors (everolimus, temsirolimus)"
NTRK = "NTRK inhibitors (larotrectinib and entrectinib)"
RET = "Selective RET inhibitors (selpercatinib and pralsetinib)"

Sample = tuple[str, str, str, str, str, str]

FIGURES: list[Sample] = [
    # --- 000 Bauman 2022 (news summary; no headings) ---
    # 000 "A total of 42 patients"
    ("bauman-2022", "-", "enrolled", "42", "bauman2022", "Article text"),
    # 000 everolimus "8.3 months and 49.9%"
    ("bauman-2022", "everolimus", "pfs_median", "8.3", "bauman2022", "Article text"),
    # 000 results paragraph, everolimus 1-year PFS "49.9%"
    ("bauman-2022", "everolimus", "pfs_rate", "49.9", "bauman2022", "Article text"),
    # 000 pasireotide "1.8 months and 36.4%"
    ("bauman-2022", "pasireotide", "pfs_median", "1.8", "bauman2022", "Article text"),
    # 000 PFS2 "17.5 months and 70%"
    ("bauman-2022", "pasireotide", "pfs2_median", "17.5", "bauman2022", "Article text"),
    # 000 PFS2 "26.3 months and 78.4%"
    ("bauman-2022", "everolimus", "pfs2_rate", "78.4", "bauman2022", "Article text"),
    # 000 combination "8.1 months and 25%"
    ("bauman-2022", "everolimus-pasireotide", "pfs_rate", "25", "bauman2022", "Article text"),
    # --- 001 Leiden everolimus phase 2 (abstract) ---
    # 001 "Seventeen patients (65%) showed SD"
    ("everolimus-thyroid-leiden-2017", "everolimus", "sd", "65", "jcem2017", "Abstract"),
    # 001 Results, SD count "Seventeen patients"
    ("everolimus-thyroid-leiden-2017", "everolimus", "sd.count", "17", "jcem2017", "Abstract"),
    # 001 "15 (58%) showed SD >24 weeks"
    ("everolimus-thyroid-leiden-2017", "everolimus", "sd_durable", "58", "jcem2017", "Abstract"),
    # 001 "Median PFS ... 9"
    ("everolimus-thyroid-leiden-2017", "everolimus", "pfs_median", "9", "jcem2017", "Abstract"),
    # 001 "95% CI: 4 to 14"
    ("everolimus-thyroid-leiden-2017", "everolimus", "pfs_median.ci", "4-14", "jcem2017", "Abstract"),
    # 001 OS "18 (95% CI: 7 to 29)"
    ("everolimus-thyroid-leiden-2017", "everolimus", "os_median.ci", "7-29", "jcem2017", "Abstract"),
    # 001 "38 months (2-64)"
    ("everolimus-thyroid-leiden-2017", "everolimus", "followup_median", "38", "jcem2017", "Abstract"),
    # 001 "anemia (64%)"
    ("everolimus-thyroid-leiden-2017", "everolimus", "ae:anemia", "64", "jcem2017", "Abstract"),
    # 001 "hyperglycemia (61%)"
    ("everolimus-thyroid-leiden-2017", "everolimus", "ae:hyperglycemia", "61", "jcem2017", "Abstract"),
    # --- 004 bevacizumab + temsirolimus (abstract) ---
    # 004 "Fifty-nine patients were enrolled"
    ("bevacizumab-temsirolimus-epnet", "-", "enrolled", "59", "erc2023", "Abstract"),
    # 004 "54 were evaluated"
    ("bevacizumab-temsirolimus-epnet", "-", "evaluable", "54", "erc2023", "Abstract"),
    # 004 ORR 2%
    ("bevacizumab-temsirolimus-epnet", "temsirolimus-bevacizumab", "orr", "2", "erc2023", "Abstract"),
    # 004 6-month PFS 48%
    ("bevacizumab-temsirolimus-epnet", "temsirolimus-bevacizumab", "pfs_rate", "48", "erc2023", "Abstract"),
    # 004 median PFS 7.1 months
    ("bevacizumab-temsirolimus-epnet", "temsirolimus-bevacizumab", "pfs_median", "7.1", "erc2023", "Abstract"),
    # 004 temsirolimus duration 3.9 months
    ("bevacizumab-temsirolimus-epnet", "temsirolimus-bevacizumab", "treatment_duration_median|temsirolimus", "3.9",
     "erc2023", "Abstract"),
    # 004 bevacizumab duration 3.5 months
    ("bevacizumab-temsirolimus-epnet", "temsirolimus-bevacizumab", "treatment_duration_median|bevacizumab", "3.5",
     "erc2023", "Abstract"),
    # 004 grade 3-4 bleeding (13%)
    ("bevacizumab-temsirolimus-epnet", "temsirolimus-bevacizumab", "ae:bleeding.high", "13", "erc2023", "Abstract"),
    # 004 "Close to 54%"
    ("bevacizumab-temsirolimus-epnet", "temsirolimus-bevacizumab", "ae_discontinuation", "~54", "erc2023", "Abstract"),
    # 004 "two were due to treatment-related bowel perforations"
    ("bevacizumab-temsirolimus-epnet", "temsirolimus-bevacizumab", "treatment_related_deaths", "2", "erc2023",
     "Abstract"),
    # --- 002 Table 2: phase 3 trials other than everolimus ---
    # 002 Table 2, Caplin "NR versus 18.0"
    ("caplin-lanreotide", "lanreotide", "pfs_median", "NR", "cmr2017", "Table 2"),
    # 002 Table 2, Caplin placebo
    ("caplin-lanreotide", "placebo", "pfs_median", "18.0", "cmr2017", "Table 2"),
    # 002 Table 2, Caplin HR
    ("caplin-lanreotide", "lanreotide vs placebo", "pfs_hr", "0.47", "cmr2017", "Table 2"),
    # 002 Table 2, Rinke p
    ("rinke-octreotide", "octreotide vs placebo", "pfs_hr.p", "0.000072", "cmr2017", "Table 2"),
    # 002 Table 2, Rinke 14.3 versus 6.0
    ("rinke-octreotide", "octreotide", "pfs_median", "14.3", "cmr2017", "Table 2"),
    # 002 Table 2, Strosberg
    ("strosberg-lutetium-dotatate", "octreotide", "pfs_median", "8.4", "cmr2017", "Table 2"),
    # 002 Table 2, Raymond HR
    ("raymond-sunitinib", "sunitinib vs placebo", "pfs_hr", "0.42", "cmr2017", "Table 2"),
    # 002 Table 2, Sun
    ("sun-doxorubicin-streptozocin", "streptozocin-fluorouracil", "pfs_median", "5.3", "cmr2017", "Table 2"),
    # --- 002 Table 3: everolimus combination studies ---
    # 002 Table 3, Chan38 90% SD
    ("chan-everolimus-pasireotide", "everolimus-pasireotide", "sd", "90", "cmr2017", "Table 3"),
    # 002 Table 3, 81% shrinkage
    ("chan-everolimus-pasireotide", "everolimus-pasireotide", "tumour_shrinkage", "81", "cmr2017", "Table 3"),
    # 002 Table 3, Chan39 at 6 months 79%
    ("chan-everolimus-sorafenib", "everolimus-sorafenib", "pfs_rate", "79", "cmr2017", "Table 3"),
    # 002 Table 3, Yao40 "10 mg: 14"
    ("yao-everolimus-octreotide", "everolimus-octreotide", "pfs_median|everolimus 10 mg", "14", "cmr2017", "Table 3"),
    # 002 Table 3, RADIANT-1 first row 16
    ("radiant-1", "everolimus-octreotide", "pfs_median", "16", "cmr2017", "Table 3"),
    # 002 Table 3, RADIANT-1 second row 4% PR
    ("radiant-1", "everolimus", "pr", "4", "cmr2017", "Table 3"),
    # 002 Table 3, Kulke61 31% PR
    ("calgb-80701", "everolimus-octreotide-bevacizumab", "pr", "31", "cmr2017", "Table 3"),
    # 002 Table 3, Kulke61 14
    ("calgb-80701", "everolimus-octreotide", "pfs_median", "14", "cmr2017", "Table 3"),
    # 002 Table 3, COOPERATE-II 16.6
    ("cooperate-2", "everolimus-pasireotide", "pfs_median", "16.6", "cmr2017", "Table 3"),
    # 002 Table 3, COOPERATE-II 6% PR
    ("cooperate-2", "everolimus", "pr", "6", "cmr2017", "Table 3"),
    # 002 Table 3, LUNA at 9 months 56%
    ("luna", "everolimus-pasireotide", "pfs_rate", "56", "cmr2017", "Table 3"),
    # 002 Table 3, LUNA pasireotide 34% SD
    ("luna", "pasireotide", "sd", "34", "cmr2017", "Table 3"),
    # 002 Table 3, LUNA 124 patients
    ("luna", "-", "enrolled", "124", "cmr2017", "Table 3"),
    # --- 002 Table 4: RADIANT phase 3 trials ---
    # 002 Table 4, RADIANT-2 429
    ("radiant-2", "-", "enrolled", "429", "cmr2017", "Table 4"),
    # 002 Table 4, RADIANT-2 2.3% PR
    ("radiant-2", "everolimus-octreotide", "pr", "2.3", "cmr2017", "Table 4"),
    # 002 Table 4, RADIANT-2 octreotide 81% SD
    ("radiant-2", "placebo-octreotide", "sd", "81", "cmr2017", "Table 4"),
    # 002 Table 4, RADIANT-3 73% SD
    ("radiant-3", "everolimus", "sd", "73", "cmr2017", "Table 4"),
    # 002 Table 4, RADIANT-3 placebo 5.4
    ("radiant-3", "placebo", "pfs_median", "5.4", "cmr2017", "Table 4"),
    # 002 Table 4, RADIANT-4 placebo 3.9
    ("radiant-4", "placebo", "pfs_median", "3.9", "cmr2017", "Table 4"),
    # 002 Table 4, RADIANT-4 2% PR
    ("radiant-4", "everolimus", "pr", "2", "cmr2017", "Table 4"),
    # --- 002 Table 5: adverse events in the RADIANT trials ---
    # 002 Table 5, RADIANT-3 stomatitis
    ("radiant-3", "everolimus", "ae:stomatitis", "64", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-3 stomatitis 3-4
    ("radiant-3", "everolimus", "ae:stomatitis.high", "7", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-2 nausea <1
    ("radiant-2", "everolimus-octreotide", "ae:nausea.high", "<1", "cmr2017", "Table 5"),
    # 002 Table 5, printed 0
    ("radiant-2", "everolimus-octreotide", "ae:peripheral-edema.high", "0", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-2 pneumonitis 8
    ("radiant-2", "everolimus-octreotide", "ae:pneumonitis", "8", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-4 infections
    ("radiant-4", "everolimus", "ae:infection", "29", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-4 second column
    ("radiant-4", "everolimus", "ae:infection.high", "7", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-4 second column
    ("radiant-4", "everolimus", "ae:stomatitis.high", "9", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-4 cough printed 0
    ("radiant-4", "everolimus", "ae:cough.high", "0", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-3 nail disorder
    ("radiant-3", "everolimus", "ae:nail-disorder.high", "<1", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-3 anemia
    ("radiant-3", "everolimus", "ae:anemia.high", "6", "cmr2017", "Table 5"),
    # 002 Table 5, RADIANT-2 hyperglycemia
    ("radiant-2", "everolimus-octreotide", "ae:hyperglycemia", "15", "cmr2017", "Table 5"),
    # --- 002 running text ---
    # 002 RADIANT-2 HR 0.77
    ("radiant-2", "everolimus-octreotide vs placebo-octreotide", "pfs_hr", "0.77", "cmr2017", ACTIVITY),
    # 002 RADIANT-2 crossed over (58%)
    ("radiant-2", "placebo-octreotide", "crossover", "58", "cmr2017", ACTIVITY),
    # 002 RADIANT-3 OS HR 0.94
    ("radiant-3", "everolimus vs placebo", "os_hr", "0.94", "cmr2017", ACTIVITY),
    # 002 RADIANT-3 p=0.3
    ("radiant-3", "everolimus vs placebo", "os_hr.p", "0.3", "cmr2017", ACTIVITY),
    # 002 RADIANT-3 44.0 versus 37.7
    ("radiant-3", "everolimus", "os_median", "44.0", "cmr2017", ACTIVITY),
    # 002 RADIANT-4 p<0.00001
    ("radiant-4", "everolimus vs placebo", "pfs_hr.p", "<0.00001", "cmr2017", ACTIVITY),
    # 002 RADIANT-4 interim OS HR 0.64
    ("radiant-4", "everolimus vs placebo", "os_hr", "0.64", "cmr2017", ACTIVITY),
    # 002 stratum 2 16.7
    ("radiant-1", "everolimus-octreotide", "pfs_median|stratum 2: prior SSA", "16.7", "cmr2017", ACTIVITY),
    # 002 stratum 1 PR 10%
    ("radiant-1", "everolimus", "pr|stratum 1: no prior SSA", "10", "cmr2017", ACTIVITY),
    # 002 Yao "PFS of 60 weeks"
    ("yao-everolimus-octreotide", "everolimus-octreotide", "pfs_median", "60", "cmr2017", ACTIVITY),
    # 002 CALGB 38% grades 3-4
    ("calgb-80701", "everolimus-octreotide-bevacizumab", "ae:hypertension.high", "38", "cmr2017", COMBOS),
    # 002 CALGB "16% versus 1%"
    ("calgb-80701", "everolimus-octreotide", "ae:proteinuria.high", "1", "cmr2017", COMBOS),
    # 002 CALGB HR 0.80, p=0.12
    ("calgb-80701", "everolimus-octreotide-bevacizumab vs everolimus-octreotide", "pfs_hr.p", "0.12", "cmr2017",
     COMBOS),
    # 002 CALGB grade 4 "11% in both arms"
    ("calgb-80701", "everolimus-octreotide", "ae_grade4_any", "11", "cmr2017", COMBOS),
    # 002 COOPERATE-2 text 16.8 with pasireotide
    ("cooperate-2", "everolimus-pasireotide", "pfs_median", "16.8", "cmr2017", COMBOS),
    # 002 Chan39 text 62%
    ("chan-everolimus-sorafenib", "everolimus-sorafenib", "tumour_shrinkage", "62", "cmr2017", COMBOS),
    # 002 Panzuto PR 7.7%
    ("panzuto-everolimus-cup", "everolimus", "pr", "7.7", "cmr2017", DAILY),
    # 002 Panzuto median OS 32 months
    ("panzuto-everolimus-cup", "everolimus", "os_median", "32", "cmr2017", DAILY),
    # 002 "3.5% grades 3-4"
    ("panzuto-everolimus-cup", "everolimus", "ae:renal-failure.high", "3.5", "cmr2017", SAFETY),
    # 002 Panzuto severe in 46%
    ("panzuto-everolimus-cup", "everolimus", "ae_grade3plus_any", "46", "cmr2017", SAFETY),
    # 002 44-patient series, GI NET 14.7 months
    ("everolimus-sunitinib-real-world-gep", "everolimus", "pfs_median|gastrointestinal NET", "14.7", "cmr2017", DAILY),
    # 002 expanded access, 246 patients
    ("everolimus-expanded-access-qol", "-", "enrolled", "246", "cmr2017", SAFETY),
    # --- 003 Table 1: agents in RAIR-DTC ---
    # 003 Table 1, sorafenib row "207 10.8 12.2"
    ("decision", "sorafenib", "pr", "10.8", "wjco2022", "Table 1"),
    # 003 Table 1, same row (mPFS column)
    ("decision", "sorafenib", "pfs_median", "12.2", "wjco2022", "Table 1"),
    # 003 Table 1, hand-foot skin reaction (76%)
    ("decision", "sorafenib", "ae:ppe", "76", "wjco2022", "Table 1"),
    # 003 Table 1, serious column (20%)
    ("decision", "sorafenib", "ae:ppe.high", "20", "wjco2022", "Table 1"),
    # 003 Table 1, withdrawal 19%
    ("decision", "sorafenib", "ae_discontinuation", "19", "wjco2022", "Table 1"),
    # 003 Table 1, "65 (4 complete response + 165 partial response)"
    ("select", "lenvatinib", "orr", "65", "wjco2022", "Table 1"),
    # 003 Table 1, hypertension (42%)
    ("select", "lenvatinib", "ae:hypertension.high", "42", "wjco2022", "Table 1"),
    # 003 Table 1, decreased weight (10%)
    ("select", "lenvatinib", "ae:weight-loss.high", "10", "wjco2022", "Table 1"),
    # 003 Table 1
    ("cabozantinib-nct01811212", "cabozantinib", "ae:hypophosphatemia.high", "16", "wjco2022", "Table 1"),
    # 003 Table 1, axitinib common AEs
    ("axitinib-nct00094055", "axitinib", "ae:hypertension", "28", "wjco2022", "Table 1"),
    # 003 Table 1, axitinib serious AEs
    ("axitinib-nct00094055", "axitinib", "ae:hypertension.high", "12", "wjco2022", "Table 1"),
    # 003 Table 1, QTc (14%)
    ("vandetanib-dtc-phase2", "vandetanib", "ae:qtc-prolongation.high", "14", "wjco2022", "Table 1"),
    # 003 Table 1, "72 8.3 11.1"
    ("vandetanib-dtc-phase2", "vandetanib", "pfs_median", "11.1", "wjco2022", "Table 1"),
    # 003 Table 1, printed in both columns
    ("sunitinib-nct00381641", "sunitinib", "ae:neutropenia.high", "34", "wjco2022", "Table 1"),
    # 003 Table 1, raised ALT (11%)
    ("pazopanib-nct00625846", "pazopanib", "ae:alt-increased.high", "11", "wjco2022", "Table 1"),
    # 003 Table 1, "40 20.5 5.4"
    ("dovitinib-nct02964144", "dovitinib", "pr", "20.5", "wjco2022", "Table 1"),
    # 003 Table 1, "90 (I); 70 (II)"
    ("apatinib-dtc-phase2", "apatinib", "pr|group I: 750 mg/d", "90", "wjco2022", "Table 1"),
    # 003 Table 1, "13 60 15"
    ("lapatinib-nct01947023", "lapatinib-dabrafenib", "pfs_median", "15", "wjco2022", "Table 1"),
    # 003 Table 1, "VEGFR naive: 39%"
    ("vemurafenib-ptc-phase2", "mki-naive", "pr", "39", "wjco2022", "Table 1"),
    # 003 Table 1, SCC (23.5%)
    ("vemurafenib-ptc-phase2", "all-patients", "ae:skin-scc.high", "23.5", "wjco2022", "Table 1"),
    # 003 Table 1, withdrawal printed 0%
    ("dabrafenib-nct00880321", "dabrafenib", "ae_discontinuation", "0", "wjco2022", "Table 1"),
    # 003 Table 1, "39 3 8"
    ("selumetinib-rair-dtc-phase2", "-", "enrolled", "39", "wjco2022", "Table 1"),
    # 003 Table 1, "24 (16%) complete response"
    ("larotrectinib-nct02122913", "larotrectinib", "cr", "16", "wjco2022", "Table 1"),
    # 003 Table 1, larotrectinib PR cell, count of complete responses
    ("larotrectinib-nct02122913", "larotrectinib", "cr.count", "24", "wjco2022", "Table 1"),
    # 003 Table 1, dysgeusia (47%)
    ("startrk-1-2", "entrectinib", "ae:dysgeusia", "47", "wjco2022", "Table 1"),
    # 003 Table 1, fatigue (8%)
    ("everolimus-rair-dtc-phase2", "everolimus", "ae:fatigue.high", "8", "wjco2022", "Table 1"),
    # 003 Table 1, hyperglycemia (19%)
    ("sorafenib-temsirolimus-phase2", "sorafenib-temsirolimus", "ae:hyperglycemia", "19", "wjco2022", "Table 1"),
    # --- 003 Table 2: sorafenib series ---
    # 003 Table 2, Gupta-Abramson
    ("gupta-abramson-2008", "sorafenib", "ae:hypertension.high", "13", "wjco2022", "Table 2"),
    # 003 Table 2, Kloos "15 57 16 23"
    ("kloos-2009", "sorafenib", "os_median", "23", "wjco2022", "Table 2"),
    # 003 Table 2, Hoftijzer
    ("hoftijzer-2009", "sorafenib", "pfs_median", "14.5", "wjco2022", "Table 2"),
    # 003 Table 2, "Dermatology (other than HFS), 88%"
    ("ahmed-2011", "sorafenib", "ae:skin-disorder-other", "88", "wjco2022", "Table 2"),
    # 003 Table 2, Capdevilla
    ("capdevilla-2012", "sorafenib", "os_median", "23.6", "wjco2022", "Table 2"),
    # 003 Table 2, Brose 2014 "HFS, 73.6%"
    ("decision", "sorafenib", "ae:ppe", "73.6", "wjco2022", "Table 2"),
    # 003 Table 2, Brose 2014 PR 12
    ("decision", "sorafenib", "pr", "12", "wjco2022", "Table 2"),
    # 003 Table 2, Dadu "- - - 56"
    ("dadu-2008", "sorafenib", "os_median", "56", "wjco2022", "Table 2"),
    # 003 Table 2, Luo shared 12.5%
    ("luo-2014", "sorafenib", "ae:hypocalcemia.high", "12.5", "wjco2022", "Table 2"),
    # 003 Table 2, Kim "HFS, 41%"
    ("kim-2018", "sorafenib", "ae:ppe.high", "41", "wjco2022", "Table 2"),
    # --- 003 Table 3: lenvatinib series ---
    # 003 Table 3, Schlumberger "25 1 63 23 18.3"
    ("select", "lenvatinib", "sd", "23", "wjco2022", "Table 3"),
    # 003 Table 3, Berdelou
    ("berdelou-2017", "lenvatinib", "pfs_median", "10", "wjco2022", "Table 3"),
    # 003 Table 3, Sugino
    ("sugino-2018", "lenvatinib", "pr", "69", "wjco2022", "Table 3"),
    # 003 Table 3, Locati
    ("locati-2019", "lenvatinib", "os_median", "23.8", "wjco2022", "Table 3"),
    # 003 Table 3, Lee "General weakness 43%"
    ("lee-2019", "lenvatinib", "ae:asthenia", "43", "wjco2022", "Table 3"),
    # 003 Table 3, Masaki "Proteinuria, 36%"
    ("masaki-2019", "lenvatinib", "ae:proteinuria.high", "36", "wjco2022", "Table 3"),
    # 003 Table 3, Aydemirli "77 2 33 37"
    ("aydemirli-2020", "lenvatinib", "cr", "2", "wjco2022", "Table 3"),
    # 003 Table 3, Jerkovich 2020
    ("jerkovich-2020", "lenvatinib", "ae:hypertension.high", "23", "wjco2022", "Table 3"),
    # --- 003 Table 4: ongoing trials ---
    # 003 Table 4, NCT00537095 n = 165
    ("vandetanib-dtc-phase2", "-", "enrolled", "165", "wjco2022", "Table 4"),
    # 003 Table 4, NCT03602495 n = 204
    ("donafenib-phase3", "-", "enrolled", "204", "wjco2022", "Table 4"),
    # 003 Table 4, NCT03753919 enrollment 46
    ("duthy", "-", "enrolled", "46", "wjco2022", "Table 4"),
    # 003 Table 4, NCT04554680 n = 5
    ("dabrafenib-trametinib-redifferentiation", "-", "enrolled", "5", "wjco2022", "Table 4"),
    # 003 Table 4, NCT01709292 n = 24
    ("vemurafenib-neoadjuvant", "-", "enrolled", "24", "wjco2022", "Table 4"),
    # --- 003 running text ---
    # 003 Sorafenib, HR 0.587
    ("decision", "sorafenib vs placebo", "pfs_hr", "0.587", "wjco2022", "Sorafenib"),
    # 003 Sorafenib, 95%CI
    ("decision", "sorafenib vs placebo", "pfs_hr.ci", "0.45-0.76", "wjco2022", "Sorafenib"),
    # 003 Sorafenib, placebo arm (71%) crossed over
    ("decision", "placebo", "crossover", "71", "wjco2022", "Sorafenib"),
    # 003 Sorafenib, "72% had SD >= 6 mo"
    ("jerkovich-2019", "sorafenib", "sd_durable", "72", "wjco2022", "Sorafenib"),
    # 003 Lenvatinib, 99%CI
    ("select", "lenvatinib vs placebo", "pfs_hr.ci", "0.14-0.31", "wjco2022", "Lenvatinib"),
    # 003 Lenvatinib, "CR 1.5%"
    ("select", "lenvatinib", "cr", "1.5", "wjco2022", "Lenvatinib"),
    # 003 Lenvatinib, "PFS from 13.7 to 22 mo"
    ("jerkovich-2020", "lenvatinib", "pfs_median|patients who would have met the SELECT inclusion criteria", "22",
     "wjco2022", "Lenvatinib"),
    # 003 Cabozantinib, 8 (53%)
    ("cabozantinib-dtc-phase1", "cabozantinib", "pr", "53", "wjco2022", "Cabozantinib"),
    # 003 Cabozantinib, OS 34.7
    ("cabozantinib-nct01811212", "cabozantinib", "os_median", "34.7", "wjco2022", "Cabozantinib"),
    # 003 Cabozantinib, COSMIC-311
    ("cosmic-311", "cabozantinib vs placebo", "pfs_hr", "0.22", "wjco2022", "Cabozantinib"),
    # 003 Apatinib, OS 51.6 mo
    ("apatinib-dtc-phase2", "apatinib", "os_median", "51.6", "wjco2022", "Apatinib"),
    # 003 Apatinib, 29.2-not reached
    ("apatinib-dtc-phase2", "apatinib", "os_median.ci", "29.2-NR", "wjco2022", "Apatinib"),
    # 003 NTRK inhibitors, 79% of 24 DTC patients
    ("larotrectinib-nct02122913", "larotrectinib", "orr|DTC with an NTRK fusion (24 patients)", "79", "wjco2022", NTRK),
    # 003 Resistance section, ORR 45%
    ("selitrectinib-trk-pretreated", "selitrectinib", "orr|patients with TRK kinase-domain mutations", "45",
     "wjco2022", "Resistance to larotrectinib and entrectinib"),
    # 003 RET section, 64% free of progression at 1 year
    ("libretto-001", "selpercatinib", "pfs_rate", "64", "wjco2022", RET),
    # 003 RET section, ARROW 14.5 mo
    ("arrow", "pralsetinib", "dor_median", "14.5", "wjco2022", RET),
    # 003 D-T in ATC, 80% at 1 year
    ("dabrafenib-trametinib-atc", "dabrafenib-trametinib", "os_rate", "80", "wjco2022",
     "Combination of dabrafenib-trametinib"),
    # 003 second description, arm B 15.1 mo
    ("dabrafenib-trametinib-ptc-phase2", "dabrafenib-trametinib", "pfs_median", "15.1", "wjco2022", BRAF_TEXT),
    # 003 vemurafenib cohort 2, 27.3%
    ("vemurafenib-ptc-phase2", "mki-pretreated", "pr", "27.3", "wjco2022", BRAF_TEXT),
    # 003 mTOR section, 2-year OS 73.5%
    ("everolimus-rair-dtc-phase2", "everolimus", "os_rate", "73.5", "wjco2022", MTOR),
    # 003 "mPFS at one year 30.5%"
    ("sorafenib-temsirolimus-phase2", "sorafenib-temsirolimus", "pfs_rate", "30.5", "wjco2022", MTOR),
    # 003 Selumetinib, 32 wk
    ("selumetinib-rair-dtc-phase2", "selumetinib", "pfs_median", "32", "wjco2022", "Selumetinib"),
    # 003 KEYNOTE-028 60% (9/15)
    ("keynote-028", "pembrolizumab", "sd|papillary histology (9/15)", "60", "wjco2022", "Pembrolizumab"),
    # 003 Pembrolizumab section, PFS at 12 mo 74%
    ("lenvatinib-pembrolizumab-phase2", "lenvatinib-pembrolizumab", "pfs_rate", "74", "wjco2022", "Pembrolizumab"),
]


def _study(store: Any, sid: str) -> dict[str, Any]:
    found = [s for s in store.studies() if s["id"] == sid]
    assert found, f"no study {sid}"
    return found[0]


def _arm(study: dict[str, Any], key: str) -> dict[str, Any]:
    found = [a for a in study["arms"] if a["key"] == key]
    assert found, f"{study['id']}: no arm {key}"
    return found[0]


def _figure(store: Any, sample: Sample) -> tuple[str | None, str, str]:
    """The printed value a sample points at, with the source and locator the dataset gives it."""
    sid, arm, measure, _, _, locator = sample
    study = _study(store, sid)
    if measure in ("enrolled", "evaluable"):
        return study[f"{measure}_text"], study[f"{measure}_source"], study[f"{measure}_locator"]
    if measure == "n":
        a = _arm(study, arm)
        return a["n_text"], a["n_source"], a["n_locator"]
    part = "value"
    for suffix in (".ci", ".p", ".count", ".high"):
        if measure.endswith(suffix):
            measure, part = measure[: -len(suffix)], suffix[1:]
    if measure.startswith("ae:"):
        rows = [e for e in _arm(study, arm)["adverse_events"] if e["ae_id"] == measure[3:] and e["locator"] == locator]
        assert len(rows) == 1, f"{sample}: {len(rows)} matching adverse-event rows"
        e = rows[0]
        return (e["high_text"] if part == "high" else e["all_text"]), e["source_id"], e["locator"]
    measure, _, subgroup = measure.partition("|")
    if " vs " in arm:
        left, right = arm.split(" vs ")
        pool = [o for o in study["comparisons"] if o["arm"] == left and o["vs"] == right]
    else:
        pool = _arm(study, arm)["outcomes"]
    rows = [o for o in pool if o["measure"] == measure and o["locator"] == locator
            and (o["subgroup"] or "") == subgroup]
    assert len(rows) == 1, f"{sample}: {len(rows)} matching outcomes"
    o = rows[0]
    value = {"value": o["value_text"], "p": o["p_text"], "count": o["count_text"],
             "ci": f"{o['ci_low_text']}-{o['ci_high_text']}" if o["ci_low_text"] else None}[part]
    return value, o["source_id"], o["locator"]


def test_the_sample_is_broad() -> None:
    assert len(FIGURES) >= 60
    assert {s[4] for s in FIGURES} == {"bauman2022", "jcem2017", "cmr2017", "wjco2022", "erc2023"}
    tables = {(s[4], s[5]) for s in FIGURES if s[5].startswith("Table")}
    wanted = {("cmr2017", f"Table {n}") for n in (2, 3, 4, 5)} | {("wjco2022", f"Table {n}") for n in (1, 2, 3, 4)}
    assert tables >= wanted


@pytest.mark.parametrize("sample", FIGURES, ids=lambda s: f"{s[0]}:{s[1]}:{s[2]}@{s[5]}")
def test_figure_matches_the_source(store, sample: Sample) -> None:  # type: ignore[no-untyped-def]
    value, source, locator = _figure(store, sample)
    assert (value, source, locator) == (sample[3], sample[4], sample[5])


# Cells the source prints as a dash ("not reported") must not become a figure, least of all 0.
# (study, arm, adverse-event id or "*" for any event, column "all" or "high", locator)
DASHES = [
    *[("radiant-2", "everolimus-octreotide", ae, col, "Table 5")
      for ae in ("headache", "epistaxis", "nail-disorder", "cough") for col in ("all", "high")],
    ("radiant-2", "everolimus-octreotide", "pneumonitis", "high", "Table 5"),  # 002 Table 5 "Pneumonitis 8 –"
    *[("radiant-4", "everolimus", ae, col, "Table 5")
      for ae in ("headache", "epistaxis", "weight-loss", "vomiting", "thrombocytopenia", "nail-disorder")
      for col in ("all", "high")],
    ("chen-2011", "sorafenib", "*", "high", "Table 2"),  # 003 Table 2 "Alopecia, 100% -"
    ("keefe-2011", "sorafenib", "*", "all", "Table 2"),  # 003 Table 2 "32.4 - -"
    ("keefe-2011", "sorafenib", "*", "high", "Table 2"),
    ("dadu-2008", "sorafenib", "*", "all", "Table 2"),  # 003 Table 2 "56 - -"
    ("dadu-2008", "sorafenib", "*", "high", "Table 2"),
    ("benekli-2014", "sorafenib", "*", "all", "Table 2"),  # 003 Table 2 "21.3 - - HFS, 22%"
    ("cabanilas-2010", "sorafenib", "*", "high", "Table 2"),  # 003 Table 2 "HFS, 60% -"
    ("sugino-2018", "lenvatinib", "*", "high", "Table 3"),  # 003 Table 3 "Hypertension 76% -"
]

# Outcome cells printed as a dash: (study, measure, locator)
OUTCOME_DASHES = [
    ("gupta-abramson-2008", "os_median", "Table 2"), ("hoftijzer-2009", "os_median", "Table 2"),
    ("ahmed-2011", "sd", "Table 2"), ("ahmed-2011", "pfs_median", "Table 2"), ("ahmed-2011", "os_median", "Table 2"),
    ("chen-2011", "os_median", "Table 2"), ("benekli-2014", "pr", "Table 2"), ("benekli-2014", "os_median", "Table 2"),
    ("dadu-2008", "pr", "Table 2"), ("dadu-2008", "sd", "Table 2"), ("dadu-2008", "pfs_median", "Table 2"),
    ("kim-2018", "os_median", "Table 2"), ("jerkovich-2019", "os_median", "Table 2"),
    ("decision", "os_median", "Table 2"), ("select", "os_median", "Table 3"),
    ("berdelou-2017", "os_median", "Table 3"), ("jasim-2017", "pfs_median", "Table 3"),
    ("jasim-2017", "os_median", "Table 3"), ("sugino-2018", "pfs_median", "Table 3"),
    ("sugino-2018", "os_median", "Table 3"), ("masaki-2019", "os_median", "Table 3"),
    ("jerkovich-2020", "os_median", "Table 3"),
]

# Every adverse-event 0 in the dataset, each printed as 0 in 002 Table 5.
PRINTED_AE_ZEROS = {
    ("radiant-2", "peripheral-edema"), ("radiant-2", "anorexia"), ("radiant-2", "pruritus"),
    ("radiant-3", "anorexia"), ("radiant-3", "headache"), ("radiant-3", "dysgeusia"), ("radiant-3", "epistaxis"),
    ("radiant-3", "weight-loss"), ("radiant-3", "vomiting"), ("radiant-3", "pruritus"), ("radiant-3", "cough"),
    ("radiant-4", "cough"),
}

# Every outcome 0 in the dataset: printed 0 (003 Table 3 CR column, 003 Table 1 withdrawal "0%")
# or a count of none (002 no death attributed); a source that says "none" in words is written `none`
# (001 "No CR or PR", 000 "no objective response").
PRINTED_OUTCOME_ZEROS = {
    ("berdelou-2017", "cr"), ("jasim-2017", "cr"), ("sugino-2018", "cr"), ("locati-2019", "cr"),
    ("lee-2019", "cr"), ("masaki-2019", "cr"), ("dabrafenib-nct00880321", "ae_discontinuation"),
    ("panzuto-everolimus-cup", "treatment_related_deaths"),
}


@pytest.mark.parametrize("dash", DASHES, ids=lambda d: f"{d[0]}:{d[2]}:{d[3]}")
def test_a_dash_is_not_a_figure(store, dash: tuple[str, str, str, str, str]) -> None:  # type: ignore[no-untyped-def]
    sid, arm, ae, column, locator = dash
    rows = [e for e in _arm(_study(store, sid), arm)["adverse_events"]
            if e["locator"] == locator and ae in ("*", e["ae_id"])]
    assert all(e["high_text" if column == "high" else "all_text"] is None for e in rows), rows


@pytest.mark.parametrize("dash", OUTCOME_DASHES, ids=lambda d: f"{d[0]}:{d[1]}")
def test_a_dashed_outcome_is_left_out(store, dash: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    sid, measure, locator = dash
    study = _study(store, sid)
    assert not [o for a in study["arms"] for o in a["outcomes"] if o["measure"] == measure and o["locator"] == locator]


def test_every_zero_is_printed_as_zero(store) -> None:  # type: ignore[no-untyped-def]
    ae_zeros, outcome_zeros = set(), set()
    for s in store.studies():
        for a in s["arms"]:
            for e in a["adverse_events"]:
                if "0" in (e["all_text"], e["high_text"]):
                    assert (e["source_id"], e["locator"]) == ("cmr2017", "Table 5"), e
                    ae_zeros.add((s["id"], e["ae_id"]))
            outcome_zeros |= {(s["id"], o["measure"]) for o in a["outcomes"] if o["value_text"] == "0"}
    assert ae_zeros == PRINTED_AE_ZEROS
    assert outcome_zeros == PRINTED_OUTCOME_ZEROS


def test_grade_columns_follow_the_table_headers(store) -> None:  # type: ignore[no-untyped-def]
    """003 Table 1 heads its column 'Serious AEs (grade >= 3)'; 002 Table 5 and 003 Tables 2-3 say grade 3-4.
    An empty cell (SELECT's decreased appetite in 003 Table 1) is under its column's heading too."""
    bands = {("wjco2022", "Table 1"): ">=3", ("wjco2022", "Table 2"): "3-4", ("wjco2022", "Table 3"): "3-4",
             ("cmr2017", "Table 5"): "3-4"}
    seen = set()
    for s in store.studies():
        for a in s["arms"]:
            for e in a["adverse_events"]:
                place = (e["source_id"], e["locator"])
                if place in bands:
                    assert e["high_band"] == bands[place], (s["id"], e["term"], place)
                    seen.add(place)
    assert seen == set(bands)


# --- adverse-event terms ------------------------------------------------------

def _used_terms(store: Any) -> set[str]:
    return {e["ae_id"] for s in store.studies() for a in s["arms"] for e in a["adverse_events"]}


def test_used_terms_have_a_ctcae_grade_table(store) -> None:  # type: ignore[no-untyped-def]
    """A term mapped to CTCAE shows its grades; a term CTCAE does not cover says why and shows none."""
    terms = {t["id"]: t for t in store.ae_terms()}
    for ident in _used_terms(store):
        t = terms[ident]
        grades = [t[f"grade{i}"] for i in range(1, 6)]
        if t["ctcae_term"]:
            assert any(grades), f"{ident}: CTCAE term {t['ctcae_term']} without a grade table"
        else:
            assert not any(grades), f"{ident}: grades without a CTCAE term"
            assert "CTCAE" in (t["definition"] or ""), f"{ident}: no reason given for the missing CTCAE term"


def test_ctcae_terms_codes_and_grades_match_the_reference(store) -> None:  # type: ignore[no-untyped-def]
    """Fails, never skips, without the reference table (../shared/data/ctcae_v5.0.csv)."""
    assert CTCAE_CSV.is_file(), f"the CTCAE v5.0 reference table {CTCAE_CSV} is missing: this test needs ../shared/data"
    with CTCAE_CSV.open(encoding="utf-8") as fh:
        reference = {r["CTCAE Term"]: r for r in csv.DictReader(fh)}
    assert len(reference) > 500, f"{CTCAE_CSV}: {len(reference)} terms, not the CTCAE v5.0 table"
    checked = [t for t in store.ae_terms() if t["ctcae_term"]]
    assert len(checked) > 10, "no adverse event of the dataset names a CTCAE term to check"
    for t in checked:
        row = reference.get(t["ctcae_term"])
        assert row, f"{t['id']}: {t['ctcae_term']!r} is not a CTCAE v5.0 term"
        assert (t["meddra"], t["soc"]) == (row["MedDRA Code"], row["MedDRA SOC"]), t["id"]
        defined = [row[f"Grade {i}"].strip() not in ("", "-") for i in range(1, 6)]
        assert [bool(t[f"grade{i}"]) for i in range(1, 6)] == defined, f"{t['id']}: grades differ from CTCAE"


# --- synonyms -----------------------------------------------------------------

def _synonyms() -> list[tuple[str, str, str]]:
    out = []
    for folder, kind in (("adverse_events", "adverse_event"), ("diseases", "disease"), ("drugs", "drug")):
        for path in sorted((SEEDS / folder).glob("*.yaml")):
            data = load_file(path)
            for name in data.get("synonyms") or []:
                out.append((kind, str(data["id"]), str(name)))
    return out


SYNONYMS = _synonyms()


def test_there_are_synonyms_to_check() -> None:
    assert len(SYNONYMS) > 50
    assert len({s[2].casefold() for s in SYNONYMS}) == len(SYNONYMS), "a synonym belongs to two entities"


@pytest.mark.parametrize("synonym", SYNONYMS, ids=lambda s: f"{s[1]}:{s[2]}")
def test_synonym_finds_its_entity(store, synonym: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    kind, ident, name = synonym
    hits = store.search(name, limit=10)
    assert any((h.kind, h.ref) == (kind, ident) for h in hits[:5]), [(h.kind, h.ref) for h in hits[:5]]


# --- contradiction and ambiguity notes ----------------------------------------

def _data_notes() -> tuple[Counter[str], dict[str, str], dict[str, str]]:
    """Rows per study id in docs/data-notes.md, the name each row shows, and the source section it sits in."""
    rows: Counter[str] = Counter()
    names: dict[str, str] = {}
    sections: dict[str, str] = {}
    section = ""
    for line in DATA_NOTES.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## .*\((\w+)\)\s*$", line)
        if heading:
            section = heading.group(1)
        row = re.match(r"\| (.+?) \(`([a-z0-9-]+)`\) \|", line)
        if row:
            rows[row.group(2)] += 1
            names[row.group(2)] = row.group(1)
            sections[row.group(2)] = section
    return rows, names, sections


def test_every_contradiction_and_ambiguity_is_listed_in_the_data_notes(store) -> None:  # type: ignore[no-untyped-def]
    expected: Counter[str] = Counter()
    studies = {s["id"]: s for s in store.studies()}
    for s in studies.values():
        for n in [*s["notes"], *(n for a in s["arms"] for n in a["notes"])]:
            if n["kind"] in ("contradiction", "ambiguity"):
                expected[s["id"]] += 1
    rows, names, sections = _data_notes()
    assert rows == expected
    for sid in expected:
        assert names[sid] == studies[sid]["name"], sid
        assert sections[sid] == studies[sid]["source_id"], sid
