"""Who each study treated and what it set out to show, in words (db/presentation/who.py), from the curated seeds."""

from __future__ import annotations

from db.presentation.who import Names, os_statement, primary_text, verdicts, who, who_text
from db.store import Store


def test_cosmic_311_was_after_up_to_two_vegfr_targeted_therapies(store: Store) -> None:
    s = store.study("cosmic-311")
    assert s is not None
    assert "after up to two earlier VEGFR-targeted therapies" in who_text(s, None, Names.of(store))
    said = {x.text for x in who(s, None, Names.of(store))}
    assert "after VEGFR-targeted multikinase inhibitor" in said and "after earlier systemic therapy" in said
    assert primary_text(s).endswith(": met at an interim analysis")


def test_the_vemurafenib_cohorts_say_whom_each_treated(store: Store) -> None:
    s = store.study("vemurafenib-ptc-phase2")
    assert s is not None
    arms = {a["key"]: a for a in s["arms"]}
    names = Names.of(store)
    assert {arms["mki-naive"]["role"], arms["mki-pretreated"]["role"]} == {"cohort"}
    naive = {x.text for x in who(s, arms["mki-naive"], names)}
    pretreated = {x.text for x in who(s, arms["mki-pretreated"], names)}
    assert "no earlier VEGFR-targeted multikinase inhibitor" in naive
    assert "after VEGFR-targeted multikinase inhibitor" in pretreated
    assert "BRAF V600E required" in naive & pretreated


def test_a_missed_boundary_is_said_in_words(store: Store) -> None:
    radiant2, radiant4 = store.study("radiant-2"), store.study("radiant-4")
    assert radiant2 is not None and radiant4 is not None
    assert verdicts(radiant2) == {"pfs_hr": "primary end point not met (boundary p ≤ 0.0246 as printed)"}
    assert verdicts(radiant4) == {"os_hr": "not significant: boundary 0.0002 as printed (interim)"}


def test_os_in_words_where_the_source_gives_it(store: Store) -> None:
    decision = store.study("decision")
    assert decision is not None
    statement = os_statement(decision)
    assert statement is not None and "crossover 71% as printed" in statement.text
    assert statement.source_id == "wjco2022" and statement.locator == "Sorafenib"
    select = store.study("select")
    assert select is not None and os_statement(select) is not None
    cosmic = store.study("cosmic-311")
    assert cosmic is not None and os_statement(cosmic) is None


def test_a_missed_primary_end_point_travels_with_the_figure_to_every_surface(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    from db.compare.summaries import build_comparison
    from db.export import export_csv

    words = "primary end point not met"
    snippet = next(h for h in store.search("radiant-2", 10) if h.kind == "study")
    assert words in snippet.snippet
    c = build_comparison(store, "lung-net", ["everolimus + octreotide LAR"])
    assert words in c.summary_text("hr", 0) and words in c.cell_text(c.topics.index("studies"), 0)
    assert any(words in b.text for b in c.hr_bars)
    out = tmp_path / "figures.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        export_csv(store, f)
    with out.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["figure_id"].startswith("radiant-2/") and r["measure"] == "pfs_hr"]
    assert rows and words in rows[0]["display"] and words in rows[0]["verdict"]


def test_the_figure_audit_contradictions_mark_the_figures_and_regimens_they_concern(store: Store) -> None:
    from db.compare.summaries import build_comparison

    c = build_comparison(store, "rair-dtc", ["cabozantinib"])
    dose = c.cell_text(c.topics.index("dose"), 0)
    assert "Cabozantinib 60 mg oral daily⚠" in dose  # Table 1's 60 mg against the text's 60-80 mg
    assert any("60-80 mg" in cav.text for _mark, cav in c.caveats)
    c = build_comparison(store, "gep-net", ["everolimus + octreotide LAR + bevacizumab"])
    assert "Bevacizumab: dose not reported⚠" in c.summary_text("class", 0)  # octreotide only in Table 3
    snippet = next(h for h in store.search("sorafenib temsirolimus", 10) if h.kind == "study").snippet
    assert "median PFS 12 months⚠" in snippet  # Table 1's 12 against the text's one-year 30.5%
