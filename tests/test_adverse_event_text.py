"""An adverse event's figures as the served dataset writes them (db/presentation/present.py `ae_text`): each
with its band as the source's column heads it, marked, with the other reading and where it is printed. Checked
against the seeds (radiant-3.yaml, decision.yaml)."""

from __future__ import annotations

from db.releases.serve import serving_rows
from db.store import Store


def test_each_band_is_named_and_the_other_reading_is_cited(store: Store) -> None:
    rows = serving_rows(store, "")["ae_across"]
    radiant = {r["ae_id"]: r["text"] for r in rows if r["study_id"] == "radiant-3"}
    assert radiant["stomatitis"] == "any grade 64%, grade 3–4 7%"  # all_grade "64", grade_3_4 "7"
    decision = {r["adverse_event"]: r["text"] for r in rows if r["study_id"] == "decision"}
    # Hand–foot skin reaction: all_grade "76", grade_3_plus "20" (Table 1); HFS 73.6 / grade_3_4 20.3 at Table 2;
    # note 73 says they disagree
    assert [t for t in decision.values() if t.startswith("any grade 76%")] == [
        "any grade 76%, grade ≥3 20%⚠; other reading: any grade 73.6%, grade 3–4 20.3%⚠ (Table 2)"]
    assert "grade ≥3 10%" in decision.values()  # hypertension: grade_3_plus "10" alone


def test_two_other_readings_of_an_event_are_each_cited_apart() -> None:
    """An event printed in three places (no seed does yet; DECISION's is printed in two): after the preferred
    figures, each other reading with its own place, one after the other."""
    from db.presentation.present import ae_text

    ae = {"all_text": "10", "high_text": None, "high_band": "3-4", "locator": "Table 1", "alternatives": [
        {"all_text": "11", "high_text": None, "high_band": "3-4", "locator": "Table 2"},
        {"all_text": "12", "high_text": "2", "high_band": ">=3", "locator": "Table 3"}]}
    shown = ae_text(ae)
    assert shown.startswith("any grade 10%; other reading"), shown
    assert shown.endswith(": any grade 11% (Table 2); any grade 12%, grade ≥3 2% (Table 3)"), shown
