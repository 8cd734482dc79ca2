"""Page 1 of the handout: each therapy's lead study in numbers, chosen by the evidence order."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.compare.summaries import build_comparison
from db.notes.notebook import NotesStore
from db.presentation.evidence import design_rank, evidence_key
from handout.document import write_handout
from tests.conftest import ROOT


def _page_one(path: Path) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tumorboard", *args], capture_output=True, text=True, cwd=ROOT)


def test_pnet_everolimus_and_sunitinib_page_one_holds_pfs_hr_response_and_os(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    proc = _cli("handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    page = _page_one(out)
    assert "RADIANT-3: randomised phase 3, n=410 randomised" in page
    assert "11.4 months vs 5.4 months (Placebo)" in page and "11.4 months vs 5.5 months (Placebo)" in page
    assert "0.34 (p <0.0001) vs Placebo" in page and "0.42 (p <0.001) vs Placebo" in page
    assert "ORR 5%" in page and "response rate not reported" in page
    assert "median 44.0 months" in page and "OS not reported" in page  # RADIANT-3's OS is on page 1


def test_the_thyroid_handout_page_one_keeps_interval_levels_stand_ins_and_marks(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c = build_comparison(store, "rair-dtc", ["lenvatinib", "sorafenib", "cabozantinib"])
    page = _page_one(write_handout(store, c, tmp_path / "dtc.pdf"))
    assert "0.21 (99% CI 0.14–0.31; p <0.001) vs Placebo" in page
    assert "0.587 (95% CI 0.45–0.76; p <0.0001) vs Placebo" in page
    assert "96% CI 0.13–0.36" in page
    assert "10.8 months⚠" in page and "12.2 months" not in page  # DECISION's preferred reading, marked
    assert "ORR 64.8%⚠" in page  # SELECT prints an ORR
    assert "PR 12.2%⚠" in page and "no ORR printed; not added up" in page  # DECISION does not
    assert page.count("OS not reported") == 1  # cabozantinib; SELECT and DECISION say it in words
    assert "OS: no OS improvement shown" in page
    assert "grade ≥3: Hypertension 42%" in page  # the band as the source's column says


def test_page_one_names_the_grade_3_4_band_its_lead_study_prints(store) -> None:  # type: ignore[no-untyped-def]
    """RADIANT-3's Table 5 gives grade 3–4 rates (radiant-3.yaml: stomatitis "7", anemia "6"): page 1 says that
    band, not grade ≥3 and not a bare 'grade :'."""
    c = build_comparison(store, "pnet", ["everolimus"])
    assert c.summary_text("ae_high", 0).startswith("grade 3–4: Mucositis oral 7%, Anemia 6%")


def test_the_heading_line_carries_the_disclaimer_and_the_ae_chart_names_only_therapies_without_figures(
        store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Page 1's heading line ends with the disclaimer (besides the running header). Sunitinib has no grade ≥3
    figure in a pancreatic NET study of this dataset (sunitinib's are in NCT00381641, another setting); everolimus
    has RADIANT-3's: the chart's note names sunitinib alone, and a handout where every therapy has one names none."""
    pnet = write_handout(store, build_comparison(store, "pnet", ["everolimus", "sunitinib"]), tmp_path / "p.pdf")
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pnet).pages]
    assert re.search(r"Everolimus · Sunitinib · Date: \S+ · Dataset \S+ — A summary of published data, not a "
                     r"treatment recommendation\.", pages[0]), pages[0][:400]
    absent = re.findall(r"No grade ≥3 figures in the studies used for: ([^.]*)\.", " ".join(pages))
    assert absent == ["Sunitinib"]
    dtc = write_handout(store, build_comparison(store, "rair-dtc", ["lenvatinib", "sorafenib"]), tmp_path / "d.pdf")
    assert "No grade ≥3 figures" not in " ".join(p.extract_text() for p in PdfReader(dtc).pages)


def test_page_one_says_whose_figures_it_shows_and_what_its_lead_arm_does_not_report(store) -> None:  # type: ignore[no-untyped-def]
    """seeds/studies/vemurafenib-ptc-phase2.yaml: two cohorts, page 1 draws on cohort 1; `primary: not stated`; no
    hazard ratio; its grade ≥3 figures and discontinuations are printed for both cohorts together, not cohort 1."""
    c = build_comparison(store, "rair-dtc", ["vemurafenib"])
    who = c.summary_text("who", 0).splitlines()
    assert who[0] == "figures from: Cohort 1: no prior VEGFR multikinase inhibitor"
    assert "; primary end point not stated [" in who[1]
    assert c.summary_text("hr", 0) == "HR not reported"
    assert c.summary_text("ae_high", 0).splitlines() == [
        "grade ≥3 events not reported in the lead study", "stopped for adverse events: not reported"]
    radiant = build_comparison(store, "pnet", ["everolimus"]).summary_text("who", 0)  # RADIANT-3: one arm tested
    os = build_comparison(store, "pnet", ["everolimus"]).summary_text("os", 0)  # radiant-3.yaml: os_hr p "0.3"
    assert re.search(r"^0\.94 \(p=0\.3\)†\d+ vs Placebo \[", os, re.M), os  # a bare p value reads 'p=', never 'p 0.3'
    assert not radiant.startswith("figures from") and "primary end point not stated" in radiant


def test_four_therapies_print_in_landscape_and_three_in_portrait(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for therapies, wide in ((["lenvatinib", "sorafenib", "cabozantinib", "vandetanib"], True),
                            (["lenvatinib", "sorafenib", "cabozantinib"], False)):
        out = write_handout(store, build_comparison(store, "rair-dtc", therapies), tmp_path / "x.pdf")
        width, height = (float(x) for x in PdfReader(out).pages[0].mediabox[2:])
        assert (width > height) == wide


def test_a_lead_study_from_another_setting_is_marked_on_page_one(store) -> None:  # type: ignore[no-untyped-def]
    c = build_comparison(store, "pnet", ["everolimus", "177Lu-Dotatate"])
    lead = c.summary_text("lead", 1)
    assert lead.startswith("NETTER-1ᴿ: randomised phase 3") and "not pancreatic NET" in lead  # registry acronym
    assert [b.setting for b in c.hr_bars] == ["in", "other"]


def test_a_response_rate_stand_in_is_never_added_up(store) -> None:  # type: ignore[no-untyped-def]
    c = build_comparison(store, "rair-dtc", ["sorafenib", "vandetanib"])  # DECISION and NCT00537095 print PR only
    for i in range(2):
        text = c.summary_text("response", i)
        assert "ORR" not in text.split("\n")[0] and "not added" in text


def test_evidence_order_prefers_the_setting_then_design_then_the_named_disease_then_n_then_year() -> None:
    def study(ident: str, phase: str, kind: str, diseases: list[str], enrolled: float | None, year: str) -> dict:
        return {"id": ident, "phase": phase, "kind": kind, "diseases": diseases, "enrolled": enrolled,
                "evaluable": None, "year": year, "arms": [], "ord": 0}

    studies = [
        study("unrelated-p3", "3", "randomized trial", ["rair-dtc"], 500, "2020"),
        study("pnet-p2", "2", "single-arm trial", ["pnet"], 100, "2019"),
        study("parent-p3", "3", "randomized trial", ["gep-net"], 300, "2015"),
        study("pnet-p3-small", "3", "randomized trial", ["pnet"], 200, "2011"),
        study("pnet-p3-large-old", "3", "randomized trial", ["pnet"], 410, "2011"),
        study("pnet-p3-large-new", "3", "randomized trial", ["pnet"], 410, "2016"),
    ]
    ranked = sorted(studies, key=lambda s: evidence_key(s, {"pnet"}, {"gep-net", "net"}))
    assert [s["id"] for s in ranked] == ["pnet-p3-large-new", "pnet-p3-large-old", "pnet-p3-small", "parent-p3",
                                         "pnet-p2", "unrelated-p3"]
    assert design_rank({"phase": "2", "kind": "randomized trial"}) < design_rank({"phase": "2", "kind": "x"})


def test_control_bars_are_hatched_so_a_grayscale_print_tells_them_apart(store) -> None:  # type: ignore[no-untyped-def]
    from reportlab.graphics.shapes import Line, Rect

    from handout.charts import bar_chart

    c = build_comparison(store, "pnet", ["everolimus", "sunitinib"])
    control = [b for b in c.pfs_bars if b.control][:1]
    therapy = [b for b in c.pfs_bars if not b.control][:1]
    drawing = bar_chart(control, 400, "months")
    rects = [s for s in drawing.contents if isinstance(s, Rect)]
    assert rects and all(r.fillColor is None for r in rects)  # hollow
    assert sum(isinstance(s, Line) for s in drawing.contents) > 6  # with hatching
    filled = [s for s in bar_chart(therapy, 400, "months").contents if isinstance(s, Rect)]
    assert filled and filled[0].fillColor is not None


@pytest.mark.parametrize("flag", [False, True])
def test_local_notes_only_when_asked_and_never_a_false_no_note(home: Path, tmp_path: Path, flag: bool) -> None:
    notes = NotesStore()
    notes.save("therapy", "everolimus", "Stocked in the pharmacy", "available")
    notes.close()
    out = tmp_path / "x.pdf"
    args = ["handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib", "--row", "local",
            "-o", str(out)] + (["--local-notes"] if flag else [])
    proc = _cli(*args)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert ("Stocked in the pharmacy" in text) == flag
    assert "no local note" not in text.split("Sunitinib")[0] if flag else "no local note" not in text
    if flag:
        assert "no local note for this therapy on this workstation" in text  # sunitinib has none
    else:  # no row, and no instruction about software on paper
        assert "Local notes" not in text and "--local-notes" not in text and "checkbox" not in text


def test_right_to_left_labels_are_shaped_and_in_display_order() -> None:
    from handout.fonts import markup

    assert markup("Case שלום") == "Case םולש"  # Hebrew, reversed into display order in an LTR line
    arabic = markup("حالة")
    assert arabic != "حالة" and all("\ufe70" <= ch <= "\ufeff" for ch in arabic)  # joined presentation forms
    assert markup("RADIANT-3 ≥3") == "RADIANT-3 ≥3"  # left-to-right text untouched


def test_a_character_no_font_has_prints_visibly_and_is_named(home: Path, tmp_path: Path) -> None:
    from handout.fonts import markup, unprintable

    unprintable()
    assert "\ufffd" in markup("Case \ue000 7")
    assert unprintable() == ["U+E000 unnamed"]
    out = tmp_path / "x.pdf"
    proc = _cli("handout", "--disease", "pnet", "--therapy", "everolimus", "--therapy", "sunitinib",
                "--meeting", "Board \ue001", "-o", str(out))
    assert proc.returncode == 0 and "U+E001" in proc.stderr and "shown as \ufffd" in proc.stderr


def test_packet_pages_after_a_cases_first_carry_its_label(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from handout.document import write_packet

    cases = [("Case 1", build_comparison(store, "pnet", ["everolimus", "sunitinib", "177Lu-Dotatate"])),
             ("Case 2", build_comparison(store, "rair-dtc", ["lenvatinib", "sorafenib"]))]
    out = write_packet(store, cases, tmp_path / "p.pdf")
    pages = [p.extract_text() for p in PdfReader(out).pages]
    marks = [next((line for line in text.split("\n") if line.endswith("(continued)") and line.startswith("Case")), "")
             for text in pages]
    starts = [n for n, text in enumerate(pages) if "Case 2 — Radioiodine" in text and not marks[n]]
    assert marks[0] == "" and marks[1] == ""  # the contents page and a case's first page carry none
    assert marks[2] == "Case 1 — Pancreatic neuroendocrine tumour (continued)"
    assert starts and all(m.startswith("Case 2") for m in marks[starts[-1] + 1:])  # [0] is the contents
