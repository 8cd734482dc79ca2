"""Trials by the names clinicians say (issue 16): acronyms and registry numbers that the five sources
do not print, each cited to the registry record or publication that gives it, found exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.store import Store
from tests.samples import STUDY, write_study
from tumorboard.cli import main


def cli_search(capsys: pytest.CaptureFixture[str], *query: str) -> list[str]:
    """The lines `tumorboard search` prints, without the snippet lines."""
    assert main(["search", *query, "--limit", "10"]) == 0
    return [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]


@pytest.mark.parametrize(("query", "study", "title"), [
    ("PROMID", "rinke-octreotide", "PROMIDᴿ (Rinke)"),
    ("CLARINET", "caplin-lanreotide", "CLARINETᴿ (Caplin)"),
    ("NETTER-1", "strosberg-lutetium-dotatate", "NETTER-1ᴿ (Strosberg)"),
    ("NCT00510068", "radiant-3", "RADIANT-3 (Yao)"),
    ("NCT03690388", "cosmic-311", "COSMIC-311"),
    ("NCT00428597", "raymond-sunitinib", "Raymond"),
    ("netter 1", "strosberg-lutetium-dotatate", "NETTER-1ᴿ (Strosberg)"),
    ("nct:nct00171873", "rinke-octreotide", "PROMIDᴿ (Rinke)"),
])
def test_cli_search_lists_the_study_first(home: Path, capsys: pytest.CaptureFixture[str], query: str, study: str,
                                          title: str) -> None:
    first = cli_search(capsys, query)[0].split(maxsplit=2)
    assert first == ["study", study, title]


def test_netter_2_is_not_netter_1(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = cli_search(capsys, "NETTER-2")
    assert not any("strosberg" in line or "NETTER-1" in line for line in lines), lines
    assert lines[0] == "No study with the acronym NETTER-2 in the dataset; acronyms are matched exactly."


def test_an_acronym_is_not_a_near_spelling_of_another(store: Store) -> None:
    assert store.search("RADIANT-5").notice.startswith("No study with the acronym RADIANT-5")
    assert not [h for h in store.search("RADIANT-5") if h.ref.startswith("radiant-")]
    refs = [h.ref for h in store.search("RADIANT-3", 50) if h.kind == "study"]
    assert refs[0] == "radiant-3" and not {"radiant-1", "radiant-2", "radiant-4"} & set(refs)  # one character apart
    assert [h.ref for h in store.search("PROMIT") if h.kind == "study"] == []  # no typo tolerance for acronyms
    assert store.search("STARTRK-1")[0].ref == "startrk-1-2"  # one trial of a pooled acronym
    assert store.search("KEYNOTE-28")[0].ref == "keynote-028"  # the same number, without its leading zero


def test_a_registry_record_is_no_search_hit_of_its_own(store: Store) -> None:
    """The study's hit carries the identifier; a hit for the record itself would open nothing."""
    assert [(h.kind, h.ref) for h in store.search("NCT00510068")] == [("study", "radiant-3")]
    assert not [h for h in store.search("ClinicalTrials.gov", 100) if h.kind == "source"]


def test_registry_numbers_the_dataset_does_not_hold(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_search(capsys, "NCT99999999") == ["No study with the registry number NCT99999999 in the dataset."]
    lines = cli_search(capsys, "nct:NETTER-1")
    assert lines[0] == "NETTER-1ᴿ (Strosberg): its registry number (NCT) is not recorded in the dataset."
    assert lines[1].split()[:2] == ["study", "strosberg-lutetium-dotatate"]
    assert main(["search", "NCT99999999", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == [] and "No study with the registry number" in out.err


def test_store_records_carry_the_identifiers_with_their_citation(store: Store) -> None:
    rinke = store.study("PROMID")  # a study look-up by an identifier
    assert rinke is not None and rinke["id"] == "rinke-octreotide"
    assert rinke["acronym"] is None and rinke["nct"] is None  # as printed in the source: nothing
    assert rinke["label"] == "PROMIDᴿ (Rinke)"
    assert [(i["kind"], i["value"], i["source_id"], i["source_kind"]) for i in rinke["identifiers"]] == [
        ("acronym", "PROMID", "rinke2009-jco", "publication"),
        ("nct", "NCT00171873", "ctgov-nct00171873", "registry")]
    assert all(i["locator"] for i in rinke["identifiers"])
    assert store.study("netter-2") is None and store.find_study("NETTER 1") == "strosberg-lutetium-dotatate"
    radiant = store.study("radiant-3")
    assert radiant is not None and radiant["label"] == "RADIANT-3 (Yao)"  # an acronym the source prints: no mark
    netter = store.study("NETTER-1")
    assert netter is not None and [i["kind"] for i in netter["identifiers"]] == ["acronym"]  # empty cell stays empty


def test_the_study_pane_says_which_identifiers_the_sources_do_not_print(store: Store) -> None:
    from desktop.study_html import study_html

    sources = {s["id"]: s for s in store.sources()}
    html = study_html(store.study("rinke-octreotide"), sources, {}, "x")  # type: ignore[arg-type]
    assert "<h2>PROMIDᴿ <small>(Rinke)</small></h2>" in html
    assert "Identifiers not printed in the sources:" in html
    assert "acronym <b>PROMIDᴿ</b> from the trial&#x27;s publication" in html
    assert "ClinicalTrials.gov number <b>NCT00171873</b> from the trial registry" in html
    assert "[ClinicalTrials.gov NCT00171873, Record NCT00171873]" in html
    assert "ᴿ acronym from the trial registry or the trial&#x27;s own publication" in html
    netter = study_html(store.study("strosberg-lutetium-dotatate"), sources, {}, "x")  # type: ignore[arg-type]
    assert "ClinicalTrials.gov number not recorded in the dataset" in netter


def test_export_carries_identifiers(store: Store) -> None:
    from db.export import dataset_object

    data = dataset_object(store)
    caplin = next(s for s in data["studies"] if s["id"] == "caplin-lanreotide")
    assert caplin["label"] == "CLARINETᴿ (Caplin)" and caplin["acronym"] is None
    assert caplin["identifiers"][0] == {"kind": "acronym", "value": "CLARINET", "source": "ctgov-nct00353496",
                                        "at": 'Record title, ending "(CLARINET)"'}
    assert "ctgov-nct00353496" in caplin["sources"]
    kinds = {s["id"]: s["kind"] for s in data["sources"]}
    assert kinds["ctgov-nct00353496"] == "registry" and kinds["strosberg2017-nejm"] == "publication"


IDENTIFIED = STUDY.replace("arms:\n", "identifiers:\n@IDENTIFIERS@arms:\n", 1)


def identified(entry: str) -> str:
    return IDENTIFIED.replace("@IDENTIFIERS@", entry)


def run_check(seeds: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--seeds", str(seeds)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_cited_identifier_passes(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, identified("  - {kind: nct, value: NCT00510068, source: ctgov-nct00510068, at: Record}\n"))
    code, out = run_check(mini_seeds, capsys)
    assert code == 0, out


@pytest.mark.parametrize(("entry", "message"), [
    ("  - {kind: acronym, value: TESTER}\n", "identifier 'TESTER' has no citation: add 'source:'"),
    ("  - {kind: acronym, value: TESTER, at: Title}\n", "identifier 'TESTER' has no citation"),
    ("  - {kind: acronym, value: TESTER, source: rinke2009-jco}\n", "identifier 'TESTER' has no locator"),
    ("  - {kind: acronym, value: TESTER, source: cmr2017, at: Table 4}\n",
     "cites 'cmr2017', a document: cite the registry record or publication"),
    ("  - {kind: acronym, value: TESTER, source: nosuch, at: Title}\n", "unknown source 'nosuch'"),
    ("  - {kind: nct, value: NCT123, source: ctgov-nct00510068, at: Record}\n", "must look like NCT01234567"),
    ("  - {kind: code, value: X, source: ctgov-nct00510068, at: Record}\n", "'kind' must be one of acronym, nct"),
    ("  - {kind: acronym, value: TEST-1, source: rinke2009-jco, at: Title}\n", "already printed in the source"),
])
def test_check_refuses_an_identifier_without_its_citation(mini_seeds: Path, capsys: pytest.CaptureFixture[str],
                                                          entry: str, message: str) -> None:
    path = write_study(mini_seeds, identified(entry))
    code, out = run_check(mini_seeds, capsys)
    line = identified(entry).splitlines().index(entry.rstrip("\n")) + 1
    assert code == 1
    assert any(f"{path.parent.name}/{path.name}:{line}: " in row and message in row for row in out.splitlines()), out


def test_a_registry_record_is_never_cited_for_a_figure(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, STUDY.replace('{measure: orr, value: "40"}',
                                          '{measure: orr, value: "40", source: ctgov-nct00510068, at: Record}'))
    code, out = run_check(mini_seeds, capsys)
    assert code == 1 and "source 'ctgov-nct00510068' is a registry record: it is cited only for" in out


def test_an_identifier_names_one_study(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = "  - {kind: acronym, value: SHARED, source: rinke2009-jco, at: Title}\n"
    write_study(mini_seeds, identified(entry))
    other = identified(entry).replace("id: test-study", "id: other-study").replace(
        "acronym: TEST-1", "acronym: OTHER-1")
    write_study(mini_seeds, other, "other-study")
    code, out = run_check(mini_seeds, capsys)
    assert code == 1 and "identifier 'SHARED' also names study" in out


def test_a_nul_byte_in_a_pasted_acronym_never_reaches_the_notice(store: Store) -> None:
    """A NUL pasted inside an acronym is read as a space: the notice names what the user can read."""
    notice = store.search("RADIANT\x005").notice
    assert notice.startswith("No study with the acronym RADIANT 5 in the dataset"), notice
    assert "\x00" not in notice
