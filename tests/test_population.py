"""Who each study treated, how it was built, what it set out to show (docs/seed-format.md, last
section): read with file and line, checked, stored, exported, counted, diffed; drug classes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from db.building.build import build
from db.export import CSV_COLUMNS, FORMAT, dataset_object, export_csv
from db.presentation.evidence import design_text
from db.releases.diff import diff
from db.releases.serve import serving_rows
from db.store import Store
from tests.conftest import SEEDS
from tests.samples import STUDY, write_study
from tumorboard.cli import main

FILE = "seeds/studies/test-study.yaml"
PRIOR = '    - {class: ssa, rule: allowed, share: "50%", at: Table 4}\n'


def line_of(text: str, fragment: str) -> int:
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert found, f"{fragment!r} not in the study text"
    return found[0]


def run_check(seeds: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", "--seeds", str(seeds), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def add_thyroid(seeds: Path) -> None:
    for name in ("thyroid-cancer", "dtc", "rair-dtc"):
        shutil.copy(SEEDS / "diseases" / f"{name}.yaml", seeds / "diseases" / f"{name}.yaml")


def assert_error(out: str, line: int, message: str, file: str = FILE) -> None:
    at = [x for x in out.splitlines() if x.startswith(f"{file}:{line}:")]
    assert any(message in x for x in at), f"no '{message}' at {file}:{line} in:\n{out}"


def test_the_sample_study_with_all_three_objects_passes(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, STUDY)
    code, out = run_check(mini_seeds, capsys)
    assert code == 0, out


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        ("line: {value: later", "line: {value: latr", "line: {value: latr",
         "'value' must be one of first, later, mixed, not stated; got 'latr'"),
        ("line: {value: later, at: Table 4}", "line: {value: later}", "line: {value: later}",
         "'line' has no locator: add 'at:'"),
        ("line: {value: later, at: Table 4}", "line: later", "line: later",
         "'line' must be 'not stated' or {value: ..., at: ...}"),
        ("{class: ssa,", "{class: ssb,", "{class: ssb,", "unknown class 'ssb' (not in therapy-classes.yaml)"),
        ("rule: allowed", "rule: maybe", "rule: maybe", "'rule' must be one of required, allowed, excluded"),
        ("  markers: not stated\n", "  markers:\n    - {marker: braf-v601, rule: required, at: Table 1}\n",
         "braf-v601", "unknown marker 'braf-v601' (not in markers.yaml)"),
        ("  markers: not stated\n", "  markers:\n    - {marker: braf-v600e, rule: tested, at: Table 1}\n",
         "rule: tested", "'rule' must be one of required, excluded"),
        ("  markers: not stated\n", "", "population:", "'population' needs 'markers:'"),
        ("  markers: not stated\n", "  markers: unknown\n", "markers: unknown",
         "'markers' must be 'not stated' or a list"),
        ("allocation: randomised", "allocation: random", "allocation: random", "'allocation' must be one of"),
        ("  group_kind: arms\n", "", "groups:", "'groups' needs 'group_kind:'"),
        ('groups: "2"', "groups: two", "groups: two", "'groups' is the number of arms, cohorts or strata"),
        ("  at: Table 4\npopulation:", "population:", "design:", "'design' has no locator"),
        ("result: met,", "result: success,", "result: success", "'result' must be one of met, not met"),
        ("  primary: {measure: pfs, text: progression-free survival, result: met, at: Table 4}\n", "",
         "endpoints:", "'endpoints' needs 'primary:'"),
        ("  crossover: not stated\n", "  crossover: not stated\n  overall: not stated\n", "overall:",
         "unknown key 'overall' in 'endpoints'"),
        ("{measure: pfs_hr, arm: drug, vs: control,", "{measure: pfs_hr, arm: control, vs: drug,", "arm: control",
         "a comparison runs from an experimental, cohort, stratum or single arm to a control arm; "
         "'control' is control, 'drug' is experimental"),
        ("    role: experimental\n", "    role: experimental\n    population: {line: not stated}\n",
         "population: {line", "arm 'drug' is a experimental arm: only a cohort or stratum arm has its own"),
        ("    role: experimental\n", "    role: chosen\n", "role: chosen",
         "'role' must be one of experimental, control, single, cohort, stratum, pooled"),
    ],
)
def test_errors_in_the_three_objects_name_file_and_line(mini_seeds: Path, capsys: pytest.CaptureFixture[str],
                                                        old: str, new: str, at: str, message: str) -> None:
    assert old in STUDY
    text = STUDY.replace(old, new, 1)
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, line_of(text, at), message)


def test_first_line_with_a_required_earlier_class_is_an_error(mini_seeds: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = STUDY.replace("line: {value: later", "line: {value: first").replace(
        'rule: allowed, share: "50%"', "rule: required")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, line_of(text, "{class: ssa"), "earlier 'ssa' is required, but the population's line is 'first'")


def test_a_cohort_inherits_the_line_it_contradicts(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The study says first line; a cohort that requires an earlier class contradicts it (its own line unset)."""
    text = (STUDY.replace("line: {value: later", "line: {value: first").replace(PRIOR, "")
            .replace("  prior:\n", "  prior: not stated\n")
            .replace("    role: experimental\n", "    role: cohort\n    population:\n      prior:\n"
                     "        - {class: mtor, rule: required, at: Table 4}\n"))
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, line_of(text, "{class: mtor"), "earlier 'mtor' is required, but the population's line is")


@pytest.mark.parametrize("kind, allocation", [("randomized trial", "not stated"),
                                              ("randomized trial", "non-randomised"),
                                              ("non-randomized trial", "randomised")])
def test_a_kind_claiming_an_allocation_the_design_does_not_state_is_an_error(
        mini_seeds: Path, capsys: pytest.CaptureFixture[str], kind: str, allocation: str) -> None:
    """DECISION and SELECT were 'randomized trial' while their design said 'allocation: not stated': the
    evidence order ranked them as randomised phase 3 and the design text said otherwise."""
    text = STUDY.replace("kind: randomized trial", f"kind: {kind}").replace(
        "  allocation: randomised", f"  allocation: {allocation}")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, line_of(text, f"kind: {kind}"), f"'kind: {kind}' says the allocation is")


def test_a_single_arm_kind_needs_no_stated_allocation(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'single-arm trial' says how many arms the source lists, not how patients were allocated."""
    text = STUDY.replace("kind: randomized trial", "kind: single-arm trial").replace(
        "  allocation: randomised", "  allocation: not stated")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 0 and "says the allocation is" not in out, out


def test_a_class_both_required_and_excluded_is_an_error(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    excluded = "    - {class: ssa, rule: excluded, at: Table 1}\n"
    text = STUDY.replace(PRIOR, PRIOR.replace("allowed", "required") + excluded)
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, line_of(text, "rule: excluded"), "class 'ssa' is both required and excluded")


def test_net_fields_outside_a_net_disease_are_errors(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_thyroid(mini_seeds)
    text = STUDY.replace("diseases: [pnet]", "diseases: [rair-dtc]").replace("  functional:",
                                                                             "  sstr: not stated\n  functional:")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    for key in ("functional:", "sstr:"):
        assert_error(out, line_of(text, key), "is for a study in a neuroendocrine disease")


def test_a_required_marker_outside_thyroid_or_tumour_agnostic_studies_is_a_warning(
        mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = STUDY.replace("  markers: not stated\n",
                         "  markers:\n    - {marker: braf-v600e, rule: required, at: Table 1}\n")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 0, out
    assert_error(out, line_of(text, "braf-v600e"), "marker 'braf-v600e' is required, but none of the study's "
                                                    "diseases is under thyroid-cancer or solid-tumours")
    add_thyroid(mini_seeds)
    write_study(mini_seeds, text.replace("diseases: [pnet]", "diseases: [rair-dtc]").replace(
        "  functional: {value: nonfunctional, at: Table 4}\n", ""))
    code, out = run_check(mini_seeds, capsys)
    assert code == 0 and "warning" not in out, out


SINGLE = STUDY.split("  - id: control")[0].replace("role: experimental", "role: pooled")


def test_a_pooled_arm_alone_is_an_error(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, SINGLE)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, line_of(SINGLE, "  - id: drug"), "arm 'drug' is pooled but the study's only arm")


@pytest.mark.parametrize("key", ["design", "population", "endpoints"])
def test_every_study_needs_the_three_objects(mini_seeds: Path, capsys: pytest.CaptureFixture[str], key: str) -> None:
    start = STUDY.index(f"{key}:\n")
    end = min(i for k in ("design:\n", "population:\n", "endpoints:\n", "arms:\n")
              if (i := STUDY.find(k, start + 1)) > start)
    write_study(mini_seeds, STUDY[:start] + STUDY[end:])
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, 1, f"a study needs '{key}:'")


def test_the_old_one_line_design_and_line_keys_are_refused(mini_seeds: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    start, end = STUDY.index("design:\n"), STUDY.index("population:\n")
    text = STUDY[:start] + "design: Randomised, double-blind\nline: Second line\n" + STUDY[end:]
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, line_of(text, "design: Randomised"), "'design' must be a mapping")
    assert_error(out, line_of(text, "line: Second line"), "unknown key 'line' in a study")


def test_drug_classes_are_required_and_from_the_vocabulary(mini_seeds: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    drug = mini_seeds / "drugs" / "everolimus.yaml"
    text = drug.read_text(encoding="utf-8")
    assert "classes: [mtor]\n" in text
    drug.write_text(text.replace("classes: [mtor]\n", "classes: [mtor, rapalog]\n"), encoding="utf-8")
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, line_of(text, "classes:"), "unknown therapy class 'rapalog'", "seeds/drugs/everolimus.yaml")
    drug.write_text(text.replace("classes: [mtor]\n", ""), encoding="utf-8")
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert_error(out, 1, "a drug needs 'classes:'", "seeds/drugs/everolimus.yaml")


COHORTS = STUDY.replace("    role: experimental\n", "    role: cohort\n    population:\n"
                        "      text: after an mTOR inhibitor\n"
                        "      prior:\n        - {class: mtor, rule: required, at: Table 2, source: wjco2022}\n")


@pytest.fixture
def built(mini_seeds: Path, tmp_path: Path) -> Store:
    write_study(mini_seeds, COHORTS)
    target = tmp_path / "d.sqlite3"
    build(mini_seeds, target)
    return Store(target)


def test_store_study_returns_the_objects_with_sources_and_locators(built: Store) -> None:
    s = built.study("test-study")
    assert s is not None
    assert s["design"] == {"allocation": "randomised", "groups": "2", "group_kind": "arms", "blinding": "double-blind",
                           "text": "Randomised, double-blind, placebo-controlled", "source": "cmr2017",
                           "at": "Table 4"}
    assert s["population"] == {
        "text": "adults with advanced pancreatic NET after earlier therapy",
        "line": {"value": "later", "source": "cmr2017", "at": "Table 4"},
        "prior": [{"class": "ssa", "rule": "allowed", "share": "50%", "source": "cmr2017", "at": "Table 4"}],
        "markers": "not stated", "functional": {"value": "nonfunctional", "source": "cmr2017", "at": "Table 4"}}
    assert s["endpoints"] == {"primary": {"measure": "pfs", "result": "met", "text": "progression-free survival",
                                          "source": "cmr2017", "at": "Table 4"}, "crossover": "not stated"}
    assert [(a["key"], a["role"], a["population"]) for a in s["arms"]] == [
        ("drug", "cohort", {"text": "after an mTOR inhibitor", "prior": [
            {"class": "mtor", "rule": "required", "source": "wjco2022", "at": "Table 2"}]}),
        ("control", "control", None)]
    built.close()


def test_drug_classes_are_stored(built: Store, store: Store) -> None:
    assert built.classes_of("everolimus") == ["mtor"] and built.classes_of("placebo") == []
    assert built.classes_of("no-such-drug") == []
    built.close()
    assert store.classes_of("lenvatinib") == ["vegfr-mki"] and store.classes_of("lutetium-dotatate") == ["prrt"]
    assert {d["id"]: d["classes"] for d in store.drugs()}["octreotide"] == ["ssa"]


def test_the_export_carries_the_objects_roles_and_classes(built: Store) -> None:
    data = dataset_object(built)
    assert data["format"] == FORMAT == "tumorboard-dataset/2"
    [s] = data["studies"]
    assert "line" not in s and "prior_therapy" not in s
    assert list(s["design"]) == ["allocation", "groups", "group_kind", "blinding", "text", "note", "source", "at"]
    assert list(s["population"]) == ["text", "line", "prior", "markers", "functional", "sstr", "grades",
                                     "progression"]
    assert list(s["endpoints"]) == ["primary", "secondary", "os", "crossover"]
    assert s["population"]["line"] == {"value": "later", "source": "cmr2017", "at": "Table 4"}
    assert s["population"]["sstr"] is None and s["endpoints"]["crossover"] == "not stated"
    assert s["design_label"] == "randomised phase 3"
    assert [(a["id"], a["role"]) for a in s["arms"]] == [("drug", "cohort"), ("control", "control")]
    assert s["arms"][0]["population"]["prior"][0]["source"] == "wjco2022"
    assert "wjco2022" in s["sources"]
    assert {d["id"]: d["classes"] for d in data["drugs"]} == {"everolimus": ["mtor"], "placebo": []}
    out = io.StringIO()
    export_csv(built, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert set(CSV_COLUMNS) >= {"line", "prior_classes", "markers", "primary_endpoint", "primary_result"}
    pfs = next(r for r in rows if r["measure"] == "pfs_median")
    assert (pfs["line"], pfs["prior_classes"], pfs["markers"], pfs["primary_endpoint"], pfs["primary_result"]) == (
        "later", "mtor required", "not stated", "pfs", "met")  # the cohort's own prior classes
    enrolled = next(r for r in rows if r["measure"] == "enrolled")  # the study's own
    assert (enrolled["line"], enrolled["prior_classes"]) == ("later", "ssa allowed (50%)")
    built.close()


def test_every_bundled_study_exports_the_three_objects(store: Store) -> None:
    data = dataset_object(store)
    for s in data["studies"]:
        for key in ("design", "population", "endpoints"):
            assert isinstance(s[key], dict), (s["id"], key)
        assert s["design"]["at"] or all(s["design"][k] == "not stated" for k in ("allocation", "groups", "blinding"))
        for entry in [*s["population"].values(), *s["endpoints"].values()]:
            for item in entry if isinstance(entry, list) else [entry]:
                if isinstance(item, dict):
                    assert item["source"] and item["at"], (s["id"], item)
        assert all(a["role"] and "population" in a for a in s["arms"])


def test_check_coverage_counts_each_field(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, STUDY)
    code, out = run_check(mini_seeds, capsys, "--coverage")
    assert code == 0, out
    rows = {line.split()[0] if not line.startswith("primary result") else "primary result": line.split()[-3:]
            for line in out.split("Who was treated")[1].splitlines()[2:]}
    assert rows == {
        "line": ["1", "0", "0"], "prior": ["1", "0", "0"], "markers": ["0", "1", "0"], "functional": ["1", "0", "0"],
        "sstr": ["0", "0", "1"], "grades": ["0", "0", "1"], "progression": ["0", "0", "1"],
        "primary result": ["1", "0", "0"], "os": ["0", "0", "1"], "crossover": ["0", "1", "0"],
        "allocation": ["1", "0", "0"], "groups": ["1", "0", "0"], "blinding": ["1", "0", "0"]}


@pytest.mark.parametrize(
    ("phase", "kind", "design", "label"),
    [
        ("3", "randomized trial", {"allocation": "randomised", "groups": "2", "group_kind": "arms"},
         "randomised phase 3"),
        ("2", "non-randomized trial", {"allocation": "non-randomised", "groups": "3", "group_kind": "arms"},
         "non-randomised phase 2, 3 arms"),
        ("2", "single-arm trial", {"allocation": "single-arm", "groups": "1", "group_kind": "arms"},
         "single-arm phase 2"),
        ("2", "single-arm trial", {"allocation": "not stated"}, "phase 2"),  # never single-arm from the kind
        ("1", "trial, design not stated", {"allocation": "not stated"}, "phase 1"),
        ("2", "randomized trial", {"allocation": "randomised", "groups": "3", "group_kind": "arms"},
         "randomised phase 2, 3 arms"),
        ("2", "trial, design not stated", {"allocation": "not stated", "groups": "3", "group_kind": "arms"},
         "phase 2, 3 arms (allocation not stated)"),  # LUNA: never single-arm, never randomised
        ("3", "randomized trial", {"allocation": "not stated", "groups": "2", "group_kind": "arms"},
         "phase 3, 2 arms (allocation not stated)"),  # not randomised from the kind either
        ("2", "single-arm trial", {"allocation": "single-arm", "groups": "2", "group_kind": "cohorts"},
         "single-arm phase 2, 2 cohorts"),
        ("observational", "real-world series", {"allocation": "not stated"}, "observational"),
        ("not stated", "trial, design not stated", None, "design not stated"),
    ],
)
def test_the_design_label(phase: str, kind: str, design: dict[str, str] | None, label: str) -> None:
    assert design_text({"phase": phase, "kind": kind, "design": design}) == label


def test_the_served_studies_table_has_the_design_label_line_and_markers(built: Store, store: Store) -> None:
    [row] = serving_rows(built, "")["studies"]
    assert (row["design"], row["line"], row["markers"]) == ("randomised phase 3", "later", "not stated")
    built.close()
    rows = {r["id"]: r for r in serving_rows(store, "")["studies"]}
    # SELECT's source never says how patients were allocated: the label does not say randomised either
    assert (rows["select"]["design"], rows["select"]["line"]) == ("phase 3, 2 arms (allocation not stated)",
                                                                 "mixed (25%)")
    assert rows["vemurafenib-ptc-phase2"]["design"] == "non-randomised phase 2, 2 cohorts"
    assert rows["vemurafenib-ptc-phase2"]["markers"] == "braf-v600e required"


def test_the_release_diff_lists_a_changed_field_like_a_figure(mini_seeds: Path, tmp_path: Path) -> None:
    write_study(mini_seeds, STUDY)
    build(mini_seeds, tmp_path / "old.sqlite3")
    write_study(mini_seeds, STUDY.replace("line: {value: later, at: Table 4}",
                                          "line: {value: mixed, share: \"25%\", at: Table 3, note: Unclear.}")
                .replace("result: met,", "result: not met,"))
    build(mini_seeds, tmp_path / "new.sqlite3")
    d = diff(tmp_path / "old.sqlite3", tmp_path / "new.sqlite3")
    changes = {f.figure_id: f for f in d.figures_changed}
    # the HR's text changes with it: it now says the primary end point was not met
    assert set(changes) == {"test-study/population/line", "test-study/endpoints/primary",
                            "test-study/drug-vs-control/pfs_hr"}
    assert "primary end point not met" in changes["test-study/drug-vs-control/pfs_hr"].new
    line = changes["test-study/population/line"]
    assert (line.old, line.new, line.old_source, line.new_source) == (
        "later", "mixed (25%) ⚠", "cmr2017, Table 4", "cmr2017, Table 3")
    assert (changes["test-study/endpoints/primary"].old, changes["test-study/endpoints/primary"].new) == (
        "pfs: met", "pfs: not met")
    assert [(c.figure_id, c.kind, c.text) for c in d.caveats_added] == [
        ("test-study/population/line", "ambiguity", "Unclear.")]
    assert d.details_changed == ()
