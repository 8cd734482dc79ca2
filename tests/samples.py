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
design:
  allocation: randomised
  groups: "2"
  group_kind: arms
  blinding: double-blind
  text: Randomised, double-blind, placebo-controlled
  at: Table 4
population:
  text: adults with advanced pancreatic NET after earlier therapy
  line: {value: later, at: Table 4}
  prior:
    - {class: ssa, rule: allowed, share: "50%", at: Table 4}
  markers: not stated
  functional: {value: nonfunctional, at: Table 4}
endpoints:
  primary: {measure: pfs, text: progression-free survival, result: met, at: Table 4}
  crossover: not stated
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


# The three objects every study needs, as little as a test study can say (the source is silent).
SILENT = """\
design: {allocation: not stated, groups: not stated, blinding: not stated}
population: {line: not stated, prior: not stated, markers: not stated}
endpoints: {primary: not stated}
"""


def write_study(seeds: Path, text: str = STUDY, name: str = "test-study") -> Path:
    path = seeds / "studies" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
