"""Search, as `tumorboard search` and the window use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.building.build import build
from db.search.query import parse
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


def test_cli_search_json_is_valid_json_for_exact_hits(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An exact identifier hit has an infinite score: printed as null, never as `Infinity`."""
    assert main(["search", "everolimus", "--json"]) == 0
    out = capsys.readouterr().out
    assert "Infinity" not in out and "NaN" not in out
    hits = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert hits[0]["id"] == "everolimus" and hits[0]["exact"] is True and hits[0]["score"] is None
    assert all(isinstance(h["score"], float) for h in hits if not h["exact"])


@pytest.mark.parametrize("limit", ["99999999999999999999", "10001", "0", "-5", "ten", "1e3"])
def test_cli_search_limit_out_of_range_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str],
                                                        limit: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["search", "everolimus", "--limit", limit])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --limit" in err and ("from 1 to 10000" in err or "not a whole number" in err)


def test_cli_search_limit_at_the_top_of_the_range(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "e", "--limit", "10000", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) > 50


def test_the_engine_clamps_a_huge_limit(small_store: Store) -> None:
    assert ("drug", "everolimus") in kinds_and_refs_limit(small_store, "everolimus", 2**80)
    assert kinds_and_refs_limit(small_store, "everolimus", -3) == [("drug", "everolimus")]


def kinds_and_refs_limit(store: Store, text: str, limit: int) -> list[tuple[str, str]]:
    return [(h.kind, h.ref) for h in store.search(text, limit)]


KNOWN = [("lenva hyper", ("toxicity", "select/lenvatinib/hypertension")), ("RADIANT-3", ("study", "radiant-3")),
         ("everolimus", ("drug", "everolimus")), ("drug:everolimus", ("drug", "everolimus"))]
WRAPPINGS = ['"{q}"', "{q}*", "*{q}*", "({q})", "(({q}", "{q}))", '"{q}', '{q}"', '"({q})"', "NEAR({q})",
             "NEAR({q}, 5)", "{q} NEAR/2", "{q} AND", "AND {q}", "OR {q}", "{q} OR", "NOT {q}", "{q} NOT",
             "title:{q}", "title : {q}", "{{title names}}: {q}", 'body:"{q}"', "^{q}", "-{q}", "+{q}", "'{q}'",
             "\x00{q}\x00", "NEAR(title:{q})"]


@pytest.mark.parametrize("wrapping", WRAPPINGS)
@pytest.mark.parametrize(("query", "hit"), KNOWN)
def test_known_queries_find_their_hits_under_hostile_wrapping(store: Store, query: str, hit: tuple[str, str],
                                                              wrapping: str) -> None:
    """FTS5 syntax typed around the words is neither an error (the tests make a query error
    raise, tests/conftest.py) nor extra words that must match: the hit is still among the first."""
    text = wrapping.format(q=query)
    found = [(h.kind, h.ref) for h in store.search(text, 20)]
    assert hit in found[:5], (text, found[:5])


def test_a_query_error_fails_instead_of_passing_as_no_hits(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The property tests back "no input can form an FTS5 expression": with the quoting broken,
    a search must raise in the tests, not answer "no matches" and pass."""
    import sqlite3

    import db.search.query

    monkeypatch.setattr(db.search.query, "_quote", lambda token: token)  # no quotes: NOT, AND, NEAR become syntax
    with pytest.raises(sqlite3.OperationalError):
        store.search("NOT")


def test_outside_the_tests_a_query_error_is_no_matches_and_logged(store: Store, monkeypatch: pytest.MonkeyPatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    import db.search.query
    from db.search.engine import STRICT_ENV

    monkeypatch.delenv(STRICT_ENV)
    monkeypatch.setattr(db.search.query, "_quote", lambda token: token)
    assert store.search("NOT") == []
    assert "search query failed" in caplog.text
