"""The case label belongs to one comparison: the next case (another disease or other therapies)
starts without it, so it is never printed on the wrong handout."""

from __future__ import annotations

import pytest

from desktop.compare_tab import CompareTab
from tests.test_compare_tab import type_into
from tests.window_support import compare_tab_alone

pytestmark = pytest.mark.gui


tab = pytest.fixture(compare_tab_alone)


def type_label(qtbot, tab: CompareTab, text: str) -> None:  # type: ignore[no-untyped-def]
    field = tab.controls.label_field
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, text)


def label(tab: CompareTab) -> str:
    return tab.controls.label_field.text()


def test_the_label_is_cleared_when_the_next_case_is_chosen(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, tab.controls.disease_box, "pNET")
    type_into(qtbot, tab.controls.therapy_boxes[0], "everolimus")
    type_into(qtbot, tab.controls.therapy_boxes[1], "sunitinib")
    type_label(qtbot, tab, "Case 1")
    assert label(tab) == "Case 1"
    type_into(qtbot, tab.controls.disease_box, "Radioiodine-refractory")  # the next case
    type_into(qtbot, tab.controls.therapy_boxes[0], "lenvatinib")
    type_into(qtbot, tab.controls.therapy_boxes[1], "sorafenib")
    assert label(tab) == ""
    assert "Case 1" in tab.message.text() and "cleared" in tab.message.text()


def test_a_label_typed_first_stays_with_the_comparison_then_built(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    type_label(qtbot, tab, "Case 2")
    type_into(qtbot, tab.controls.disease_box, "pNET")
    type_into(qtbot, tab.controls.therapy_boxes[0], "everolimus")
    type_into(qtbot, tab.controls.therapy_boxes[1], "sunitinib")
    assert label(tab) == "Case 2"
    tab.controls.topic_view.setFocus()  # rows and notes change nothing about the case
    type_into(qtbot, tab.controls.therapy_boxes[1], "lanreotide")  # other therapies: another case
    assert label(tab) == ""


def test_a_therapy_added_to_the_case_keeps_its_label(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, tab.controls.disease_box, "pNET")
    type_label(qtbot, tab, "Case 1")  # typed before the therapies, as the boxes come in the window
    type_into(qtbot, tab.controls.therapy_boxes[0], "everolimus")
    type_into(qtbot, tab.controls.therapy_boxes[1], "sunitinib")
    type_into(qtbot, tab.controls.therapy_boxes[2], "PRRT")  # the same case, one therapy more
    assert tab.therapies() == ["everolimus", "sunitinib", "lutetium-dotatate"]
    assert label(tab) == "Case 1" and "cleared" not in tab.message.text()
    type_into(qtbot, tab.controls.therapy_boxes[0], "lanreotide")  # one of the case's own replaced: another case
    assert label(tab) == ""
