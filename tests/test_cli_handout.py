"""`tumorboard handout` and `tumorboard packet`: a PDF, or a clear message that names close matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.store import Store
from handout.cases import MAX_CASE_FILE_BYTES, MAX_CASES, MAX_DEPTH, MAX_LABEL, MAX_NOTES, read_case_file
from tumorboard import dataset
from tumorboard.cli import main


@pytest.fixture(autouse=True)
def bundled(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset, "open_dataset", lambda: store)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_handout_writes_the_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.pdf"
    code, stdout, err = run(["handout", "--disease", "pancreatic NET", "--therapy", "Afinitor", "--therapy",
                             "sunitinib", "--therapy", "177Lu-Dotatate", "--therapy", "lanreotide", "--meeting",
                             "Board <48> & co", "-o", str(out)], capsys)
    assert code == 0 and stdout == ""
    assert err.startswith(f"wrote {out}: Pancreatic neuroendocrine tumour; Afinitor (Everolimus), Sunitinib, "
                          "177Lu-Dotatate")  # a brand typed is shown with its drug
    printed = text(out)
    assert "Meeting: Board <48> & co" in printed and "11.4 months" in printed and "0.34" in printed


def test_rows_and_letter_paper(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.pdf"
    code, _, _ = run(["handout", "--disease", "rair-dtc", "--therapy", "lenvatinib", "--therapy", "sorafenib",
                      "--row", "studies", "--row", "approvals", "--paper", "letter", "-o", str(out)], capsys)
    assert code == 0
    printed = text(out)
    assert "Key studies" in printed and "Approvals" in printed and "Dose and schedule" not in printed
    assert [round(float(x)) for x in PdfReader(out).pages[0].mediabox[2:]] == [612, 792]


@pytest.mark.parametrize(("args", "message"), [
    (["--disease", "pnet", "--therapy", "everolimu", "--therapy", "sunitinib"],
     "unknown therapy 'everolimu'; close matches: Everolimus"),
    (["--disease", "pancreas", "--therapy", "everolimus", "--therapy", "sunitinib"], "unknown disease 'pancreas'"),
    (["--disease", "pnet", "--therapy", "everolimus"], "give 2 to 4 therapies (got 1)"),
    (["--disease", "pnet", "--therapy", "everolimus", "--therapy", "Afinitor"], "give 2 to 4 therapies (got 1)"),
    (["--disease", "pnet", "--therapy", "fosbretabulin", "--therapy", "sunitinib"],
     "unknown therapy 'fosbretabulin' (no study arm gives this regimen); close matches: Everolimus + Fosbretabulin"),
])
def test_bad_names_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                    message: str) -> None:
    out = tmp_path / "h.pdf"
    code, stdout, err = run(["handout", *args, "-o", str(out)], capsys)
    assert code == 2 and stdout == ""
    assert err.startswith("tumorboard handout: error: ") and message in err
    assert not out.exists()


def test_missing_folder_exits_1_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "missing" / "h.pdf"
    code, _, err = run(["handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib",
                        "-o", str(out)], capsys)
    assert code == 1 and "does not exist" in err and not out.parent.exists()


def test_identifier_like_label_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib",
                        "--meeting", "MRN 12345678", "-o", str(tmp_path / "h.pdf")], capsys)
    assert code == 0 and "warning: “MRN 12345678”: The label contains a long number" in err


def test_packet_from_case_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"meeting": "Week 48", "cases": [
        {"label": f"Case {n}", "disease": d, "therapies": t} for n, (d, t) in enumerate([
            ("pnet", ["everolimus", "sunitinib"]), ("rair-dtc", ["lenvatinib", "sorafenib"]),
            ("midgut NET", ["everolimus + octreotide", "177Lu-Dotatate"]), ("gep-net", ["everolimus", "lanreotide"]),
            ("atc", ["dabrafenib + trametinib", "lenvatinib"])], 1)]}), encoding="utf-8")
    out = tmp_path / "packet.pdf"
    code, _, err = run(["packet", str(cases), "-o", str(out)], capsys)
    assert code == 0 and err.startswith(f"wrote {out}: 5 cases")
    printed = text(out)
    assert "Contents" in printed and "Meeting: Week 48" in printed
    assert all(f"Case {n} — " in printed for n in range(1, 6))


@pytest.mark.parametrize(("content", "message"), [
    ("{", "not valid JSON"),
    ('{"cases": []}', 'a non-empty list "cases"'),
    ('{"cases": [{"label": "A", "disease": "pnet", "therapies": ["everolimus"]}]}', "case 1: give 2 to 4"),
    ('{"cases": [{"label": "", "disease": "pnet", "therapies": ["everolimus", "sunitinib"]}]}',
     'case 1: "label" must be a non-empty text'),
    ('{"cases": [{"label": "A", "disease": "pnet", "therapies": ["everolimus", "sunitinib"], "rows": ["x"]}]}',
     "unknown rows ['x']"),
    ('{"cases": [{"label": "A", "disease": "pnet", "therapies": ["everolimus", "sunitnib"]}]}',
     "case 1 (A): unknown therapy 'sunitnib'; close matches: Sunitinib"),
])
def test_bad_case_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str) -> None:
    cases = tmp_path / "cases.json"
    cases.write_text(content, encoding="utf-8")
    code, _, err = run(["packet", str(cases), "-o", str(tmp_path / "p.pdf")], capsys)
    assert code == 2 and err.startswith("tumorboard packet: error: ") and message in err
    assert not (tmp_path / "p.pdf").exists()


def _case(label: str = "Case 1") -> dict[str, object]:
    return {"label": label, "disease": "pnet", "therapies": ["everolimus", "sunitinib"]}


def test_a_case_file_nested_200000_deep_is_one_line_quickly(tmp_path: Path) -> None:
    """In a real process: no RecursionError traceback, the usage-error exit code, in seconds."""
    import os
    import subprocess
    import sys
    import time

    cases = tmp_path / "deep.json"
    cases.write_text('{"cases": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tumorboard", "packet", str(cases), "-o", str(tmp_path / "p.pdf")],
                          cwd=root, env={**os.environ, "TUMORBOARD_HOME": str(tmp_path / "home")},
                          capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - began < 10
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"tumorboard packet: error: {cases}: nested 200,001 levels deep; a case file nests at "
                           f"most {MAX_DEPTH}\n")
    assert not (tmp_path / "p.pdf").exists()


def test_a_case_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "big.json"
    with cases.open("wb") as f:
        f.truncate(20_000_000_000)  # sparse: reading it would take minutes and 20 GB
    code, _, err = run(["packet", str(cases), "-o", str(tmp_path / "p.pdf")], capsys)
    assert code == 2
    assert err == (f"tumorboard packet: error: {cases}: 20,000,000,000 bytes; a case file may have at most "
                   f"{MAX_CASE_FILE_BYTES:,}\n")


def test_a_fifo_named_as_the_case_file_is_refused_not_waited_on(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import os

    cases = tmp_path / "cases.json"
    os.mkfifo(cases)
    code, _, err = run(["packet", str(cases), "-o", str(tmp_path / "p.pdf")], capsys)
    assert code == 2 and err == f"tumorboard packet: error: {cases}: not a regular file\n"


def test_the_number_of_cases_is_capped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [_case(f"Case {n}") for n in range(MAX_CASES + 1)]}), encoding="utf-8")
    code, _, err = run(["packet", str(cases), "-o", str(tmp_path / "p.pdf")], capsys)
    assert code == 2 and err == f"tumorboard packet: error: {cases}: 41 cases; a packet holds at most 40\n"
    cases.write_text(json.dumps({"cases": [_case(f"Case {n}") for n in range(MAX_CASES)]}), encoding="utf-8")
    assert len(read_case_file(cases).cases) == MAX_CASES


@pytest.mark.parametrize(("case_file", "message"), [
    ({"cases": [_case("x" * 201)]}, 'case 1: "label" is 201 characters long; at most 200 are allowed'),
    ({"cases": [_case("x" * 10_000)]}, 'case 1: "label" is 10,000 characters long; at most 200 are allowed'),
    ({"meeting": "m" * 201, "cases": [_case()]}, '"meeting" is 201 characters long; at most 200 are allowed'),
    ({"cases": [{**_case(), "disease": "d" * 300}]}, 'case 1: "disease" is 300 characters long'),
    ({"cases": [{**_case(), "therapies": ["everolimus", "s" * 201]}]}, "case 1: therapy 2 is 201 characters long"),
])
def test_long_labels_in_a_case_file_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                case_file: dict[str, object], message: str) -> None:
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(case_file), encoding="utf-8")
    code, _, err = run(["packet", str(cases), "-o", str(tmp_path / "p.pdf")], capsys)
    assert code == 2 and err.startswith(f"tumorboard packet: error: {cases}: ") and message in err
    assert err.count("\n") == 1 and not (tmp_path / "p.pdf").exists()


@pytest.mark.parametrize(("extra", "message"), [
    (["--meeting", "m" * 201], "--meeting is 201 characters long; at most 200 are allowed"),
    (["--notes", "n" * 2_001], "--notes is 2,001 characters long; at most 2,000 are allowed"),
    (["--notes", "n" * 10_000_000], "--notes is 10,000,000 characters long; at most 2,000 are allowed"),
])
def test_long_handout_labels_and_notes_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        extra: list[str], message: str) -> None:
    out = tmp_path / "h.pdf"
    code, stdout, err = run(["handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib",
                             *extra, "-o", str(out)], capsys)
    assert code == 2 and stdout == "" and err == f"tumorboard handout: error: {message}\n"
    assert not out.exists()


def test_labels_and_notes_at_their_caps_are_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.pdf"
    code, _, err = run(["handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib",
                        "--meeting", "M" * MAX_LABEL, "--notes", "word " * (MAX_NOTES // 5), "-o", str(out)], capsys)
    assert code == 0, err
    assert "M" * 20 in text(out).replace(" ", "")
