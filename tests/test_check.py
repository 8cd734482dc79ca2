"""`tumorboard check` names the file and line of every problem a curator can make."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.samples import STUDY, write_study
from tumorboard.cli import main


def line_of(text: str, fragment: str) -> int:
    """The line of the last occurrence (a duplicate is reported where it repeats)."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert found, f"{fragment!r} not in the study text"
    return found[-1]


def run_check(seeds: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--seeds", str(seeds)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_valid_seeds_pass(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, STUDY)
    code, out = run_check(mini_seeds, capsys)
    assert code == 0, out
    assert out.startswith("ok:")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('{measure: orr, value: "40"}', '{measure: orr, value: "140"}', "outside 0-100"),
        ('{measure: orr, value: "40"}', "{measure: orr, value: {a: b}}", "must be a printed value, not a mapping"),
        ('{measure: orr, value: "40"}', '{measure: orr, value: "forty"}', "is not a printed number"),
        ('value: "0.34"', 'value: "-0.5"', "is not a printed number"),
        ('value: "0.34"', 'value: "0"', "must be above 0"),
        ("{drug: everolimus, dose: 10 mg}", "{drug: evrolimus, dose: 10 mg}", "unknown drug 'evrolimus'"),
        ("ae: stomatitis,", "ae: stomatits,", "unknown adverse-event term 'stomatits'"),
        ("diseases: [pnet]", "diseases: [pnett]", "unknown disease 'pnett'"),
        ("source: cmr2017", "source: nosuchsource", "unknown source 'nosuchsource'"),
        ("phase: \"3\"", "phase: \"7\"", "'phase' must be one of"),
        ('{measure: orr, value: "40"}', '{measure: orrr, value: "40"}', "unknown measure 'orrr'"),
        ("  - id: control", "  - id: drug", "duplicate arm"),
        ('{measure: pfs_median, value: "11.4", unit: months}', '{measure: pfs_median, value: "11.4"}', "needs 'unit:'"),
        ("title: A study", "titel: A study", "unknown key 'titel'"),
    ],
)
def test_errors_name_file_and_line(mini_seeds: Path, capsys: pytest.CaptureFixture[str], old: str, new: str,
                                   message: str) -> None:
    assert old in STUDY
    text = STUDY.replace(old, new, 1)
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    expected = f"seeds/studies/test-study.yaml:{line_of(text, new.strip())}:"
    matching = [line for line in out.splitlines() if line.startswith(expected)]
    assert matching, f"no error at {expected} in:\n{out}"
    assert any(message in line for line in matching), out


def test_missing_source_is_reported_at_the_figure(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = STUDY.replace("source: cmr2017\nat: Table 4\n", "")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    line = line_of(text, '{measure: pfs_median, value: "11.4"')
    assert f"seeds/studies/test-study.yaml:{line}: an outcome has no source" in out
    assert "seeds/studies/test-study.yaml:1: the study has no source" in out


def test_duplicate_study_id_names_the_second_file(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, STUDY)
    (mini_seeds / "studies" / "other.yaml").write_text(STUDY)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert "seeds/studies/other.yaml:1: id 'test-study' does not match the file name" in out
    assert "duplicate study id 'test-study'" in out


def test_yaml_syntax_error_names_line(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = STUDY.replace("  - id: control", "  - id: control\n    label: [unclosed", 1)
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert "seeds/studies/test-study.yaml:" in out and "YAML syntax" in out


def test_every_error_is_reported_not_just_the_first(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = STUDY.replace('value: "40"', 'value: "140"').replace("ae: stomatitis,", "ae: nothing,")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert "outside 0-100" in out and "unknown adverse-event term 'nothing'" in out
    assert "2 error(s)" in out


def test_bundled_seeds_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check"])
    out = capsys.readouterr()
    assert code == 0, out.err
