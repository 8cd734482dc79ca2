"""The TypedDicts of db/dataset/record.py say what the store gives: every key of a nested study, its arms,
figures, notes, identifiers and marks, no more and no fewer, on every bundled study."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.dataset import record
from db.store import Store


def keys_of(typed: Any) -> set[str]:
    return set(typed.__required_keys__) | set(typed.__optional_keys__)


def check(rows: Iterable[Mapping[str, Any]], typed: Any, seen: dict[str, int]) -> None:
    for row in rows:
        assert set(row) == keys_of(typed), (typed.__name__, sorted(set(row) ^ keys_of(typed)))
        seen[typed.__name__] = seen.get(typed.__name__, 0) + 1


def test_every_nested_study_has_exactly_the_keys_its_typed_records_name(store: Store) -> None:
    seen: dict[str, int] = {}
    studies = store.studies()
    check(studies, record.StudyRecord, seen)
    for s in studies:
        check(s["comparisons"], record.ComparisonRecord, seen)
        check(s["notes"], record.NoteRecord, seen)
        check(s["identifiers"], record.IdentifierRecord, seen)
        check(s["enrolled_caveats"] + s["evaluable_caveats"], record.MarkRecord, seen)
        check(s["arms"], record.ArmRecord, seen)
        for a in s["arms"]:
            check(a["regimen"], record.RegimenDrugRecord, seen)
            check(a["outcomes"], record.OutcomeRecord, seen)
            check(a["adverse_events"], record.AdverseEventRecord, seen)
            check(a["notes"], record.NoteRecord, seen)
            for figure in [*a["outcomes"], *a["adverse_events"]]:
                check(figure["caveats"], record.MarkRecord, seen)
    assert {name: n > 0 for name, n in seen.items()} == dict.fromkeys(
        ("StudyRecord", "ComparisonRecord", "NoteRecord", "IdentifierRecord", "MarkRecord", "ArmRecord",
         "RegimenDrugRecord", "OutcomeRecord", "AdverseEventRecord"), True), seen
