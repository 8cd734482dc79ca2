"""The Compare boxes take the meeting's words (issue 24): the sources' abbreviations ('RAIR'), brands
('Lutathera'), a source's misspelling as a synonym only; a name not understood keeps its text, marks its box,
blanks the grid and is said until that box changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from desktop.compare_controls import UNKNOWN_STYLE
from desktop.compare_tab import CompareTab
from tests.window_support import compare_settled, compare_tab_alone

pytestmark = pytest.mark.gui

tab = pytest.fixture(compare_tab_alone)


def type_into(qtbot, box: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Delete)
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    compare_settled(qtbot, box)  # the grid follows a moment later (built off the GUI thread)


def cells(tab: CompareTab) -> list[str]:
    return [tab.model.index(r, c).data() for r in range(tab.model.rowCount()) for c in range(tab.model.columnCount())]


def test_rair_resolves_and_an_unknown_disease_blanks_the_grid_until_it_changes(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    controls = tab.controls
    type_into(qtbot, controls.disease_box, "RAIR")
    assert tab.disease() == "rair-dtc"
    assert controls.resolved.text() == "RAIR → Radioiodine-refractory differentiated thyroid cancer"
    type_into(qtbot, controls.therapy_boxes[0], "Nexavar")
    type_into(qtbot, controls.therapy_boxes[1], "Lenvima")
    assert tab.therapies() == ["sorafenib", "lenvatinib"]
    assert "Nexavar (Sorafenib)" in controls.resolved.text() and "Lenvima (Lenvatinib)" in controls.resolved.text()
    assert tab.model.rowCount() > 0 and any("DECISION" in c for c in cells(tab))

    type_into(qtbot, controls.disease_box, "medullary RAIR xyz")
    assert controls.disease_box.currentText() == "medullary RAIR xyz"  # the typed text stays
    assert controls.disease_box.lineEdit().styleSheet() == UNKNOWN_STYLE  # the box is marked
    assert tab.disease() == "" and tab.model.rowCount() == 0  # nothing compared against the old disease
    said = tab.message.text()
    assert said.startswith("Unknown disease 'medullary RAIR xyz'")

    type_into(qtbot, controls.therapy_boxes[2], "sunitinib")  # another box changes: the message stays
    assert tab.message.text() == said and tab.model.rowCount() == 0
    assert controls.disease_box.currentText() == "medullary RAIR xyz"

    type_into(qtbot, controls.disease_box, "DTC")  # the box itself changes: resolved, unmarked, compared
    assert tab.disease() == "dtc" and controls.disease_box.lineEdit().styleSheet() == ""
    assert "Unknown disease" not in tab.message.text() and tab.model.rowCount() > 0


def test_an_unknown_therapy_blanks_the_grid_and_prrt_then_clears_the_message(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    controls = tab.controls
    type_into(qtbot, controls.disease_box, "pNET")
    type_into(qtbot, controls.therapy_boxes[0], "Afinitor")
    type_into(qtbot, controls.therapy_boxes[1], "sunitinib")
    assert tab.model.rowCount() > 0
    type_into(qtbot, controls.therapy_boxes[1], "Lu-Dotatat")
    assert controls.therapy_boxes[1].currentText() == "Lu-Dotatat" and tab.model.rowCount() == 0
    # the source's misspelling (Lu-Dototate) is a synonym of 177Lu-Dotatate, never a second choice
    assert tab.message.text().startswith("Unknown therapy 'Lu-Dotatat'; close matches: 177Lu-Dotatate.")
    type_into(qtbot, controls.therapy_boxes[1], "PRRT")
    assert tab.therapies() == ["everolimus", "lutetium-dotatate"]
    assert "Unknown" not in tab.message.text() and tab.model.rowCount() > 0
    assert "PRRT → 177Lu-Dotatate" in controls.resolved.text()


def test_a_brand_shows_with_its_drug_and_its_label_is_cited(qtbot, tab: CompareTab) -> None:  # type: ignore[no-untyped-def]
    controls = tab.controls
    type_into(qtbot, controls.disease_box, "midgut NET")
    type_into(qtbot, controls.therapy_boxes[0], "Lutathera")
    type_into(qtbot, controls.therapy_boxes[1], "Sandostatin LAR Depot")
    assert tab.therapies() == ["lutetium-dotatate", "octreotide"]
    assert controls.resolved.text().endswith("; Lutathera (177Lu-Dotatate); Sandostatin LAR Depot (Octreotide LAR)")
    assert any("Brand name (regulator's label, not the sources): Lutathera (US, EU)" in c for c in cells(tab))
    assert "US prescribing information and EU summary of product characteristics for Lutathera" \
        in tab.references.text()
