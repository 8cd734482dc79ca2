"""What a case is and what its options are: plain typed data, shared by the window, the handout and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FITS, PARTLY, CONFLICTS, OTHER_SETTING = "fits", "partly", "conflicts", "other-setting"
FIT_ORDER: tuple[str, ...] = (FITS, PARTLY, CONFLICTS, OTHER_SETTING)
GROUP_TITLES = {
    FITS: "Fits the case",
    PARTLY: "Fits in part (a broader disease, or a test the case still needs)",
    CONFLICTS: "Conflicts with the case",
    OTHER_SETTING: "Other setting (another disease of the same family)",
}
ORDER_LINE = ("Ordered by evidence, not advice: the groups say how each study's population fits the case, "
              "the order within a group is the evidence order of the lead studies; the choice is the board's.")
NO_IDENTIFIERS = "A case holds no patient identifiers: no name, date of birth or record number."
FUNCTIONAL_WORDS = {True: "functional", False: "nonfunctional"}
SSTR_VALUES = ("positive", "negative", "unknown")


@dataclass(frozen=True)
class Grade:
    """The grade the calculator gave from the case's inputs, with its edition (WHO 2010/ENETS for GEP,
    WHO 2015 for lung and thymus)."""

    system: str  # grading system id
    edition: str  # 'WHO 2010 / ENETS'
    candidates: tuple[str, ...]  # ('G2',), or two when a criterion that was not given decides
    label: str  # 'NET, grade 2 (intermediate grade)'
    rule: str  # the deciding rule in words
    inputs: str  # 'Ki-67 14%, mitoses 3 per 10 HPF'
    source: str  # the grading table's source and locator, e.g. 'Lee 2017, Table 1'

    @property
    def text(self) -> str:
        """'G2 (WHO 2010 / ENETS; Ki-67 14%)'."""
        return f"{' or '.join(self.candidates) or 'no grade'} ({self.edition}; {self.inputs})"


@dataclass(frozen=True)
class Case:
    """A patient's situation in the dataset's terms, without identifiers. Ids only; the names are for display."""

    disease: str  # disease id
    disease_name: str
    grade: Grade | None = None
    grade_note: str = ""  # why no grade was computed although grade inputs were given
    functional: bool | None = None  # None: not given
    sstr: str | None = None  # 'positive' | 'negative' | 'unknown' | None (not given)
    markers: tuple[str, ...] = ()  # marker ids found
    negative: tuple[str, ...] = ()  # marker ids tested negative
    prior_drugs: tuple[str, ...] = ()  # drug ids given earlier
    prior_named: tuple[str, ...] = ()  # class ids given as classes
    prior_classes: tuple[str, ...] = ()  # class ids: those given, and those of every earlier drug
    implied_classes: tuple[str, ...] = ()  # had by definition of the disease (RAI in RAI-refractory DTC)
    names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # id -> display name

    @property
    def had(self) -> frozenset[str]:
        """Every class of earlier therapy the case has had, those the disease implies included."""
        return frozenset(self.prior_classes) | frozenset(self.implied_classes)

    @property
    def systemic(self) -> tuple[str, ...]:
        """The earlier classes that make a later line (radioactive iodine does not)."""
        return tuple(c for c in self.prior_classes if c not in NOT_A_LINE)

    def name(self, ident: str) -> str:
        return self.names.get(ident, ident)

    @property
    def description(self) -> str:
        """One line for a screen or a handout: 'Pancreatic neuroendocrine tumour; G2 (WHO 2010 / ENETS; Ki-67
        14%); after octreotide (somatostatin analogue)'. No identifiers: there are none to print."""
        parts = [self.disease_name]
        if self.grade is not None:
            parts.append(self.grade.text)
        elif self.grade_note:
            parts.append(self.grade_note)
        if self.functional is not None:
            parts.append(FUNCTIONAL_WORDS[self.functional])
        if self.sstr is not None:
            parts.append(f"SSTR imaging {self.sstr}")
        parts += [f"{self.name(m)} found" for m in self.markers]
        parts += [f"{self.name(m)} tested negative" for m in self.negative]
        earlier = [self.name(d) for d in self.prior_drugs] + [self.name(c) for c in self.prior_named]
        parts.append("after " + ", ".join(earlier) if earlier else "no earlier therapy given")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "disease": self.disease, "disease_name": self.disease_name,
            "grade": None if self.grade is None else {
                "grade": " or ".join(self.grade.candidates) or None, "candidates": list(self.grade.candidates),
                "label": self.grade.label, "edition": self.grade.edition, "system": self.grade.system,
                "inputs": self.grade.inputs, "rule": self.grade.rule, "source": self.grade.source},
            "grade_note": self.grade_note or None,
            "functional": None if self.functional is None else FUNCTIONAL_WORDS[self.functional],
            "sstr": self.sstr, "markers": list(self.markers), "negative": list(self.negative),
            "prior": {"drugs": list(self.prior_drugs), "classes": list(self.prior_classes),
                      "implied": list(self.implied_classes)},
            "description": self.description,
        }


NOT_A_LINE = frozenset({"rai"})  # radioactive iodine: every RAI-refractory study has had it, at any line


@dataclass(frozen=True)
class Option:
    """A therapy the dataset studies in the case's setting, the group its best-fitting study arm puts it in,
    and why. Never a score: nothing here ranks one therapy against another."""

    therapy: str  # regimen key, as the handout takes it
    label: str
    fit: str  # one of FIT_ORDER
    reasons: tuple[str, ...]
    lead_study: str  # the lead study within its group (db/presentation/evidence.py)
    lead_arm: str  # the arm (or cohort, stratum) of the lead study that gives the group
    studies: tuple[str, ...]  # every study under the case's disease family that tests it: its group's first
    already_received: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The JSON form `tumorboard options --json` prints (what the issue specifies, nothing that scores)."""
        return {"therapy": self.therapy, "fit": self.fit, "reasons": list(self.reasons),
                "lead_study": self.lead_study, "studies": list(self.studies)}


@dataclass(frozen=True)
class Group:
    fit: str
    title: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class CaseOptions:
    case: Case
    groups: tuple[Group, ...]  # all four, in FIT_ORDER, some perhaps empty
    order_line: str = ORDER_LINE

    @property
    def options(self) -> list[Option]:
        return [o for g in self.groups for o in g.options]

    def group(self, fit: str) -> Group:
        return next(g for g in self.groups if g.fit == fit)

    def option(self, therapy: str) -> Option | None:
        return next((o for o in self.options if o.therapy == therapy), None)

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case.as_dict(), "options": [o.as_dict() for o in self.options]}
