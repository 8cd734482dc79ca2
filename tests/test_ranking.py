"""Ranking for a meeting question (issue 14): study hits in evidence order and by the query's disease,
drug and disease hits that open their highest-evidence study, and Compare fields that take every
name search resolves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db.compare.names import regimens, resolve_therapy
from db.presentation.evidence import design_rank, evidence_key
from db.store import Store
from desktop.main_window import MainWindow
from tests.window_support import opened_window


def studies(store: Store, text: str) -> list[str]:
    return [h.ref for h in store.search(text, 120) if h.kind == "study"]


def test_everolimus_pnet_lists_radiant_3_first_among_studies(store: Store) -> None:
    found = studies(store, "everolimus pnet")
    assert found[0] == "radiant-3"
    records = {s["id"]: s for s in store.studies()}
    in_pnet = [s for s in found if "pnet" in records[s]["diseases"]]
    assert found[:len(in_pnet)] == in_pnet  # the query's disease first
    ranks = [design_rank(records[s]) for s in in_pnet]
    assert ranks == sorted(ranks)  # then the better design


@pytest.mark.parametrize(("text", "first"), [
    ("everolimus lung", "radiant-4"), ("lung", "radiant-4"), ("thyroid", "donafenib-phase3"),
    ("pancreatic", "radiant-3")])
def test_a_diseases_first_word_alone_names_it(store: Store, text: str, first: str) -> None:
    """'lung' names lung NET (every disease name starting 'lung' is it): its studies first, the one most about
    it first among equal designs, and studies before the toxicity rows although 'interstitial lung disease'
    is an adverse event. 'thyroid': the review prints 'Allocation: Randomized' only for the donafenib phase 3
    trial, not for SELECT or DECISION, so the donafenib trial leads its disease's studies."""
    hits = store.search(text, 120)
    assert hits[0].kind == "study" and studies(store, text)[0] == first


def test_study_hits_follow_the_handouts_evidence_order(store: Store) -> None:
    """The same order as db/presentation/evidence.py `evidence_key` (the handout's lead study), on a disease query."""
    found = studies(store, "pancreatic neuroendocrine")
    records = {s["id"]: s for s in store.studies()}
    named = {"pnet"}
    expected = sorted(found, key=lambda s: evidence_key(records[s], named, {"gep-net", "net"}))
    assert found[:5] == expected[:5]
    assert found[0] == "radiant-3"


@pytest.mark.parametrize(("kwargs", "lead"), [
    ({"drug": "cabozantinib"}, "cosmic-311"),
    ({"disease": "pnet"}, "radiant-3"),
    ({"drug": "everolimus", "disease": "pnet"}, "radiant-3"),
    ({"drug": "lutetium-dotatate", "disease": "pnet"}, "strosberg-lutetium-dotatate"),  # shown: midgut NET
    ({"drug": "everolimus", "disease": "lung-net"}, "radiant-4"),  # lung and GI NET, not RADIANT-2's functional
])
def test_lead_study_is_the_highest_evidence_study(store: Store, kwargs: dict[str, str], lead: str) -> None:
    from db.store import lead_study

    assert lead_study(store, **kwargs) == lead
    if "drug" in kwargs and "disease" not in kwargs:
        with_drug = [s for s in store.studies()
                     if any(d["drug_id"] == kwargs["drug"] for a in s["arms"] for d in a["regimen"])]
        assert min(with_drug, key=evidence_key)["id"] == lead


def test_every_drug_name_search_resolves_is_accepted_by_compare(store: Store) -> None:
    """A name whose search answer is one drug (its name, brand, code, synonym, or its class's abbreviation:
    PRRT) is a therapy in the Compare fields too."""
    checked = 0
    single = {r.drug_ids[0] for r in regimens(store) if len(r.drug_ids) == 1}
    for drug in store.drugs():
        if drug["id"] not in single:
            continue
        names = [n["name"] for n in drug["names"]]
        if "(" in drug["class"]:
            names.append(drug["class"].rsplit("(", 1)[1].rstrip(")"))
        for name in names:
            found = [h for h in store.search(name, 50) if h.kind == "drug"]
            if found and found[0].ref == drug["id"] and (found[0].exact or len(found) == 1):
                assert resolve_therapy(store, name).key == drug["id"], name
                checked += 1
    assert checked > 40
    assert resolve_therapy(store, "PRRT").label == "177Lu-Dotatate"


# -- in the window -----------------------------------------------------------------------------

window = pytest.fixture(opened_window)


def type_search(qtbot, win: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the search field as a user does and wait for the answer."""
    qtbot.keyClicks(win.search.field, text)
    qtbot.waitUntil(lambda: not win.search._timer.isActive())  # the keystroke debounce has run the search


def current_study(win: MainWindow) -> str:
    trials = win.tab("Trials")
    row = trials.table.currentIndex().row()  # type: ignore[union-attr]
    return str(trials.model.rows[row].id)  # type: ignore[union-attr]


@pytest.mark.gui
@pytest.mark.parametrize(("typed", "hit", "study", "title"), [
    ("cabozantinib", ("drug", "cabozantinib"), "cosmic-311", "COSMIC-311"),
    ("pancreatic neuroendocrine tumour", ("disease", "pnet"), "radiant-3", "RADIANT-3"),
])
def test_opening_a_drug_or_disease_hit_selects_its_highest_evidence_study(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, typed: str, hit: tuple[str, str], study: str, title: str) -> None:
    type_search(qtbot, window, typed)
    current = window.search.current_hit()
    assert current is not None and (current.kind, current.ref) == hit
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    trials = window.tab("Trials")
    assert window.tabs.currentWidget() is trials
    qtbot.waitUntil(lambda: current_study(window) == study)
    assert trials.detail.toPlainText().startswith(title)  # type: ignore[union-attr]
    if hit[0] == "drug":
        assert f"drug: {hit[1]}" in trials.count.text()  # type: ignore[union-attr]  # the filter is kept


@pytest.mark.gui
def test_the_window_finds_a_registry_acronym_and_says_when_one_is_not_held(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_search(qtbot, window, "PROMID")
    hit = window.search.current_hit()
    assert hit is not None and hit.title == "PROMIDᴿ (Rinke)"
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: current_study(window) == "rinke-octreotide")
    assert "acronym PROMIDᴿ from the trial's publication" in window.tab("Trials").detail.toPlainText()  # type: ignore[union-attr]
    qtbot.keyClick(window.search.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_search(qtbot, window, "NETTER-2")
    assert "No study with the acronym NETTER-2 in the dataset" in window.search.status.text()
    model = window.search.model
    titles = [model.index(r, 0, model.index(g, 0)).data() for g in range(model.rowCount())
              for r in range(model.rowCount(model.index(g, 0)))]
    assert not [t for t in titles if "NETTER-1" in t or "Strosberg" in t]


@pytest.mark.gui
def test_compare_takes_prrt_and_says_what_it_resolved_to(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from desktop.compare_tab import CompareTab

    tab = CompareTab(store)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    qtbot.waitExposed(tab)
    try:
        controls = tab.controls
        for box, typed in ((controls.disease_box, "pNET"), (controls.therapy_boxes[0], "PRRT"),
                           (controls.therapy_boxes[1], "Afinitor"), (controls.therapy_boxes[2], "ZD6474")):
            box.setFocus()
            qtbot.keyClicks(box.lineEdit(), typed)
            qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
        assert tab.therapies() == ["lutetium-dotatate", "everolimus", "vandetanib"]
        assert controls.resolved.isVisible()
        assert controls.resolved.text() == ("pNET → Pancreatic neuroendocrine tumour; PRRT → 177Lu-Dotatate; "
                                            "Afinitor (Everolimus); ZD6474 → Vandetanib")  # a brand with its drug
    finally:
        tab.shutdown()
