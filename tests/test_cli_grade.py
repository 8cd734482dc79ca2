"""`tumorboard grade`: the grade, the deciding rule and the edition, or a clear usage error."""

from __future__ import annotations

import json

import pytest

from db.store import Store
from tumorboard import dataset
from tumorboard.cli import main


@pytest.fixture(autouse=True)
def bundled(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset, "open_dataset", lambda: store)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["grade", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_grade_prints_grade_rule_edition_and_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--site", "gep", "--ki67", "14", "--mitoses", "3"], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Grade:   G2 (NET, grade 2 (intermediate grade))"
    assert lines[1] == "Rule:    Ki-67 14% falls in 3–20% (G2); mitoses 3 per 10 HPF fall in 2–20 (G2); concordant"
    assert lines[2] == "Edition: WHO 2010 / ENETS (who-enets-2010-gep)"
    assert lines[3] == "Source:  Cancer Manag Res 2017, Table 1"


def test_lung_and_necrosis(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--site", "lung", "--mitoses", "1", "--necrosis", "punctate"], capsys)
    assert code == 0
    assert "Grade:   AC (Atypical carcinoid" in out and "the higher category applies" in out


def test_undecided_g3_or_nec_says_differentiation_decides(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--ki67", "30", "--edition", "2019"], capsys)
    assert code == 0 and "Grade:   G3 or NEC" in out and "differentiation decides" in out
    code, out, _ = run(["--ki67", "30", "--edition", "2019", "--differentiation", "poor"], capsys)
    assert "Grade:   NEC" in out


def test_edition_by_prefix_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--ki67", "25", "--mitoses", "3", "--edition", "2010", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["system"] == "who-enets-2010-gep" and data["grade"] == "G3" and data["concordant"] is False
    assert data["rule"].endswith("discordant, the higher grade applies (WHO 2010 / ENETS)")
    assert data["source"]["locator"] == "Table 1"
    assert [f["criterion"] for f in data["findings"]] == ["ki67", "mitoses"]


def test_missing_criterion_is_noted(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["--ki67", "5"], capsys)
    assert "note: mitoses not given" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--ki67", "120"], "between 0 and 100"),
    (["--mitoses", "-2"], "cannot be negative"),
    (["--site", "gep", "--edition", "1999", "--ki67", "3"], "no gep edition matches '1999'"),
    (["--edition", "who", "--ki67", "3"], "ambiguous"),
    (["--site", "gep"], "give at least one criterion"),
    (["--site", "gep", "--edition", "who-2015-lung-thymus", "--mitoses", "1"], "is a lung system"),
])
def test_bad_input_is_a_usage_error(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert err.startswith("tumorboard grade: error: ") and message in err


@pytest.mark.parametrize("args", [["--ki67", "abc"], ["--site", "skin"], ["--necrosis", "some"]])
def test_unparsable_arguments_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["grade", *args])
    assert exc.value.code == 2
    assert "tumorboard grade: error:" in capsys.readouterr().err
