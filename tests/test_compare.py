"""Comparisons without Qt: names resolved as users type them, close matches for unknown ones, the
disease preference and its stated mismatch, figures as printed, references numbered by first citation."""

from __future__ import annotations

import re

import pytest

from db.compare.model import NOTE, SETTING, Comparison
from db.compare.summaries import (
    TOPIC_KEYS,
    UnknownName,
    build_comparison,
    resolve_disease,
    resolve_therapy,
    with_topics,
)
from db.store import Store

PNET = ["everolimus", "sunitinib", "lutetium-dotatate", "lanreotide"]


@pytest.fixture
def pnet(store: Store) -> Comparison:
    return build_comparison(store, "pnet", PNET)


def cell(c: Comparison, topic: str, column: int) -> str:
    return c.cell_text(c.topics.index(topic), column)


@pytest.mark.parametrize(("typed", "key"), [
    ("everolimus", "everolimus"), ("Everolimus", "everolimus"), ("Afinitor", "everolimus"), ("RAD001", "everolimus"),
    ("rad-001", "everolimus"), ("177Lu-Dotatate", "lutetium-dotatate"), ("Lu-177 dotatate", "lutetium-dotatate"),
    ("everolimus + octreotide", "everolimus+octreotide"), ("Octreotide LAR and everolimus", "everolimus+octreotide"),
    ("Everolimus + Octreotide LAR", "everolimus+octreotide"), ("dabrafenib/trametinib", "dabrafenib+trametinib"),
    ("everolimus+pasireotide", "everolimus+pasireotide"),
])
def test_therapy_names_resolve_to_regimen_keys(store: Store, typed: str, key: str) -> None:
    assert resolve_therapy(store, typed).key == key


def test_unknown_therapy_lists_close_matches(store: Store) -> None:
    with pytest.raises(UnknownName) as exc:
        resolve_therapy(store, "everolimu")
    assert exc.value.matches[0] == "Everolimus"
    assert "unknown therapy 'everolimu'; close matches: Everolimus" in str(exc.value)
    with pytest.raises(UnknownName) as exc:
        resolve_therapy(store, "sunitnib")
    assert "Sunitinib" in exc.value.matches


def test_drug_only_given_in_combination_names_the_regimens(store: Store) -> None:
    with pytest.raises(UnknownName) as exc:
        resolve_therapy(store, "fosbretabulin")
    assert exc.value.reason == "no study arm gives this regimen"
    assert exc.value.matches == ["Everolimus + Fosbretabulin"]


def test_nothing_close(store: Store) -> None:
    with pytest.raises(UnknownName, match="nothing close in this dataset"):
        resolve_therapy(store, "qqqqzzzz")


@pytest.mark.parametrize(("typed", "ident"), [
    ("pnet", "pnet"), ("pNET", "pnet"), ("pancreatic NET", "pnet"), ("Pancreatic neuroendocrine tumour", "pnet"),
    ("RAIR-DTC", "rair-dtc"), ("small-bowel NET", "midgut-net"),
])
def test_disease_names_resolve(store: Store, typed: str, ident: str) -> None:
    assert resolve_disease(store, typed) == ident


def test_unknown_disease_lists_close_matches(store: Store) -> None:
    with pytest.raises(UnknownName) as exc:
        resolve_disease(store, "pancreatic")
    assert any("pancreatic NET" in m for m in exc.value.matches)


def test_build_accepts_typed_names(store: Store) -> None:
    c = build_comparison(store, "pancreatic NET", ["Afinitor", "sunitinib"])
    # a brand typed heads its column with the drug's name beside it; a drug name is shown as the drug
    assert c.disease_id == "pnet" and c.labels == ["Afinitor (Everolimus)", "Sunitinib"]


def test_columns_and_rows(pnet: Comparison) -> None:
    assert pnet.labels == ["Everolimus", "Sunitinib", "177Lu-Dotatate", "Lanreotide"]
    assert pnet.topics == [k for k in TOPIC_KEYS if k != "local"]  # no local notes given: no such row
    assert pnet.disease_name == "Pancreatic neuroendocrine tumour"
    assert all(len(r.cells) == 4 for r in pnet.rows)


def test_studies_in_the_disease_come_first(pnet: Comparison) -> None:
    everolimus = pnet.columns[0]
    assert everolimus.setting == "in" and everolimus.note == ""
    assert everolimus.study_ids[0] == "radiant-3"
    assert cell(pnet, "studies", 0).startswith("RADIANT-3: randomised phase 3, n=410 randomised [1: Table 4]")


def test_a_therapy_without_studies_in_the_disease_says_so(pnet: Comparison) -> None:
    lutetium, lanreotide = pnet.columns[2], pnet.columns[3]
    assert lutetium.setting == "other" and lutetium.where == "midgut NET"
    assert lutetium.note == "no study in pancreatic NET in this dataset; shown: midgut NET (NETTER-1ᴿ)"
    assert lanreotide.setting == "broader"
    assert lanreotide.note.startswith("no study restricted to pancreatic NET in this dataset; shown: "
                                      "gastroenteropancreatic NET (CLARINETᴿ)")
    # every study-based cell says it: in full in the first such row, short after it
    notes = [pnet.rows[pnet.topics.index(t)].cells[2][0] for t in ("dose", "studies", "ae_any", "ae_high",
                                                                    "withdrawal")]
    assert all(n.kind == SETTING for n in notes)
    assert [n.text for n in notes] == [lutetium.note] + ["NETTER-1ᴿ: not pancreatic NET"] * 4
    assert lanreotide.short_note == "CLARINETᴿ: broader than pancreatic NET"
    assert "Strosberg" not in cell(pnet, "class", 2)
    without_dose = with_topics(pnet, ["class", "studies", "ae_any"])  # the full note moves to the first one left
    assert [r.cells[2][0].text for r in without_dose.rows[1:]] == [lutetium.note, "NETTER-1ᴿ: not pancreatic NET"]


def test_figures_are_printed_as_the_store_gives_them(pnet: Comparison) -> None:
    studies = cell(pnet, "studies", 0).splitlines()
    assert "median PFS 11.4 months vs 5.4 months (Placebo) [1: Table 4]" in studies
    assert "HR for PFS 0.34 (p <0.0001) vs Placebo [1: Activity of everolimus in patients with NETs]" in studies
    assert [line for line in studies if line.startswith("HR")] == [  # not the OS hazard ratio (0.94)
        "HR for PFS 0.34 (p <0.0001) vs Placebo [1: Activity of everolimus in patients with NETs]"]
    assert "ORR 5% [1: Activity of everolimus in patients with NETs]" in studies
    lutetium = cell(pnet, "studies", 2)
    assert "median PFS NR (not reached) vs 8.4 months (Octreotide LAR 60 mg) [1: Table 2]" in lutetium
    assert "18.0 months" in cell(pnet, "studies", 3)  # the printed precision stays
    high = cell(pnet, "ae_high", 0)
    assert "RADIANT-3 (grade 3–4): Mucositis oral (reported: Stomatitis) 7%, Anemia 6%, Hyperglycemia 5%, " \
        "Platelet count decreased (reported: Thrombocytopenia) 4%, Diarrhea 3% [1: Table 5]" in high  # CTCAE terms


def test_the_class_dose_and_approval_cells_carry_the_drug_entry_and_its_facts(pnet: Comparison, store: Store) -> None:
    """seeds/drugs/everolimus.yaml: class 'mTOR inhibitor (rapalog)', targets [mTOR], a mechanism fact;
    vemurafenib.yaml: a dosing fact (Table 1) and a regulatory one, each in its row and cited."""
    everolimus = cell(pnet, "class", 0).splitlines()
    assert everolimus[0] == "mTOR inhibitor (rapalog); targets mTOR"
    assert "with FKBP12 it blocks mTORC1" in everolimus[1] and everolimus[1].endswith(
        "[1: Overview of pharmacology, mode of action, pharmacokinetics]")
    vemurafenib = build_comparison(store, "rair-dtc", ["vemurafenib"])
    assert cell(vemurafenib, "class", 0).startswith("Selective BRAF inhibitor; targets BRAF V600E\n")
    assert "(Cohort 1: no prior VEGFR multikinase inhibitor): Vemurafenib 960 mg oral twice daily [1: Table 1]" in \
        cell(vemurafenib, "dose", 0)  # two arms of one study: each dose says whose it is
    assert cell(vemurafenib, "dose", 0).endswith("\nIn the phase 2 trial of Table 1, 960 mg by mouth twice daily. "
                                                  "[1: Table 1]")
    assert cell(vemurafenib, "approvals", 0).startswith("The review states it is approved as a single agent for "
                                                        "advanced melanoma")


def test_each_arm_of_a_study_that_tests_the_therapy_twice_is_headed_by_its_own_name(store: Store) -> None:
    """seeds/studies/vemurafenib-ptc-phase2.yaml: cohort 1 (no prior VEGFR multikinase inhibitor) median PFS 18.8
    months, cohort 2 (prior multikinase inhibitor) 8.9 months, neither an HR nor an ORR: each figure under its
    cohort's name, and what is missing said under each; two studies in all, so no 'also in this dataset'."""
    studies = cell(build_comparison(store, "rair-dtc", ["vemurafenib"]), "studies", 0).splitlines()
    first = studies.index("arm Cohort 1: no prior VEGFR multikinase inhibitor")
    second = studies.index("arm Cohort 2: prior multikinase inhibitor")
    assert studies[first + 1].startswith("median PFS 18.8 months [") and studies[first + 2] == "not reported: HR, ORR"
    assert studies[second + 1].startswith("median PFS 8.9 months [") and studies[second + 2] == "not reported: HR, ORR"
    assert "not reported: median PFS, HR, ORR" in studies  # NCT01709292's arms print none of them
    assert not any(line.startswith("also in this dataset") for line in studies)


def test_a_studies_cell_says_os_in_words_where_the_source_gives_no_figure(store: Store) -> None:
    """DECISION (seeds/studies/decision.yaml) prints no OS figure; its note says no OS benefit was shown, with 71%
    crossover. Sorafenib has more studies in RAIR-DTC than the cell shows: the rest are named after them."""
    lines = cell(build_comparison(store, "rair-dtc", ["sorafenib"]), "studies", 0).splitlines()
    assert lines[0].startswith("DECISION: ")
    os_line = next(i for i, line in enumerate(lines) if line.startswith("OS: "))
    assert lines[os_line].startswith("OS: no OS improvement shown") and "71%" in lines[os_line]
    assert lines[os_line + 1] == "not reported: ORR"  # DECISION prints a median PFS and an HR
    assert lines[-1].startswith("also in this dataset: ") and len(lines[-1].split(", ")) >= 2


def test_an_approval_says_what_its_source_leaves_unstated_and_marks_its_note(pnet: Comparison, store: Store) -> None:
    """everolimus.yaml: FDA 2011 for pancreatic NET; sunitinib.yaml: agency 'not stated', no year; pralsetinib.yaml
    and trametinib.yaml: FDA, no year, each with a note of its own ('The review gives no approval year'; 'The review
    gives no year and describes the approval as rapid, …'): each a mark of its own, explained under the grid."""
    assert cell(pnet, "approvals", 0).startswith("FDA 2011: Progressive, advanced pancreatic NET")
    assert cell(pnet, "approvals", 1).startswith("agency not stated year not stated: Progressive pancreatic NET")
    c = build_comparison(store, "thyroid-cancer", ["pralsetinib", "dabrafenib+trametinib"])
    ret = re.match(r"FDA year not stated(†\d+): Advanced or metastatic RET fusion-positive thyroid cancer \[",
                   cell(c, "approvals", 0))
    braf = re.search(r"^Trametinib: FDA year not stated(†\d+): With dabrafenib, ", cell(c, "approvals", 1), re.M)
    assert ret and braf, (cell(c, "approvals", 0), cell(c, "approvals", 1))
    listed = dict(c.caveats)
    assert listed[ret.group(1)].text == "The review gives no approval year"
    assert listed[braf.group(1)].text.startswith("The review gives no year and describes the approval as rapid")


def test_absent_figures_are_not_reported_never_zero(pnet: Comparison) -> None:
    assert "not reported: ORR" in cell(pnet, "studies", 1)
    sunitinib_ae = pnet.rows[pnet.topics.index("ae_any")].cells[1]
    assert [i.kind for i in sunitinib_ae] == [NOTE]
    assert sunitinib_ae[0].text.startswith("adverse-event figures: not reported in the pancreatic NET studies")
    assert "given in: Sunitinib phase 2 (NCT00381641)" in sunitinib_ae[0].text
    assert not any(b.value == 0 for b in pnet.ae_bars)
    lutetium_pfs = next(b for b in pnet.pfs_bars if b.label == "177Lu-Dotatate")
    assert lutetium_pfs.value is None and lutetium_pfs.text == "NR (not reached)"


def test_references_are_numbered_by_first_citation(pnet: Comparison) -> None:
    # the class row cites each brand's label (regulators' product information) after the drug's class facts
    assert [(r.number, r.source_id) for r in pnet.references] == [
        (1, "cmr2017"), (2, "label-afinitor"), (3, "wjco2022"), (4, "label-sutent"), (5, "label-lutathera"),
        (6, "label-somatuline-depot"), (7, "label-somatuline-autogel")]
    assert pnet.references[0].doi == "10.2147/CMAR.S113382"
    # without the class row, the thyroid review is first cited in the approvals row, number 2
    fewer = with_topics(pnet, ["studies", "approvals"])
    assert fewer.topics == ["studies", "approvals"]
    assert [r.source_id for r in fewer.references] == ["cmr2017", "wjco2022"]
    only_studies = with_topics(pnet, ["studies"])
    assert [r.source_id for r in only_studies.references] == ["cmr2017"]
    assert only_studies.ae_bars == () and only_studies.pfs_bars == pnet.pfs_bars


def test_thyroid_first_renumbers(store: Store) -> None:
    c = build_comparison(store, "rair-dtc", ["lenvatinib", "sorafenib"], ["studies"])
    assert c.references[0].number == 1 and c.cite(c.rows[0].cells[0][0]).startswith("[1")


def test_every_cited_item_has_a_reference(pnet: Comparison) -> None:
    for row in pnet.rows:
        for items in row.cells:
            for item in items:
                assert (item.source_id is None) == (pnet.cite(item) == "")
                if item.kind in (NOTE, SETTING):
                    assert item.source_id is None


def test_charts_follow_the_studies(pnet: Comparison) -> None:
    groups = list(dict.fromkeys(b.group for b in pnet.pfs_bars))
    assert groups[0] == "RADIANT-3" and "NETTER-1ᴿ (midgut NET)" in groups  # the name the table uses
    radiant = [(b.label, b.text, b.control) for b in pnet.pfs_bars if b.group == "RADIANT-3"]
    assert radiant == [("Everolimus", "11.4 months", False), ("Placebo", "5.4 months", True)]
    stomatitis = [b for b in pnet.ae_bars if b.group == "Mucositis oral"]  # the CTCAE v5.0 term
    assert [(b.label, b.text) for b in stomatitis] == [("Everolimus (RADIANT-3)", "7% (3–4)")]
    radiant = next(b for b in pnet.hr_bars if b.group.startswith("RADIANT-3"))  # the forest plot names both arms
    assert (radiant.label, radiant.text) == ("Everolimus vs Placebo", "0.34")  # radiant-3.yaml: pfs_hr 0.34


def test_too_many_therapies(store: Store) -> None:
    with pytest.raises(ValueError, match="at most 4"):
        build_comparison(store, "pnet", [*PNET, "octreotide"])


@pytest.mark.parametrize(("ref", "expected"), [
    ("disease:pnet", ("pnet", [])),
    ("drug:everolimus", (None, ["everolimus"])),
    ("drug:fosbretabulin", (None, ["everolimus+fosbretabulin"])),  # only in a combination
    ("everolimus+octreotide", (None, ["everolimus+octreotide"])),
    ("radiant-3", ("pnet", ["everolimus"])),  # a study: its experimental arm
    ("select/lenvatinib/hypertension", ("rair-dtc", ["lenvatinib"])),
    ("no-such-thing", (None, [])),
])
def test_search_refs_become_choices(store: Store, ref: str, expected: tuple[str | None, list[str]]) -> None:
    from db.compare.names import ref_choices

    assert ref_choices(store, ref) == expected


def test_local_notes_row_shows_the_users_note_unsourced(store: Store) -> None:
    c = build_comparison(store, "pnet", ["everolimus", "sunitinib"],
                         local={"everolimus": ("Ask pharmacy: stock limited", "Locally available")})
    row = next(r for r in c.rows if r.topic == "local")
    everolimus, sunitinib = row.cells
    assert [i.text for i in everolimus] == ["Local: Locally available", "Local note: Ask pharmacy: stock limited"]
    assert all(i.source_id is None for i in everolimus)
    assert [i.text for i in sunitinib] == ["no local note for this therapy on this workstation"]
