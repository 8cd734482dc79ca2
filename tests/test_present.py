"""The hard cases of figure text, on the shipped data, through db.presentation.present and the surfaces that use it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from db.compare.summaries import build_comparison
from db.presentation import present
from db.trials.table import trial_rows
from tests.samples import STUDY, write_study


def _comparison_hr(store, study_id: str):  # type: ignore[no-untyped-def]
    s = store.study(study_id)
    return present.reading(next(c for c in s["comparisons"] if c["measure"] == "pfs_hr" and c["preferred"]))


def test_select_99_and_cosmic_96_percent_intervals_keep_their_level(store) -> None:  # type: ignore[no-untyped-def]
    select, cosmic = _comparison_hr(store, "select"), _comparison_hr(store, "cosmic-311")
    assert present.interval_text(select) == "99% CI 0.14–0.31"
    assert present.interval_text(cosmic) == "96% CI 0.13–0.36"
    rows = {r.id: r for r in trial_rows(store)}
    assert "99% CI 0.14–0.31" in rows["select"].hr_text
    assert "96% CI 0.13–0.36" in rows["cosmic-311"].hr_text
    snippets = dict(store.conn.execute("SELECT ref, snippet FROM search_docs WHERE kind = 'study'").fetchall())
    assert "99% CI" in snippets["select"] and "96% CI" in snippets["cosmic-311"]
    c = build_comparison(store, "rair-dtc", ["lenvatinib", "cabozantinib"])
    text = "\n".join(c.cell_text(c.topics.index("studies"), i) for i in range(2))
    assert "HR for PFS 0.21 (99% CI 0.14–0.31" in text and "0.22 (96% CI 0.13–0.36" in text
    assert "95% CI 0.14" not in text and "95% CI 0.13" not in text


def test_no_interval_is_called_a_95_percent_ci_unless_its_level_is_95(store) -> None:  # type: ignore[no-untyped-def]
    for s in store.studies():
        for o in [*s["comparisons"], *(o for a in s["arms"] for o in a["outcomes"])]:
            shown = present.text(present.reading(o), "line")
            assert ("95% CI" in shown) == (o["ci_level"] == "95"), (s["id"], shown)


def test_decision_shows_10_8_months_first_and_12_2_only_as_the_marked_other_reading(store) -> None:  # type: ignore[no-untyped-def]
    row = next(r for r in trial_rows(store) if r.id == "decision")
    assert row.pfs_text.startswith("10.8 months⚠")
    pfs = present.main(store.study("decision")["arms"][0]["outcomes"], "pfs_median")
    full = present.text(present.reading(pfs), "full")
    assert full.startswith("10.8 months⚠") and "other readings: 12.2 months (Table 1)⚠" in full
    c = build_comparison(store, "rair-dtc", ["sorafenib", "lenvatinib"])
    cell = c.cell_text(c.topics.index("studies"), 0)
    assert "median PFS 10.8 months⚠" in cell and "12.2 months" not in cell
    assert [b.text.split("⚠")[0] for b in c.pfs_bars if b.group.startswith("DECISION") and not b.control] == [
        "10.8 months"]


def test_weeks_stay_weeks_and_words_take_no_unit(store) -> None:  # type: ignore[no-untyped-def]
    snippet = store.conn.execute("SELECT snippet FROM search_docs WHERE ref = 'selumetinib-rair-dtc-phase2'").fetchone()
    assert "32 weeks" in snippet[0] and "32 months" not in snippet[0]
    nr = present.Reading("pfs_median", "Median PFS", "time", "NR", None, "not reached", "months")
    assert present.value_text(nr) == "NR (not reached)"
    assert present.value_text(present.Reading("ae_high", "grade 3–4", "percent", "<1", 1.0, "<")) == "<1%"


def test_a_rate_printed_with_its_percent_sign_gets_no_second_one() -> None:
    """A seed may print a rate as '40%' (db/dataset/figures.py keeps the sign in the text) or as '40'."""
    for printed in ("40%", "40"):
        r = present.reading({"measure": "orr", "value_text": printed, "value": 40.0})
        assert present.text(r, "value") == "40%", printed


def test_counts_say_whom_they_count(store) -> None:  # type: ignore[no-untyped-def]
    select = store.study("select")
    assert present.count_text(present.count(select, "enrolled")).startswith("n=261 (scope not stated)⚠")
    assert present.count_text(present.count(store.study("radiant-3"), "enrolled")) == "n=410 randomised"
    assert present.count_text(None) == "n not reported"
    decision = store.study("decision")
    arm = next(a for a in decision["arms"] if a["key"] == "sorafenib")
    assert present.count_text(present.count(arm, "n")).startswith("n=207 in this arm")


def test_the_handout_resolves_every_mark_on_the_same_document(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if subprocess.run(["which", "pdftotext"], capture_output=True).returncode:
        pytest.fail("pdftotext (poppler-utils) is needed: .ci/run installs it")
    from handout.document import write_handout

    c = build_comparison(store, "rair-dtc", ["lenvatinib", "sorafenib", "cabozantinib"])
    out = write_handout(store, c, tmp_path / "h.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    body, _, notes = text.partition("Caveats (the marks beside figures above)")
    assert "10.8 months⚠" in body and "99% CI 0.14–0.31" in body and "96% CI 0.13–0.36" in body
    import re

    marks = set(re.findall(r"[⚠†]\d+", body))
    assert marks, "the handout shows no caveat mark"
    for mark in marks:
        assert re.search(rf"^\s*{mark} ", notes, flags=re.M), f"{mark} has no text on the handout"


def _check(seeds: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tumorboard", "check", "--seeds", str(seeds)],
                          capture_output=True, text=True)


@pytest.mark.parametrize(("change", "message"), [
    (("enrolled: {value: \"100\", scope: randomised}", "enrolled: \"100\""), "'enrolled' needs a scope"),
    (("value: \"0.34\",", "value: \"0.34\", ci: [\"0.26\", \"0.44\"],"), "an interval needs 'ci_level:'"),
    (("      - {measure: orr, value: \"40\"}",
      "      - {measure: orr, value: \"40\"}\n      - {measure: orr, value: \"41\", at: Abstract}"),
     "has 2 readings"),
    (("comparisons:", "notes:\n  - {kind: ambiguity, text: Unclear., figures: [drug/os_median]}\ncomparisons:"),
     "note names figure 'drug/os_median'"),
    (("comparisons:", "notes:\n  - {kind: contradiction, text: Two values.}\ncomparisons:"),
     "a contradiction note needs 'figures:'"),
])
def test_check_refuses_figures_a_surface_could_not_show_truthfully(mini_seeds: Path, change: tuple[str, str],
                                                                    message: str) -> None:
    old, new = change
    assert old in STUDY
    write_study(mini_seeds, STUDY.replace(old, new))
    proc = _check(mini_seeds)
    assert proc.returncode == 1 and message in proc.stderr and "test-study.yaml:" in proc.stderr, proc.stderr


def test_check_warns_where_a_count_does_not_fit_its_denominator(mini_seeds: Path) -> None:
    study = STUDY.replace('      - {measure: orr, value: "40"}', '      - {measure: orr, value: "40", count: "30"}')
    study = study.replace("    role: experimental\n", '    role: experimental\n    n: {value: "50", scope: arm}\n')
    write_study(mini_seeds, study)
    proc = _check(mini_seeds)
    assert proc.returncode == 0 and "orr 40% with count 30 does not fit n=50" in proc.stderr
    write_study(mini_seeds, study.replace('count: "30"', 'count: "20"'))
    assert "does not fit" not in _check(mini_seeds).stderr
