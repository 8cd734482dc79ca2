"""Brand names clinicians say (issue 24): every row of ../shared/data/drug-brands.csv in seeds/brands.yaml,
cited to the regulator's label it names and marked as not from the sources, found wherever a drug name is
typed and shown with the drug beside it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from db.compare.names import resolve_therapy, shown_name, therapy_suggestions
from db.dataset.seeds import read_dataset
from db.paths import bundled_seeds
from db.store import Store
from tumorboard.cli import main

CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "drug-brands.csv"


def _rows() -> list[dict[str, str]]:
    if not CSV.exists():
        pytest.fail(f"{CSV} is missing: the brands are checked against it")
    with CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_row_of_the_reference_file_is_a_brand_cited_to_its_label() -> None:
    ds, errors = read_dataset(bundled_seeds())
    assert not errors
    sources = {s.id: s for s in ds.sources}
    seeded = {(b.drug, b.name): b for b in ds.brands}
    rows = _rows()
    assert len(seeded) == len(rows)
    for row in rows:
        brand = seeded[(row["drug"], row["brand"])]
        assert brand.regions == row["region"].split(";")
        label = sources[brand.cite.source]
        assert label.kind == "label" and label.citation == row["label"] + "."


def check(seeds: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--seeds", str(seeds)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_check_refuses_a_brand_without_its_label_and_a_label_cited_for_a_fact(
        seeds_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brands = seeds_copy / "brands.yaml"
    text = brands.read_text(encoding="utf-8")
    text = text.replace("source: label-sutent", "source: cmr2017")
    text += "  - {drug: nodrug, name: Nodrugin, regions: [US], source: label-sutent, at: Title}\n"
    text += "  - {drug: sorafenib, name: Sutent, regions: [EU], source: label-sutent, at: Title}\n"
    brands.write_text(text, encoding="utf-8")
    drug = seeds_copy / "drugs" / "sorafenib.yaml"
    drug.write_text(drug.read_text(encoding="utf-8").replace("source: wjco2022", "source: label-nexavar", 1),
                    encoding="utf-8")
    code, out = check(seeds_copy, capsys)
    assert code != 0
    assert "brand 'Sutent' cites 'cmr2017', a document: cite the regulator's product information" in out
    assert "brand 'Nodrugin' names unknown drug 'nodrug'" in out
    assert "'Sutent' names both drug 'sunitinib' and 'sorafenib'" in out
    assert "source 'label-nexavar' is a label record: it is cited only for a drug's brand names" in out


@pytest.mark.parametrize(("typed", "drug", "shown"), [
    ("Lutathera", "lutetium-dotatate", "Lutathera (177Lu-Dotatate)"), ("Sutent", "sunitinib", "Sutent (Sunitinib)"),
    ("nexavar", "sorafenib", "Nexavar (Sorafenib)"), ("Lenvima", "lenvatinib", "Lenvima (Lenvatinib)"),
    ("Cabometyx", "cabozantinib", "Cabometyx (Cabozantinib)"), ("Somatuline", "lanreotide", "Somatuline (Lanreotide)"),
    ("Retsevmo", "selpercatinib", "Retsevmo (Selpercatinib)"), ("Retevmo", "selpercatinib", "Retevmo (Selpercatinib)")])
def test_a_brand_resolves_to_its_drug_and_is_shown_beside_it(store: Store, typed: str, drug: str, shown: str) -> None:
    regimen = resolve_therapy(store, typed)
    assert regimen.key == drug and shown_name(store, typed, regimen) == shown
    assert resolve_therapy(store, shown).key == drug  # the name as shown, typed back


def test_a_misspelling_is_a_synonym_never_a_second_suggestion(store: Store) -> None:
    assert resolve_therapy(store, "Lu-Dototate").key == "lutetium-dotatate"
    for typed in ("Lu-Dot", "Dototate", "177", "lutetium"):
        assert therapy_suggestions(store, typed) == ["177Lu-Dotatate"], typed
    assert therapy_suggestions(store, "Lutath") == ["Lutathera (177Lu-Dotatate)"]


@pytest.mark.parametrize(("brand", "study"), [
    ("lutathera", "strosberg-lutetium-dotatate"), ("Sutent", "raymond-sunitinib"), ("Nexavar", "decision"),
    ("Lenvima", "select"), ("Cabometyx", "cosmic-311"), ("Somatuline", "caplin-lanreotide"),
    ("Sandostatin", "rinke-octreotide")])
def test_search_finds_a_brands_studies(store: Store, brand: str, study: str) -> None:
    assert study in [h.ref for h in store.search(brand, 10)]


def test_cli_search_lutathera_lists_netter_1_under_the_brand_shown_with_its_drug(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "lutathera", "--limit", "5"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    assert lines[0].split(maxsplit=2) == ["drug", "lutetium-dotatate", "Lutathera (177Lu-Dotatate)"]
    assert any("NETTER-1" in line for line in lines)


def test_handout_takes_a_brand_and_cites_its_label(home: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    out = tmp_path / "h.pdf"
    code = main(["handout", "--disease", "midgut NET", "--therapy", "Lutathera", "--therapy", "Sandostatin LAR Depot",
                 "-o", str(out)])
    assert code == 0
    assert "Lutathera (177Lu-Dotatate), Sandostatin LAR Depot (Octreotide LAR)" in capsys.readouterr().err
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Lutathera (177Lu-Dotatate)" in text
    assert "US prescribing information and EU summary of product characteristics for Lutathera" in text


def test_a_brand_of_another_form_is_never_shown_as_the_datasets_drug(store: Store, home: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Sandostatin's label is the short-acting octreotide injection; every octreotide study here used the LAR
    form. "Sandostatin" typed still finds octreotide, shown as Sandostatin LAR Depot, never as
    "Sandostatin (Octreotide LAR)"; the brand row stays cited in the seeds but names nothing."""
    ds, _errors = read_dataset(bundled_seeds())
    other = [b for b in ds.brands if b.other_form]
    assert [(b.drug, b.name) for b in other] == [("octreotide", "Sandostatin")]
    regimen = resolve_therapy(store, "Sandostatin")
    assert regimen.key == "octreotide"
    assert shown_name(store, "Sandostatin", regimen) == "Sandostatin LAR Depot (Octreotide LAR)"
    assert therapy_suggestions(store, "Sandos") == ["Sandostatin LAR Depot (Octreotide LAR)"]
    assert ("octreotide", "Sandostatin") not in store.compare.drug_brands()
    assert main(["search", "sandostatin", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "rinke" in out.lower() or "promid" in out.lower()
    assert "Sandostatin (Octreotide LAR)" not in out
