"""A small study that tests write into a seed folder and then change."""

from __future__ import annotations

from pathlib import Path

STUDY = """\
id: test-study
acronym: TEST-1
title: A study written by the test suite
phase: "3"
kind: randomized trial
status: completed
diseases: [pnet]
source: cmr2017
at: Table 4
enrolled: {value: "100", scope: randomised}
arms:
  - id: drug
    label: Everolimus
    role: experimental
    regimen:
      - {drug: everolimus, dose: 10 mg}
    outcomes:
      - {measure: pfs_median, value: "11.4", unit: months}
      - {measure: orr, value: "40"}
    adverse_events:
      - {term: Stomatitis, ae: stomatitis, all_grade: "64", grade_3_4: "7"}
  - id: control
    label: Placebo
    role: control
    regimen:
      - {drug: placebo}
comparisons:
  - {measure: pfs_hr, arm: drug, vs: control, value: "0.34", p: "<0.0001"}
"""


def write_study(seeds: Path, text: str = STUDY, name: str = "test-study") -> Path:
    path = seeds / "studies" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
