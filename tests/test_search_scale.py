"""Search over a large dataset ranks a bounded candidate set (db/search/engine.py): the same
promises hold there. The bundled dataset is small enough to rank whole, so these tests
shrink the bounds to force the large-dataset paths on data whose answers are known."""

from __future__ import annotations

import pytest

import db.search.engine as engine
from db.search.query import fts_expression, parse
from db.search.terms import fold
from db.store import Store


@pytest.fixture
def bounded(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(engine, "CAP", 40)  # at most 20 candidates in each span
    monkeypatch.setattr(engine, "BUDGET", 400)  # words in more than a few hundred documents are broad
    store._engine = engine.SearchEngine(store.conn, store.disease_tree)
    return store


def refs(store: Store, text: str, n: int = 10) -> list[tuple[str, str]]:
    return [(h.kind, h.ref) for h in store.search(text, 120)[:n]]


def test_exact_names_still_come_first(bounded: Store) -> None:
    assert refs(bounded, "everolimus")[0] == ("drug", "everolimus")
    assert refs(bounded, "RADIANT-3")[0] == ("study", "radiant-3")


def test_a_selective_word_is_weighed_and_a_broad_one_only_filters(bounded: Store) -> None:
    hits = bounded.search("lenva hyper", 120)
    assert hits and all("Lenvatinib" in h.title or h.kind != "toxicity" for h in hits)
    assert hits[0].kind == "toxicity" and hits[0].title.startswith("Hypertension — Lenvatinib")


def test_every_word_broad_still_answers_from_names_first(bounded: Store) -> None:
    hits = bounded.search("e", 120)
    assert len(hits) > 10
    assert hits[0].kind in ("drug", "disease", "adverse_event") and hits[0].title.lower().startswith("e")


def test_adverse_event_words_bring_toxicity_rows(bounded: Store) -> None:
    assert refs(bounded, "evero stoma")[0][0] == "toxicity"


def test_kind_filter_reads_only_that_kind(bounded: Store) -> None:
    hits = bounded.search("e kind:toxicity", 120)
    assert hits and {h.kind for h in hits} == {"toxicity"}
    assert {h.kind for h in bounded.search("e kind:drug", 120)} == {"drug"}


def test_typos_are_corrected_from_the_named_words(bounded: Store) -> None:
    assert ("drug", "everolimus") in refs(bounded, "everolimis")
    assert refs(bounded, "nct0000000x") == []


def test_bounded_results_are_a_subset_of_the_full_match_set(bounded: Store) -> None:
    for text in ["su", "drug:everolimus disease:p", "pancreatic neuro", "cabo hand", "phase:3 s"]:
        expression = fts_expression(parse(text))
        matching = {r[0] for r in bounded.conn.execute(
            "SELECT d.kind || '/' || d.ref FROM search JOIN search_docs d ON d.id = search.rowid"
            " WHERE search MATCH ?", (expression,))}
        hits = bounded.search(text, 120)
        assert hits, text
        assert {f"{h.kind}/{h.ref}" for h in hits if not h.exact} <= matching, text


def test_prefixes_stand_for_their_terms(store: Store) -> None:
    terms = store.engine.terms
    hyper = terms.info("hyper", prefix=True)
    assert "hypertension" in hyper.terms and hyper.top is not None
    assert terms.info("h", prefix=True).terms == ()  # FTS5 has a prefix list for one to three letters
    assert terms.info("zzzzqq", prefix=True).docs == 0
    assert fold("Évérolimus") == "everolimus"
