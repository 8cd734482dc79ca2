"""The handout and the meeting packet, read back from the PDF: what is printed, page numbers, fonts,
literal user text, paper sizes, and failures that leave no file behind."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.compare.model import Comparison
from db.compare.summaries import build_comparison
from db.store import Store
from handout.document import HandoutError, write_handout, write_packet

TYPED = "<b>&co 中文 ≥ µ α ¹⁷⁷Lu –"
WHEN = datetime(2026, 11, 24, 8, 30)
PNET = ["everolimus", "sunitinib", "lutetium-dotatate", "lanreotide"]
CASES = [
    ("Case A", "pnet", PNET),
    ("Case B", "rair-dtc", ["lenvatinib", "sorafenib"]),
    ("Case C", "midgut NET", ["everolimus + octreotide", "177Lu-Dotatate", "octreotide"]),
    ("Case D", "gep-net", ["everolimus", "sunitinib"]),
    ("Case E", "atc", ["dabrafenib + trametinib", "lenvatinib", "lenvatinib + pembrolizumab"]),
]


@pytest.fixture(scope="module")
def shared(built_db: Path) -> Iterator[Store]:
    s = Store(built_db)
    yield s
    s.close()


@pytest.fixture(scope="module")
def pnet(shared: Store) -> Comparison:
    return build_comparison(shared, "pnet", PNET)


@pytest.fixture(scope="module")
def handout(shared: Store, pnet: Comparison, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handout") / "pnet.pdf"
    steps: list[float] = []
    assert write_handout(shared, pnet, out, meeting=TYPED, notes="Bring <imaging> & labs", generated=WHEN,
                         progress=lambda f, _t: steps.append(f)) == out
    assert steps[-1] == 1.0
    return out


@pytest.fixture(scope="module")
def packet(shared: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cases = [(label, build_comparison(shared, d, t)) for label, d, t in CASES]
    out = tmp_path_factory.mktemp("packet") / "packet.pdf"
    return write_packet(shared, cases, out, paper="letter", meeting="Board, week 48", generated=WHEN)


def pages(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def pdftotext(path: Path, *options: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def test_handout_prints_therapies_figures_and_references(handout: Path) -> None:
    text = "\n".join(pages(handout))
    flat = " ".join(text.split())
    for label in ("Everolimus", "Sunitinib", "177Lu-Dotatate", "Lanreotide"):
        assert label in text
    assert "Evidence summary: Pancreatic neuroendocrine tumour" in flat
    assert "11.4 months" in flat and "0.34" in flat and "5.4 months" in flat  # RADIANT-3 median PFS and HR
    assert "NR (not reached)" in flat and "0.21" in flat  # 177Lu-Dotatate, with its setting stated
    assert "no study in pancreatic NET in this dataset; shown: midgut NET (NETTER-1ᴿ)" in flat
    assert "[1: Table 4]" in flat
    assert "1. Cancer Manag Res. 2017;9:215-224" in flat and "doi:10.2147/CMAR.S113382" in flat
    assert "3. Pitoia F" in flat and "doi:10.5306/wjco.v13.i1.9" in flat
    # a brand is cited to its regulator's label, first cited in the class row after the drug's class facts
    assert "2. US prescribing information and EU summary of product characteristics for Afinitor" in flat
    assert "Median progression-free survival per arm" in flat and "Adverse events at grade ≥3" in flat
    assert "Date: 2026-11-24" in flat


def test_every_page_has_footer_with_page_x_of_y(handout: Path) -> None:
    texts = pages(handout)
    n = len(texts)
    assert n >= 2
    for i, text in enumerate(texts, 1):
        flat = " ".join(text.split())
        assert f"Page {i} of {n}" in flat
        assert "A summary of published data, not a treatment recommendation." in flat
        assert "dataset 2026.12.1" in flat and "generated 2026-11-24 08:30" in flat


def test_the_table_splits_with_a_repeated_header(handout: Path) -> None:
    texts = pages(handout)
    with_header = [t for t in texts if "Topic" in t and "Lanreotide" in t]
    assert len(with_header) >= 2


def test_user_text_prints_literally_in_unicode(handout: Path) -> None:
    text = pdftotext(handout)
    assert f"Meeting: {TYPED}" in text
    assert "Notes: Bring <imaging> & labs" in text


def test_fonts_are_embedded_and_no_helvetica(handout: Path, packet: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    for path in (handout, packet):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60).stdout
        rows = out.splitlines()[2:]
        assert rows and all(re.search(r"\byes\s+yes\s+yes\b", r) for r in rows), out
        assert any("DejaVuSans" in r for r in rows) and "Helvetica" not in out
    fonts = subprocess.run(["pdffonts", str(handout)], capture_output=True, text=True, check=True).stdout
    assert "DroidSansFallback" in fonts  # the Chinese in the meeting label


def test_packet_has_contents_with_right_page_numbers(packet: Path) -> None:
    texts = pages(packet)
    n = len(texts)
    contents = pdftotext(packet, "-layout", "-f", "1", "-l", "1")
    assert "Contents" in contents and "labelled without patient identifiers" in contents
    toc = contents.split("Contents", 1)[1].split("Tumor Board Reference ·", 1)[0]
    entries = [" ".join(block.split()) for block in re.split(r"\n\s*\n", toc) if block.strip()]
    listed = [int(e.rsplit(" ", 1)[1]) for e in entries]
    found = []
    for label, _d, _t in CASES:
        assert label in contents
        heading = re.compile(rf"^{label} — ", re.MULTILINE)
        found.append(next(i for i, t in enumerate(texts[1:], 2) if heading.search(t)))
    assert listed == found and found == sorted(found)
    reader = PdfReader(packet)
    outline = [(item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline]
    assert [t.split(" — ")[0] for t, _p in outline] == [label for label, _d, _t in CASES]
    assert [p for _t, p in outline] == found
    for i, text in enumerate(texts, 1):
        assert f"Page {i} of {n}" in " ".join(text.split())
    flat = " ".join(" ".join(texts).split())
    assert "Lenvatinib" in flat and "Dabrafenib + Trametinib" in flat and flat.count("References") == 5


def test_paper_sizes(shared: Store, pnet: Comparison, packet: Path, tmp_path: Path) -> None:
    out = write_handout(shared, pnet, tmp_path / "letter.pdf", paper="letter")
    wide = len(pnet.columns) > 3  # four therapies side by side print in landscape
    assert [round(float(x)) for x in PdfReader(out).pages[0].mediabox[2:]] == ([792, 612] if wide else [612, 792])
    assert [round(float(x)) for x in PdfReader(packet).pages[0].mediabox[2:]] == [612, 792]
    with pytest.raises(ValueError, match="use a4 or letter"):
        write_handout(shared, pnet, tmp_path / "x.pdf", paper="a3")
    assert not (tmp_path / "x.pdf").exists()


def test_a4(handout: Path, pnet: Comparison) -> None:
    wide = len(pnet.columns) > 3
    assert [round(float(x)) for x in PdfReader(handout).pages[0].mediabox[2:]] == ([842, 595] if wide else [595, 842])


def test_missing_folder_is_a_clear_error(shared: Store, pnet: Comparison, tmp_path: Path) -> None:
    with pytest.raises(HandoutError, match="does not exist"):
        write_handout(shared, pnet, tmp_path / "nope" / "h.pdf")
    with pytest.raises(HandoutError, match="it is a folder"):
        write_handout(shared, pnet, tmp_path)


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot create files in: read-only for a user; /sys for root."""
    if os.name == "posix" and os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
    elif Path("/sys/kernel").is_dir():
        yield Path("/sys")  # not even root may create a file there
    else:
        pytest.skip("no folder here that this user cannot write")


def test_unwritable_folder_is_a_clear_error_and_leaves_no_file(shared: Store, pnet: Comparison,
                                                               unwritable: Path) -> None:
    before = sorted(p.name for p in unwritable.iterdir())
    with pytest.raises(HandoutError, match=r"Cannot write .*h\.pdf: Permission denied\. Nothing was saved\."):
        write_handout(shared, pnet, unwritable / "h.pdf")
    assert sorted(p.name for p in unwritable.iterdir()) == before


def test_full_disk_leaves_no_partial_file(shared: Store, pnet: Comparison, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfbase import pdfdoc

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pdfdoc.PDFDocument, "SaveToFile", full)
    target = tmp_path / "h.pdf"
    with pytest.raises(HandoutError, match=r"No space left on device\. Nothing was saved\."):
        write_handout(shared, pnet, target)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_survives_a_failed_write(shared: Store, pnet: Comparison, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfbase import pdfdoc

    target = tmp_path / "h.pdf"
    target.write_bytes(b"old")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pdfdoc.PDFDocument, "SaveToFile", full)
    with pytest.raises(HandoutError):
        write_handout(shared, pnet, target)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["h.pdf"]


def test_chosen_rows_only(shared: Store, tmp_path: Path) -> None:
    c = build_comparison(shared, "pnet", ["everolimus", "sunitinib"], ["studies"])
    flat = " ".join(" ".join(pages(write_handout(shared, c, tmp_path / "s.pdf"))).split())
    detail = flat.split(" Detail ", 1)[1]  # page 1's summary always holds every figure row
    assert "Key studies" in detail and "Approvals" not in detail and "Adverse events at grade ≥3" not in detail
    assert "Median progression-free survival per arm" in flat
