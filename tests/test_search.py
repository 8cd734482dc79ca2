"""Search, as `tumorboard search` and the window use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.build import build
from db.query import parse
from db.store import Store
from tests.samples import write_study
from tumorboard.cli import main


@pytest.fixture
def small_store(mini_seeds: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    write_study(mini_seeds)
    path = tmp_path / "dataset.sqlite3"
    build(mini_seeds, path)
    s = Store(path)
    yield s
    s.close()


def kinds_and_refs(store: Store, text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.ref) for h in store.search(text)]


def test_exact_acronym_comes_first(small_store: Store) -> None:
    assert kinds_and_refs(small_store, "test-1")[0] == ("study", "test-study")
    assert kinds_and_refs(small_store, "TEST 1")[0] == ("study", "test-study")


def test_prefixes_find_drugs_and_toxicity_rows(small_store: Store) -> None:
    hits = kinds_and_refs(small_store, "evero stoma")
    assert ("toxicity", "test-study/drug/stomatitis") in hits
    assert hits[0] == ("toxicity", "test-study/drug/stomatitis")


def test_brand_names_codes_and_synonyms(small_store: Store) -> None:
    assert ("drug", "everolimus") in kinds_and_refs(small_store, "Afinitor")
    assert kinds_and_refs(small_store, "RAD001")[0] == ("drug", "everolimus")
    assert ("toxicity", "test-study/drug/stomatitis") in kinds_and_refs(small_store, "oral mucositis")
    assert kinds_and_refs(small_store, "pNET")[0] == ("disease", "pnet")


def test_case_accents_and_word_order(small_store: Store) -> None:
    base = kinds_and_refs(small_store, "everolimus stomatitis")
    assert kinds_and_refs(small_store, "STOMATITIS Évérolimus") == base


def test_small_typos_are_forgiven(small_store: Store) -> None:
    assert ("drug", "everolimus") in kinds_and_refs(small_store, "everolimis")


def test_field_terms_restrict_the_match(small_store: Store) -> None:
    hits = kinds_and_refs(small_store, "drug:everolimus disease:pnet phase:3 ae:stomatitis")
    assert ("study", "test-study") in hits
    assert kinds_and_refs(small_store, "drug:everolimus phase:2") == []
    assert kinds_and_refs(small_store, "disease:gep-net kind:study") == [("study", "test-study")]


def test_parse_keeps_unknown_fields_as_words() -> None:
    query = parse("foo:bar drug:everolimus")
    assert [(t.column, t.tokens) for t in query.terms] == [("drugs", ["everolimus"]), (None, ["foo"]),
                                                           (None, ["bar"])]


@pytest.mark.parametrize("text", ['"', "*", "AND", "OR NOT", "(((", "NEAR(a b)", "a:b:c", "\x00", "x" * 100_000,
                                  "مرحبا", "😀 lenva", "drug:", "phase:", "'; DROP TABLE studies; --"])
def test_hostile_input_answers_without_error(small_store: Store, text: str) -> None:
    assert isinstance(small_store.search(text), list)


def test_cli_search_prints_ranked_hits(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "everolimus", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["drug", "everolimus"]


def test_cli_search_json(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "radiant-3", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["kind"] == "study" and hits[0]["id"] == "radiant-3"
    assert set(hits[0]) >= {"kind", "id", "title", "snippet"}
