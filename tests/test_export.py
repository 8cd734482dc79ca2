"""Export: the JSON form carries every seeded figure exactly as printed; CSV has one row per figure."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from db.building.build import build
from db.dataset.model import Dataset
from db.dataset.seeds import read_dataset
from db.export import CSV_COLUMNS, FORMAT, export_csv, export_json
from db.store import Store
from tests.conftest import SEEDS
from tests.samples import STUDY, write_study
from tumorboard.cli import main


def _expected_figures(ds: Dataset) -> list[tuple[str, ...]]:
    """(study, arm, kind, measure, printed value, source, at) for every figure in the seeds."""
    rows: list[tuple[str, ...]] = []
    for s in ds.studies:
        for key, fig in (("enrolled", s.enrolled), ("evaluable", s.evaluable)):
            if fig:
                rows.append((s.id, "", "count", key, fig.figure.text, fig.cite.source, fig.cite.at))
        for a in s.arms:
            if a.n:
                rows.append((s.id, a.key, "count", "n", a.n.figure.text, a.n.cite.source, a.n.cite.at))
            for o in a.outcomes:
                rows.append((s.id, a.key, o.measure, o.timepoint or "", o.value.text, o.cite.source, o.cite.at))
                for part, fig in (("ci_low", o.ci_low), ("ci_high", o.ci_high), ("p", o.p)):
                    if fig:
                        rows.append((s.id, a.key, o.measure, part, fig.text, o.cite.source, o.cite.at))
            for ae in a.adverse_events:
                if ae.all_grade:
                    rows.append((s.id, a.key, "ae", ae.ae + ":all", ae.all_grade.text, ae.cite.source, ae.cite.at))
                if ae.high_grade:
                    rows.append((s.id, a.key, "ae", f"{ae.ae}:{ae.high_band}", ae.high_grade.text, ae.cite.source,
                                 ae.cite.at))
        for c in s.comparisons:
            rows.append((s.id, f"{c.arm}|{c.vs}", c.measure, c.timepoint or "", c.value.text, c.cite.source, c.cite.at))
            for part, fig in (("ci_low", c.ci_low), ("ci_high", c.ci_high), ("p", c.p)):
                if fig:
                    rows.append((s.id, f"{c.arm}|{c.vs}", c.measure, part, fig.text, c.cite.source, c.cite.at))
    return rows


def _exported_figures(data: dict) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    rows: list[tuple[str, ...]] = []

    def outcome(sid: str, arm: str, o: dict) -> None:  # type: ignore[type-arg]
        rows.append((sid, arm, o["measure"], o["timepoint"] or "", o["value"], o["source"], o["at"]))
        if o["ci"]:
            for part, fig in zip(("ci_low", "ci_high"), o["ci"], strict=True):
                if fig:
                    rows.append((sid, arm, o["measure"], part, fig["value"], o["source"], o["at"]))
        if o["p"] is not None:
            rows.append((sid, arm, o["measure"], "p", o["p"], o["source"], o["at"]))

    for s in data["studies"]:
        for key in ("enrolled", "evaluable"):
            if s[key]:
                rows.append((s["id"], "", "count", key, s[key]["value"], s[key]["source"], s[key]["at"]))
        for a in s["arms"]:
            if a["n"]:
                rows.append((s["id"], a["id"], "count", "n", a["n"]["value"], a["n"]["source"], a["n"]["at"]))
            for o in a["outcomes"]:
                outcome(s["id"], a["id"], o)
            for ae in a["adverse_events"]:
                if ae["all_grade"]:
                    rows.append((s["id"], a["id"], "ae", ae["ae"] + ":all", ae["all_grade"]["value"], ae["source"],
                                 ae["at"]))
                for key, band in (("grade_3_4", "3-4"), ("grade_3_plus", ">=3")):
                    if ae.get(key):
                        rows.append((s["id"], a["id"], "ae", f"{ae['ae']}:{band}", ae[key]["value"], ae["source"],
                                     ae["at"]))
        for c in s["comparisons"]:
            outcome(s["id"], f"{c['arm']}|{c['vs']}", c)
    return rows


def _roundtrip(seeds: Path, tmp_path: Path) -> tuple[list[tuple[str, ...]], dict]:  # type: ignore[type-arg]
    target = tmp_path / "dataset.sqlite3"
    build(seeds, target)
    out = io.StringIO()
    store = Store(target)
    export_json(store, out)
    store.close()
    ds, errors = read_dataset(seeds)
    assert errors == []
    return _expected_figures(ds), json.loads(out.getvalue())


def test_json_round_trips_every_figure_of_a_small_study(mini_seeds: Path, tmp_path: Path) -> None:
    write_study(mini_seeds)
    expected, data = _roundtrip(mini_seeds, tmp_path)
    assert data["format"] == FORMAT
    assert sorted(expected) == sorted(_exported_figures(data))
    assert ("test-study", "drug", "pfs_median", "", "11.4", "cmr2017", "Table 4") in expected


def test_json_round_trips_every_figure_of_the_bundled_dataset(tmp_path: Path) -> None:
    expected, data = _roundtrip(SEEDS, tmp_path)
    assert len(expected) > 50
    assert sorted(expected) == sorted(_exported_figures(data))
    study_ids = [s["id"] for s in data["studies"]]
    assert "radiant-3" in study_ids
    source_ids = {s["id"] for s in data["sources"]}
    for s in data["studies"]:
        assert set(s["sources"]) <= source_ids


def test_json_keeps_printed_precision_and_qualifiers(mini_seeds: Path, tmp_path: Path) -> None:
    from tests.samples import STUDY

    text = STUDY.replace('value: "11.4"', 'value: "18.0"').replace('grade_3_4: "7"', 'grade_3_4: "<1"')
    write_study(mini_seeds, text)
    _, data = _roundtrip(mini_seeds, tmp_path)
    arm = data["studies"][0]["arms"][0]
    pfs = next(o for o in arm["outcomes"] if o["measure"] == "pfs_median")
    assert pfs["value"] == "18.0" and pfs["number"] == 18.0 and pfs["unit"] == "months"
    ae = arm["adverse_events"][0]
    assert ae["grade_3_4"] == {"value": "<1", "number": 1.0, "qualifier": "<"}


def test_absent_is_not_zero(mini_seeds: Path, tmp_path: Path) -> None:
    from tests.samples import STUDY

    write_study(mini_seeds, STUDY.replace(', grade_3_4: "7"', ""))
    _, data = _roundtrip(mini_seeds, tmp_path)
    ae = data["studies"][0]["arms"][0]["adverse_events"][0]
    assert ae["grade_3_4"] is None and ae["all_grade"]["value"] == "64"


def test_csv_has_one_row_per_figure(built_db: Path) -> None:
    store = Store(built_db)
    out = io.StringIO()
    export_csv(store, out)
    json_out = io.StringIO()
    export_json(store, json_out)
    store.close()
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == CSV_COLUMNS
    values = [r for r in rows if r["kind"] != "count"]
    data = json.loads(json_out.getvalue())
    arms = [a for s in data["studies"] for a in s["arms"]]
    aes = [ae for a in arms for ae in a["adverse_events"]]
    n_json = (sum(len(a["outcomes"]) for a in arms) + sum(len(s["comparisons"]) for s in data["studies"])
              + sum(ae["all_grade"] is not None for ae in aes)
              + sum((ae.get("grade_3_4") or ae.get("grade_3_plus")) is not None for ae in aes))
    assert len(values) == n_json
    stomatitis = [r for r in rows if r["study_id"] == "radiant-3" and r["term"] == "Stomatitis"]
    assert {(r["measure"], r["value"]) for r in stomatitis} == {("ae_all_grade", "64"), ("ae_grade_3_4", "7")}
    assert all(r["source"] and r["at"] for r in rows)


def test_cli_export_writes_the_file_atomically(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    assert main(["export", "--format", "json", "-o", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["dataset"]["version"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_export_to_an_unwritable_place_says_so(home: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-folder" / "out.csv"
    assert main(["export", "--format", "csv", "-o", str(target)]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert not target.exists()


def _csv_rows(mini_seeds: Path, tmp_path: Path, text: str) -> list[dict[str, str]]:
    write_study(mini_seeds, text)
    build(mini_seeds, tmp_path / "dataset.sqlite3")
    store = Store(tmp_path / "dataset.sqlite3")
    out = io.StringIO()
    export_csv(store, out)
    store.close()
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(mini_seeds: Path, tmp_path: Path) -> None:
    """Seed text is curated, but the CSV is opened in spreadsheets: a cell starting with = + - @,
    a tab or a carriage return is shown as text there, never evaluated."""
    text = (STUDY.replace('{measure: orr, value: "40"}', '{measure: orr, value: "40", note: "=HYPERLINK(1)"}')
            .replace("{term: Stomatitis,", '{term: "@SUM(1+1)",').replace("at: Table 4", 'at: "-2+3 Table 4"')
            .replace('{measure: pfs_median, value: "11.4", unit: months}',
                     '{measure: pfs_median, value: "11.4", unit: months, note: "+1 cmd|x"}'))
    rows = _csv_rows(mini_seeds, tmp_path, text)
    orr = next(r for r in rows if r["measure"] == "orr")
    assert orr["note"] == "'=HYPERLINK(1)"
    assert {r["term"] for r in rows if r["kind"] == "adverse_event"} == {"'@SUM(1+1)"}
    assert {r["at"] for r in rows} == {"'-2+3 Table 4"}
    assert next(r for r in rows if r["measure"] == "pfs_median")["note"] == "'+1 cmd|x"
    formula = [(k, v) for r in rows for k, v in r.items() if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert formula == []


def test_csv_numbers_negative_ones_included_stay_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeds cannot hold a negative figure today, so the rows are given: a cell that parses as a
    number is left alone, a text cell that starts with a minus is not."""
    import db.export as export

    row: dict[str, object] = dict.fromkeys(CSV_COLUMNS, "")
    row.update({"value": "-3.5", "number": -3.5, "ci_low": "+1.2", "ci_high": "-1e-3", "label": "-3.5 (worse)",
                "p": "-", "note": "\r=cmd", "caveats": "\t@x"})
    monkeypatch.setattr(export, "figure_rows", lambda store: [row])
    out = io.StringIO(newline="")
    export_csv(None, out)  # type: ignore[arg-type]
    cells = next(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert (cells["value"], cells["number"], cells["ci_low"], cells["ci_high"]) == ("-3.5", "-3.5", "+1.2", "-1e-3")
    assert (cells["label"], cells["p"], cells["note"], cells["caveats"]) == ("'-3.5 (worse)", "'-", "'\r=cmd",
                                                                            "'\t@x")


def test_json_gives_each_reading_of_an_adverse_event_its_own_display(store: Store) -> None:
    """DECISION's hand–foot skin reaction (seeds/studies/decision.yaml) is printed in Table 1 (76, 20 at grade ≥3,
    preferred) and Table 2 (73.6, 20.3 at grade 3–4): the JSON keeps both as readings, each display its own
    figures (the CSV and the served text put the other reading after the preferred one instead)."""
    out = io.StringIO()
    export_json(store, out)
    decision = next(s for s in json.loads(out.getvalue())["studies"] if s["id"] == "decision")
    sorafenib = next(a for a in decision["arms"] if a["id"] == "sorafenib")
    assert [(e["display"], e["preferred"], e["at"]) for e in sorafenib["adverse_events"] if e["ae"] == "ppe"] == [
        ("any grade 76%, grade ≥3 20%⚠", True, "Table 1"), ("any grade 73.6%, grade 3–4 20.3%⚠", False, "Table 2")]
