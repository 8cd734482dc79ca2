"""The options of a case (issue 23): `tumorboard options` and db/case, on the bundled dataset.

Figures asserted here were checked against the source documents (../shared/seeds): RADIANT-3 everolimus
11.4 vs 5.4 months, HR 0.34 (002, the RADIANT-3 paragraph); Raymond sunitinib in pNETs (002, Table 2);
177Lu-Dotatate in midgut NETs only (002, Table 2); COSMIC-311 after up to two VEGFR-targeted therapies and
lenvatinib + pembrolizumab excluding earlier VEGFR-directed multikinase therapy (003); vemurafenib's
MKI-pretreated cohort 8.9 months, the naive one 18.8 (003)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from db.case import (
    CONFLICTS,
    FIT_ORDER,
    FITS,
    OTHER_SETTING,
    PARTLY,
    CaseInputError,
    UnknownCaseName,
    case_options,
    option_summary,
    packet_choice,
    resolve_case,
)
from db.case.fit import Judge, Verdict
from db.compare.names import resolve_disease, resolve_therapy
from db.store import Store
from tumorboard import dataset
from tumorboard.cli import main


@pytest.fixture(autouse=True)
def bundled(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset, "open_dataset", lambda: store)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["options", *args])
    out, err = capsys.readouterr()
    return code, out, err


def options_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run([*args, "--json"], capsys)
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def by_therapy(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["therapy"]: o for o in data["options"]}


def test_pnet_after_octreotide(capsys: pytest.CaptureFixture[str]) -> None:
    """Done when: everolimus (lead RADIANT-3) and sunitinib fit; 177Lu-Dotatate is another setting, named."""
    found = by_therapy(options_json(["--disease", "pnet", "--prior", "octreotide"], capsys))
    assert found["everolimus"]["fit"] == FITS and found["everolimus"]["lead_study"] == "radiant-3"
    assert found["sunitinib"]["fit"] == FITS and found["sunitinib"]["lead_study"] == "raymond-sunitinib"
    lutetium = found["lutetium-dotatate"]
    assert lutetium["fit"] == OTHER_SETTING and lutetium["lead_study"] == "strosberg-lutetium-dotatate"
    assert any("only in midgut NET" in r and "not pancreatic NET" in r for r in lutetium["reasons"])
    # the source never says whether Raymond's patients had had an SSA: said, and no reason to move it
    assert "earlier somatostatin analogue: not stated" in found["sunitinib"]["reasons"]


def test_rair_dtc_after_lenvatinib_with_braf(capsys: pytest.CaptureFixture[str]) -> None:
    """Done when: cabozantinib (COSMIC-311) fits; the study that excluded earlier VEGFR-targeted therapy
    names the conflict."""
    found = by_therapy(options_json(["--disease", "rair-dtc", "--prior", "lenvatinib", "--marker", "braf-v600e"],
                                    capsys))
    assert found["cabozantinib"]["fit"] == FITS and found["cabozantinib"]["lead_study"] == "cosmic-311"
    combo = found["lenvatinib+pembrolizumab"]
    assert combo["fit"] == CONFLICTS and combo["lead_study"] == "lenvatinib-pembrolizumab-phase2"
    assert "excluded earlier VEGFR-targeted multikinase inhibitor; the case has had it" in combo["reasons"]


def test_a_therapy_takes_its_best_arm_and_lists_the_other_arms_conflict(store: Store) -> None:
    """Vemurafenib after lenvatinib: cohort 2 (after an MKI) fits, cohort 1 (MKI-naive) conflicts and is named;
    the option's figures are cohort 2's (8.9 months), not cohort 1's (18.8)."""
    case = resolve_case(store, "RAIR-DTC", prior=["lenvatinib"], markers=["BRAF V600E"])
    options = case_options(store, case)
    vemurafenib = options.option("vemurafenib")
    assert vemurafenib is not None and vemurafenib.fit == FITS and vemurafenib.lead_arm == "mki-pretreated"
    assert any(r.startswith("Vemurafenib in BRAF V600E PTC") and "Cohort 1" in r
               and r.endswith("excluded earlier VEGFR-targeted multikinase inhibitor; the case has had it")
               for r in vemurafenib.reasons)
    rows = {r.topic: r.cells[0] for r in option_summary(store, options, vemurafenib)}
    pfs = " ".join(i.text for i in rows["pfs"])
    assert "8.9 months" in pfs and "18.8" not in pfs


def test_an_option_shows_its_lead_studys_figures_with_sources(store: Store) -> None:
    options = case_options(store, resolve_case(store, "pancreatic NET", prior=["octreotide"]))
    everolimus = options.option("everolimus")
    assert everolimus is not None
    rows = {r.topic: r.cells[0] for r in option_summary(store, options, everolimus)}
    assert rows["lead"][0].text.startswith("RADIANT-3: randomised phase 3, n=410")
    assert any(i.text.startswith("11.4 months vs 5.4 months") and i.source_id for i in rows["pfs"])
    assert any(i.text.startswith("0.34") and i.source_id for i in rows["hr"])


def test_an_options_drugs_are_read_as_the_whole_list_has_them(store: Store) -> None:
    """An option's figures read only its own drugs (`Store.drugs(only)`): each, and a combination, with its
    names, classes, facts, approvals and brands as in the list of every drug."""
    every = store.drugs()
    assert any(d["approvals"] for d in every) and any(d["brands"] for d in every) and any(d["facts"] for d in every)
    for d in every:
        assert store.drugs([d["id"]]) == [d]
    chosen = {every[-1]["id"], every[0]["id"], "placebo-not-a-drug"}
    assert store.drugs(chosen) == [every[0], every[-1]]


def test_each_group_has_its_reason(store: Store) -> None:
    options = case_options(store, resolve_case(store, "RAIR-DTC", prior=["lenvatinib"], markers=["BRAF V600E"],
                                               negative=["RET fusion"]))
    # partly: a broader disease (thyroid cancer for RAI-refractory DTC), named
    vandetanib = options.option("vandetanib")
    assert vandetanib is not None and vandetanib.fit == PARTLY
    assert vandetanib.reasons[0].startswith("studied in differentiated thyroid cancer, broader than RAI-refractory DTC")
    # partly: a marker the case has not been tested for
    larotrectinib = options.option("larotrectinib")
    assert larotrectinib is not None and larotrectinib.fit == PARTLY
    assert "needs NTRK fusion testing" in larotrectinib.reasons
    # conflicts: a required marker tested negative (LIBRETTO-001 required a RET fusion)
    selpercatinib = options.option("selpercatinib")
    assert selpercatinib is not None and selpercatinib.fit == CONFLICTS
    assert "required RET fusion; the case tested negative" in selpercatinib.reasons
    # a required BRAF mutation of any kind is met by BRAF V600E
    dabrafenib = options.option("dabrafenib")
    assert dabrafenib is not None and dabrafenib.fit == FITS


def test_conflicts_of_earlier_therapy_and_functional_status(store: Store) -> None:
    """A pNET case that has had nothing: a study that required earlier therapy conflicts; a functional lung
    NET: RADIANT-4 (nonfunctional only) conflicts, named, while LUNA (status not stated) keeps everolimus in
    fits."""
    pnet = case_options(store, resolve_case(store, "pnet"))
    combo = pnet.option("everolimus+octreotide")
    assert combo is not None
    assert "RADIANT-1, Stratum 2 (prior SSA): everolimus 10 mg/day + octreotide LAR 30 mg: required earlier " \
        "chemotherapy; the case has not had it" in combo.reasons
    lung = case_options(store, resolve_case(store, "lung NET", functional=True))
    everolimus = lung.option("everolimus")
    assert everolimus is not None and everolimus.fit == FITS and everolimus.lead_study == "luna"
    assert "RADIANT-4: nonfunctional tumours only; the case's tumour is functional" in everolimus.reasons
    assert "functional status: not stated" in everolimus.reasons


def test_sstr_needs_and_conflicts_and_grades(store: Store) -> None:
    case = resolve_case(store, "pnet", ki67=25, sstr="negative", functional=False)
    judge = Judge(case, {}, {})
    verdict = judge.verdict({"sstr": {"value": "required"}, "grades": {"value": ["G1", "G2"]},
                             "functional": {"value": "functional"}, "line": {"value": "first"}})
    assert verdict.conflicts == (
        "functional tumours only; the case's tumour is nonfunctional",
        "SSTR-positive disease required; the case's SSTR imaging is negative",
        "grades G1, G2 only; the case is G3 (WHO 2010 / ENETS)")  # Ki-67 25% is G3 in Table 1 (>20%)
    unknown = Judge(resolve_case(store, "pnet", sstr="unknown"), {}, {})
    assert unknown.verdict({"sstr": {"value": "required"}}).needs == (
        "needs SSTR imaging: SSTR-positive disease required",)
    after = Judge(resolve_case(store, "pnet", prior=["everolimus"]), {"mtor": "mTOR inhibitor"}, {})
    assert after.verdict({"line": {"value": "first"}}).conflicts == (
        "first line only (no earlier systemic therapy); the case has had mTOR inhibitor",)
    naive = Judge(resolve_case(store, "pnet"), {}, {})
    assert naive.verdict({"line": {"value": "later"}}).conflicts == (
        "only after earlier systemic therapy; the case has had none",)
    assert naive.verdict({"line": {"value": "mixed"}, "prior": "not stated"}) == Verdict()


def test_marker_rules(store: Store) -> None:
    names = {"braf-v600e": "BRAF V600E", "braf-mutation": "BRAF mutation (not specified)", "ret-fusion": "RET fusion"}
    found = Judge(resolve_case(store, "rair-dtc", markers=["BRAF V600E"]), {}, names)
    assert found.verdict({"markers": [{"marker": "braf-v600e", "rule": "excluded"}]}).conflicts == (
        "excluded BRAF V600E; the case has it",)
    assert found.verdict({"markers": [{"marker": "braf-mutation", "rule": "required"}]}) == Verdict()
    assert found.verdict({"markers": "not stated"}).unstated == ("BRAF V600E: not stated",)
    any_braf = Judge(resolve_case(store, "rair-dtc", negative=["BRAF mutated"]), {}, names)
    assert any_braf.verdict({"markers": [{"marker": "braf-v600e", "rule": "required"}]}).conflicts == (
        "required BRAF V600E; the case tested negative",)
    only_v600e = Judge(resolve_case(store, "rair-dtc", negative=["BRAF V600E"]), {}, names)
    assert only_v600e.verdict({"markers": [{"marker": "braf-mutation", "rule": "required"}]}).needs == (
        "needs BRAF mutation (not specified) testing",)  # another BRAF mutation may still be there


def test_a_therapy_already_received_is_marked_and_never_chosen(store: Store) -> None:
    options = case_options(store, resolve_case(store, "pnet", prior=["octreotide long-acting repeatable"]))
    octreotide = options.option("octreotide")
    assert octreotide is not None and octreotide.already_received
    assert octreotide.reasons[0] == "already received (Octreotide LAR)"
    everolimus = options.option("everolimus")
    assert everolimus is not None and not everolimus.already_received
    rair = case_options(store, resolve_case(store, "RAIR", prior=["lenvatinib"]))
    lenvatinib = rair.option("lenvatinib")
    assert lenvatinib is not None and lenvatinib.fit == FITS and lenvatinib.already_received
    chosen = [o.therapy for o in packet_choice(rair)]
    assert "lenvatinib" not in chosen and len(chosen) == 4 and all(rair.option(t).fit == FITS for t in chosen)


def test_nothing_from_another_root(store: Store) -> None:
    """A thyroid case lists no study only in a NET or another family; a NET case none only in thyroid cancer."""
    tree = store.disease_tree
    for disease, root in (("pnet", "net"), ("rair-dtc", "thyroid-cancer")):
        options = case_options(store, resolve_case(store, disease))
        studies = {s for o in options.options for s in o.studies}
        assert studies
        for sid in studies:
            study = store.study(sid)
            assert study is not None and any(root in tree.lineage(d) for d in study["diseases"]), sid
    thyroid = {s for o in case_options(store, resolve_case(store, "rair-dtc")).options for s in o.studies}
    assert "radiant-3" not in thyroid and "selitrectinib-trk-pretreated" not in thyroid  # solid tumours only


def test_groups_come_in_order_and_within_a_group_by_evidence(store: Store) -> None:
    options = case_options(store, resolve_case(store, "pnet", prior=["octreotide"]))
    assert [g.fit for g in options.groups] == list(FIT_ORDER)
    fits = [o.therapy for o in options.group(FITS).options]
    assert fits.index("everolimus") < fits.index("sunitinib")  # RADIANT-3 (n=410) before Raymond (n not printed)
    assert options.order_line.startswith("Ordered by evidence, not advice")


def test_the_json_carries_only_the_specified_fields(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    data = options_json(["--disease", "GEP-NET", "--ki67", "14", "--functional", "no", "--sstr", "positive",
                         "--prior", "SSA"], capsys)
    assert set(data) == {"case", "options"}
    assert data["case"]["disease"] == "gep-net" and data["case"]["grade"]["grade"] == "G2"
    assert data["case"]["grade"]["edition"] == "WHO 2010 / ENETS"
    assert data["case"]["prior"]["classes"] == ["ssa"] and data["case"]["functional"] == "nonfunctional"
    for o in data["options"]:
        assert set(o) == {"therapy", "fit", "reasons", "lead_study", "studies"}
        assert o["fit"] in FIT_ORDER and o["lead_study"] == o["studies"][0]
        assert resolve_therapy(store, o["therapy"]).key == o["therapy"]  # the id the handout takes
    text = json.dumps(data).casefold()
    assert "recommend" not in text and "score" not in text


def test_the_text_is_grouped_with_the_order_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--disease", "pnet", "--prior", "octreotide", "--ki67", "14"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Case: Pancreatic neuroendocrine tumour; G2 (WHO 2010 / ENETS; Ki-67 14%); after Octreotide LAR"
    assert lines[2].startswith("Ordered by evidence, not advice")
    heads = [line for line in lines if line and not line.startswith(" ") and "(" in line and line[-1] == ")"]
    assert [h.rsplit(" (", 1)[0] for h in heads][-4:] == [
        "Fits the case", "Fits in part (a broader disease, or a test the case still needs)",
        "Conflicts with the case", "Other setting (another disease of the same family)"]
    assert "  Everolimus [everolimus]" in lines and "  Octreotide LAR [octreotide] — already received" in lines
    assert "    Median PFS (vs control): 11.4 months vs 5.4 months (Placebo) [cmr2017: Table 4]" in lines


@pytest.mark.parametrize(("args", "message"), [
    (["--disease", "pancreatic NTE"], "unknown disease 'pancreatic NTE'; close matches: "),
    (["--disease", "pnet", "--marker", "BRAF V600"], "unknown marker 'BRAF V600'; close matches: BRAF V600E"),
    (["--disease", "pnet", "--negative", "RET fusoin"], "unknown marker 'RET fusoin'; close matches: RET fusion"),
    (["--disease", "pnet", "--prior", "lenvatinb"],
     "unknown earlier therapy (drug or class) 'lenvatinb'; close matches: Lenvatinib"),
    (["--disease", "pnet", "--prior", "mTOR inhibitr"],
     "unknown earlier therapy (drug or class) 'mTOR inhibitr'; close matches: mTOR inhibitor"),
])
def test_an_unknown_name_lists_close_matches_and_exits_1(args: list[str], message: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(args, capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"tumorboard options: error: {message}")
    field = {"--disease": "disease", "--marker": "marker", "--negative": "negative", "--prior": "prior"}[args[-2]]
    assert err.rstrip().endswith(f"(--{field})")


@pytest.mark.parametrize(("args", "message"), [
    (["--disease", "pnet", "--ki67", "140"], "Ki-67"),
    (["--disease", "rair-dtc", "--functional", "yes"], "functional status and SSTR imaging are for a neuroendocrine"),
    (["--disease", "rair-dtc", "--ki67", "5"], "grade inputs (Ki-67, mitoses, necrosis, differentiation) are for"),
    (["--disease", "rair-dtc", "--marker", "BRAF V600E", "--negative", "braf-v600e"],
     "BRAF V600E: given both as found and as tested negative"),
    (["--disease", "pnet", "--prior", *["octreotide"] * 21], "--prior is given 21 times; at most 20"),
])
def test_a_value_that_cannot_be_used_exits_2(args: list[str], message: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(args, capsys)
    assert code == 2 and out == "" and message in err


def test_errors_name_the_field_for_the_window(store: Store) -> None:
    with pytest.raises(UnknownCaseName) as unknown:
        resolve_case(store, "pnet", prior=["octreotide", "MKII"])
    # the class first; a drug whose brand is spelt alike (Mekinist: trametinib) may follow
    assert unknown.value.field == "prior" and unknown.value.matches[0] == "VEGFR-targeted multikinase inhibitor"
    with pytest.raises(CaseInputError) as bad:
        resolve_case(store, "pnet", sstr="maybe")
    assert bad.value.field == "sstr"


@pytest.mark.parametrize(("typed", "ident"), [("RAIR", "rair-dtc"), ("RAIR-DTC", "rair-dtc"), ("pNET", "pnet"),
                                              ("GEP-NET", "gep-net")])
def test_the_sources_abbreviations_name_their_disease(store: Store, typed: str, ident: str) -> None:
    assert resolve_disease(store, typed) == ident


def test_the_grade_comes_from_the_edition_of_the_site(store: Store) -> None:
    lung = resolve_case(store, "lung NET", mitoses=3, necrosis="none")
    assert lung.grade is not None and lung.grade.candidates == ("AC",) and lung.grade.edition.startswith("WHO 2015")
    net = resolve_case(store, "NET", ki67=14)
    assert net.grade is None and net.grade_note.startswith("not graded")
    assert "Ki-67" not in net.description and net.grade_note in net.description


def test_a_packet_takes_a_case_instead_of_therapies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Done when (the packet's part): the case's first options that fit are compared (never one already
    received), its description and the options left out are printed under its heading."""
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"meeting": "Board", "cases": [
        {"label": "Case 1", "disease": "pNET", "ki67": 14, "prior": ["octreotide"]},
        {"label": "Case 2", "disease": "pnet", "therapies": ["everolimus", "sunitinib"]}]}))
    out = tmp_path / "packet.pdf"
    assert main(["packet", str(cases), "-o", str(out)]) == 0, capsys.readouterr().err
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(out).pages]
    first = next(p for p in pages if "Case: Pancreatic" in p)
    assert "Case 1 — Pancreatic neuroendocrine tumour" in first
    assert "Case: Pancreatic neuroendocrine tumour; G2 (WHO 2010 / ENETS; Ki-67 14%); after Octreotide LAR" in first
    assert "Everolimus · Sunitinib · Everolimus + Fluorouracil + Streptozocin · Bevacizumab + Everolimus + " \
        "Octreotide LAR" in first
    assert "Ordered by evidence, not advice" in first
    assert "Octreotide LAR (already received)" in first and "177Lu-Dotatate" in first  # listed as left out
    assert "RADIANT-3" in first and "Raymond" in first and "SEQTOR" in first and "CALGB 80701" in first
    second = next(p for p in pages if "Case 2 — Pancreatic neuroendocrine tumour Everolimus · Sunitinib" in p)
    assert "Case:" not in second and "Not compared here" not in second  # a therapy list: nothing left out


@pytest.mark.parametrize(("entry", "message"), [
    ({"ki67": "14"}, "\"ki67\" must be a number"),
    ({"functional": "yes"}, "\"functional\" must be true or false"),
    ({"sstr": "maybe"}, "\"sstr\" must be one of positive, negative, unknown"),
    ({"prior": ["octreotide"] * 21}, "\"prior\" has 21 names; at most 20 are allowed"),
    ({"markers": ["x" * 201]}, "markers 1 is 201 characters long; at most 200 are allowed"),
    ({"prior": ["lenvatinb"]}, "unknown earlier therapy (drug or class) 'lenvatinb'; close matches: Lenvatinib"),
    ({"disease": "pnet", "prior": [], "markers": ["RET fusion"], "negative": ["RET fusion"]},
     "given both as found and as tested negative"),
])
def test_a_packet_case_is_held_to_the_case_files_limits(tmp_path: Path, entry: dict[str, Any], message: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [{"label": "Case 1", "disease": "pnet", **entry}]}))
    code = main(["packet", str(cases), "-o", str(tmp_path / "p.pdf")])
    assert code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "p.pdf").exists()


def test_a_packet_case_with_too_few_options_that_fit_says_so(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [{"label": "Case 1", "disease": "breast cancer",
                                                     "prior": ["alpelisib", "everolimus", "exemestane"]}]}))
    assert main(["packet", str(cases), "-o", str(tmp_path / "p.pdf")]) == 2
    assert "a comparison needs 2: give its therapies instead" in capsys.readouterr().err


@pytest.mark.parametrize("enabled", [True, False])
def test_the_options_leave_the_cyclic_collector_as_they_found_it(store: Store, enabled: bool,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector waits while the options are built (no cycle among them) and is then as it was: on in the
    command line, off on the window's worker (desktop/gc_guard.py), and a collection meanwhile never runs."""
    import gc

    was = gc.isenabled()
    seen: list[bool] = []
    real = Judge.verdict

    def watched(self: Judge, population: dict[str, Any]) -> Verdict:
        seen.append(gc.isenabled())
        return real(self, population)

    monkeypatch.setattr(Judge, "verdict", watched)
    try:
        (gc.enable if enabled else gc.disable)()
        options = case_options(store, resolve_case(store, disease="pnet", prior=["octreotide"]))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert options.options and seen and not any(seen)
