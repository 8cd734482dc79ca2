"""The benchmark's own parts: the synthetic registry is valid, reproducible and built by the
real build code; the search figures come from the window's engine. (The benchmark itself
runs in CI as `python -m benchmarks --quick`.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.keystrokes import prefixes
from benchmarks.search_bench import measure_search, percentile
from benchmarks.synthetic import registry, write_registry
from db.building.validate import validate
from db.store import Store


@pytest.fixture(scope="module")
def registry_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_registry(400, tmp_path_factory.mktemp("bench") / "registry.sqlite3").path


def test_the_registry_is_valid_and_reproducible() -> None:
    ds = registry(250)
    assert len(ds.studies) == 250
    assert validate(ds, []) == []
    again = registry(250)
    assert [(s.id, s.name, s.summary) for s in ds.studies] == [(s.id, s.name, s.summary) for s in again.studies]
    assert registry(250, seed=1).studies[-1].summary != ds.studies[-1].summary
    synthetic = ds.studies[-1]
    assert synthetic.arms and synthetic.summary and synthetic.cite.source == "synthetic-registry"


def test_the_registry_is_searchable_like_the_shipped_data(registry_db: Path) -> None:
    store = Store(registry_db)
    try:
        assert store.conn.execute("SELECT count(*) FROM studies").fetchone()[0] == 400
        assert store.search("everolimus", 20)[0].ref == "everolimus"
        assert any(h.kind == "toxicity" for h in store.search("stomatitis", 50))
    finally:
        store.close()


def test_search_figures_come_from_every_keystroke(registry_db: Path) -> None:
    typed = prefixes()
    assert typed[:3] == ["e", "ev", "eve"] and "lenva hyper" in typed and "drug:everolimus disease:pnet" in typed
    figures = measure_search(registry_db, passes=1)
    assert figures.ranked.n == figures.floor.n == len(typed)
    assert 0 < figures.ranked.p50 <= figures.ranked.p99 <= figures.ranked.max
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
