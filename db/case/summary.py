"""What an option shows, and which options a packet compares.

An option's figures are page 1's (db/compare/summary.py), drawn from the option's own lead study and arm (a
cohort where the cohort gives the group: vemurafenib after lenvatinib shows cohort 2), so the figures and
the reasons speak of the same patients. Every text comes from the cells Compare and the handout use."""

from __future__ import annotations

from dataclasses import dataclass

from db.case.model import FITS, PARTLY, CaseOptions, Option
from db.compare.cells import TherapyData
from db.compare.model import Row
from db.compare.summary import SUMMARY_TOPICS, summary_cell
from db.dataset.record import ArmRecord, StudyRecord
from db.presentation.identifiers import study_label
from db.presentation.who import Names
from db.store import Store
from db.toxicity.table import toxicity_rows

MIN_PACKET, MAX_PACKET = 2, 4


@dataclass
class _OptionData(TherapyData):
    """A therapy whose lead study and arm are the option's, not the evidence order's over all its studies."""

    chosen: tuple[StudyRecord, ArmRecord] | None = None

    def lead(self) -> tuple[StudyRecord, ArmRecord] | None:
        return self.chosen


def option_summary(store: Store, options: CaseOptions, option: Option) -> list[Row]:
    """The option's page-1 rows (lead study, patients and primary end point, class and dose, median PFS, HR,
    response, OS, grade ≥3 events, approvals here), one column each, every item cited."""
    tree = store.disease_tree
    below, above = tree.setting(options.case.disease)
    study = store.study(option.lead_study)
    arm = next((a for a in study["arms"] if a["key"] == option.lead_arm), None) if study else None
    drug_ids = [d for d in option.therapy.split("+") if d != "placebo"]
    drugs = {d["id"]: d for d in store.drugs(drug_ids)}
    tox = [r for r in toxicity_rows(store, [option.therapy], study=study["id"])
           if arm is not None and r.arm_key == arm["key"]] if study is not None else []
    data = _OptionData(option.therapy, option.label, [drugs[d] for d in drug_ids if d in drugs],
                       [study] if study else [], tox, below | above, below=below, above=above,
                       names=Names.of(store), chosen=(study, arm) if study and arm else None)
    setting = ""
    if study is not None and not set(study["diseases"]) & below:
        setting = next((r for r in option.reasons if r.startswith("studied")), "")
    return [Row(topic, title, (tuple(summary_cell(topic, data, setting)),)) for topic, title in SUMMARY_TOPICS]


def lead_labels(store: Store, options: CaseOptions) -> dict[str, str]:
    """Each option's lead study id -> its label ('RADIANT-3 (Yao)'; db/presentation/identifiers.py
    `study_label`), in one read."""
    leads = {o.lead_study for o in options.options}
    acronyms = store.case.registry_acronyms(leads)
    return {sid: study_label({**record, "identifiers": [{"kind": "acronym", "value": acronyms[sid]}]}
                             if sid in acronyms else record)
            for sid, record in store.case.study_names(leads).items()}


def packet_choice(options: CaseOptions, n: int = MAX_PACKET) -> list[Option]:
    """The therapies a packet compares for a case: the first `n` options that fit, then (to reach two) the
    first that fit in part; never one already received."""
    usable = [o for o in options.options if not o.already_received]
    chosen = [o for o in usable if o.fit == FITS][:n]
    if len(chosen) < MIN_PACKET:
        chosen += [o for o in usable if o.fit == PARTLY][:MIN_PACKET - len(chosen)]
    return chosen
