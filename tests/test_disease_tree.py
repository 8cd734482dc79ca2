"""The disease tree is built once per dataset (db/dataset/diseases.py) and every surface that asks for a
setting agrees with it on every disease: the Toxicity setting, the Trials disease filter, search, Compare's
columns, the lead study, and the search index's disease words. The expected answers are worked out here
from the diseases' parent links alone, by a plain walk."""

from __future__ import annotations

import re
import sqlite3

import pytest

from db.compare.summaries import build_comparison
from db.dataset.diseases import DiseaseTree, tree_of
from db.presentation.evidence import evidence_key
from db.presentation.evidence import tests as under_test
from db.search.query import parse
from db.store import Store, lead_study
from db.toxicity.table import disease_choices, setting
from db.trials.queries import Filters

THERAPY = "everolimus"


def parent_links(store: Store) -> dict[str, str | None]:
    return {d["id"]: d["parent_id"] for d in store.diseases()}


def expected(parents: dict[str, str | None], disease: str) -> tuple[set[str], set[str]]:
    """(the disease and everything under it, everything above it), by walking the links one by one."""
    below = {disease}
    while grown := {d for d, p in parents.items() if p in below} - below:
        below |= grown
    above: set[str] = set()
    current = parents.get(disease)
    while current is not None and current not in above:
        above.add(current)
        current = parents.get(current)
    return below, above - below


@pytest.fixture
def every(store: Store) -> list[tuple[str, set[str], set[str]]]:
    parents = parent_links(store)
    assert len(parents) > 10 and any(parents.values()), "the dataset has a tree of diseases to check"
    return [(d, *expected(parents, d)) for d in parents]


def test_the_tree_is_read_once_per_store(store: Store) -> None:
    assert store.disease_tree is store.disease_tree
    assert store.engine.tree is store.disease_tree


def test_the_toxicity_setting_agrees_on_every_disease(store: Store,
                                                     every: list[tuple[str, set[str], set[str]]]) -> None:
    for disease, below, above in every:
        assert setting(store, disease) == (below, above), disease
    names = [ident for _name, ident in disease_choices(store)]
    assert sorted(names) == sorted(d for d, _b, _a in every)
    for disease, below, _above in every:  # a disease's subtypes follow it in the Toxicity tab's list
        start = names.index(disease)
        assert set(names[start:start + len(below)]) == below, disease


def test_the_trials_disease_filter_agrees_on_every_disease(store: Store,
                                                           every: list[tuple[str, set[str], set[str]]]) -> None:
    query = store.trials
    studies = {s["id"]: set(s["diseases"]) for s in store.studies()}
    for disease, below, _above in every:
        assert query.descendants(disease) == below, disease
        shown = {query.ids[i] for i in query.select(Filters(disease=disease))}
        assert shown == {sid for sid, ds in studies.items() if ds & below}, disease


def test_search_agrees_on_the_diseases_a_name_names(store: Store, every: list[tuple[str, set[str], set[str]]]) -> None:
    """A disease's name may name others too ('Thyroid cancer' is also the start of longer names): the setting
    is every named disease with what is under it, and what is above them."""
    names = store.engine.diseases
    tree = {disease: (below, above) for disease, below, above in every}
    for disease in tree:
        query = parse(store.disease_tree.name[disease])
        named = names.named(query)
        assert disease in named
        below = set().union(*(tree[d][0] for d in named))
        above = set().union(*(tree[d][1] for d in named)) - below
        assert names.setting(query) == (below, above), disease


def test_compare_columns_take_their_setting_from_the_tree(store: Store,
                                                         every: list[tuple[str, set[str], set[str]]]) -> None:
    tested = [s for s in store.studies() if under_test(s, THERAPY)]
    assert tested
    for disease, below, above in every:
        [column] = build_comparison(store, disease, [THERAPY]).columns
        if any(set(s["diseases"]) & below for s in tested):
            want = "in"
        elif any(set(s["diseases"]) & above for s in tested):
            want = "broader"
        else:
            want = "other"
        assert column.setting == want, disease


def test_the_lead_study_of_every_disease_is_the_best_under_it(store: Store,
                                                              every: list[tuple[str, set[str], set[str]]]) -> None:
    studies = store.studies()
    for disease, below, above in every:
        inside = [s for s in studies if set(s["diseases"]) & below]
        want = min(inside, key=lambda s: evidence_key(s, below, above))["id"] if inside else None
        assert lead_study(store, disease=disease) == want, disease


def test_a_study_is_found_by_the_names_of_its_broader_diseases(store: Store) -> None:
    """The index gives a study the names of its diseases' broader diseases: a pNET study is a GEP-NET study."""
    tree = store.disease_tree
    conn = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    try:
        doc = dict(conn.execute("SELECT ref, id FROM search_docs WHERE kind = 'study'").fetchall())
        found: dict[str, set[int]] = {}
        checked = 0
        for s in store.studies():
            for disease in s["diseases"]:
                for broader in tree.lineage(disease)[1:]:
                    if broader not in found:
                        phrase = " ".join(re.findall(r"\w+", tree.name[broader]))
                        found[broader] = {r[0] for r in conn.execute(
                            "SELECT rowid FROM search WHERE search MATCH ?", (f'diseases : "{phrase}"',))}
                    assert doc[s["id"]] in found[broader], (s["id"], broader)
                    checked += 1
    finally:
        conn.close()
    assert checked > 20


def test_a_loop_of_parents_ends_every_walk() -> None:
    tree = DiseaseTree({"a": "c", "b": "a", "c": "b", "d": None})
    assert tree.below("a") == {"a", "b", "c"} and tree.above("a") == set()
    assert tree.lineage("b") == ["b", "a", "c"] and tree.setting("d") == ({"d"}, set())
    assert tree.depth_first() == ["d"]  # the loop has no root: nothing of it is offered as a choice


def test_the_short_name_of_a_disease_comes_from_its_net_synonym() -> None:
    tree = tree_of([{"id": "pnet", "name": "Pancreatic neuroendocrine tumour", "parent_id": None, "short": None}],
                   [("pnet", "pNET"), ("pnet", "pancreatic NET")])
    assert tree.short["pnet"] == "pancreatic NET" and tree.names["pnet"][1:] == ("pNET", "pancreatic NET")


def test_the_tree_of_the_store_is_the_tree_of_its_rows(store: Store) -> None:
    rows = store.diseases()
    tree = store.disease_tree
    assert list(tree.parent) == [d["id"] for d in rows]
    assert dict(tree.name) == {d["id"]: d["name"] for d in rows}
    assert tree.short["pnet"] != tree.name["pnet"]
