"""`tumorboard handout` and `tumorboard packet`: a PDF, or a clear message that names close matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.store import Store
from tumorboard import cli
from tumorboard.cli import main


@pytest.fixture(autouse=True)
def bundled(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_open_store", lambda: store)


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
    assert err.startswith(f"wrote {out}: Pancreatic neuroendocrine tumour; Everolimus, Sunitinib, 177Lu-Dotatate")
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
