"""How one population (a study's, or a cohort's or stratum's own over it) fits a case: what conflicts, what the
case still needs, and which of the case's facts the source leaves unstated. A field the source does not state
never counts against a study; it is only said.

The rules (issue 23), each conflict named in words of our own:
- an earlier class the population requires and the case has not had, or excludes and the case has had; a
  first-line population when the case has had earlier systemic therapy, a later-line one when it has had none
  (radioactive iodine is no line: every RAI-refractory study has had it);
- a marker required and tested negative, or excluded and found ("BRAF mutation (not specified)" is met by
  BRAF V600E, and ruled out only by a negative test for any BRAF mutation); a required marker the case was
  not tested for is a need ("needs BRAF V600E testing"), not a conflict;
- SSTR-positive disease required when the case's imaging is negative (a need when it is unknown or not given);
- a functional status the case does not have; grades that exclude the case's (matched only where both are
  written alike, as G1, G2, G3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from db.case.model import FUNCTIONAL_WORDS, Case
from db.presentation.who import FUNCTIONAL, NOT_STATED
from db.presentation.who_words import items

UNSPECIFIED = "(not specified)"
GRADE_WORD = re.compile(r"G\d\w*")


@dataclass(frozen=True)
class Verdict:
    conflicts: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    unstated: tuple[str, ...] = ()


class Judge:
    """The case's rules with the vocabularies' names, made once per case. db/case/options.py asks `verdict`
    once per distinct population (the build numbers them), so thousands of arms cost few judgements."""

    def __init__(self, case: Case, classes: Mapping[str, str], markers: Mapping[str, str]) -> None:
        self.case, self.classes, self.markers = case, classes, markers
        self.gene = {m: name.split(" ")[0].casefold() for m, name in markers.items()}
        self.unspecified = {m for m, name in markers.items() if UNSPECIFIED in name}

    def _class(self, ident: str) -> str:
        return self.classes.get(ident, ident)

    def _marker(self, ident: str) -> str:
        return self.markers.get(ident, ident)

    def _meets(self, required: str, found: str) -> bool:
        """Whether a marker found meets a required one: the same, or the required one's unspecified gene."""
        return found == required or (required in self.unspecified and self.gene.get(found) == self.gene.get(required))

    def _rules_out(self, negative: str, required: str) -> bool:
        """Whether a negative test rules a required marker out: the same, or a negative for any of its gene."""
        return negative == required or (negative in self.unspecified
                                        and self.gene.get(negative) == self.gene.get(required))

    def verdict(self, p: Mapping[str, Any]) -> Verdict:
        conflicts: list[str] = []
        needs: list[str] = []
        unstated: list[str] = []
        case = self.case
        self._line(p, conflicts)
        self._prior(p, conflicts, unstated)
        self._markers_of(p, conflicts, needs, unstated)
        net = {k: p.get(k) for k in ("functional", "sstr", "grades")}
        for item in items(net["functional"]):
            value = str(item.get("value"))
            if case.functional is not None and value in ("functional", "nonfunctional") \
                    and value != FUNCTIONAL_WORDS[case.functional]:
                conflicts.append(f"{FUNCTIONAL[value]} only; the case's tumour is {FUNCTIONAL_WORDS[case.functional]}")
        if case.functional is not None and net["functional"] == NOT_STATED:
            unstated.append("functional status: not stated")
        required_sstr = any(i.get("value") == "required" for i in items(net["sstr"]))
        if required_sstr and case.sstr == "negative":
            conflicts.append("SSTR-positive disease required; the case's SSTR imaging is negative")
        elif required_sstr and case.sstr != "positive":
            needs.append("needs SSTR imaging: SSTR-positive disease required")
        if case.sstr in ("positive", "negative") and net["sstr"] == NOT_STATED:
            unstated.append("SSTR status: not stated")
        self._grades(net["grades"], conflicts, unstated)
        return Verdict(tuple(conflicts), tuple(needs), tuple(unstated))

    def _line(self, p: Mapping[str, Any], conflicts: list[str]) -> None:
        values = {str(i.get("value")) for i in items(p.get("line"))}
        systemic = self.case.systemic
        if values == {"first"} and systemic:
            conflicts.append("first line only (no earlier systemic therapy); the case has had "
                             + ", ".join(self._class(c) for c in systemic))
        elif values == {"later"} and not systemic:
            conflicts.append("only after earlier systemic therapy; the case has had none")

    def _prior(self, p: Mapping[str, Any], conflicts: list[str], unstated: list[str]) -> None:
        had = self.case.had
        stated = set()
        for item in items(p.get("prior")):
            cls, rule = str(item.get("class")), item.get("rule")
            stated.add(cls)
            meets = cls in had or (cls == "any-systemic" and bool(self.case.systemic))
            if rule == "required" and not meets:
                conflicts.append(f"required earlier {self._class(cls)}; the case has not had it")
            elif rule == "excluded" and meets:
                conflicts.append(f"excluded earlier {self._class(cls)}; the case has had it")
        for cls in self.case.systemic:
            if cls not in stated:
                unstated.append(f"earlier {self._class(cls)}: not stated")

    def _markers_of(self, p: Mapping[str, Any], conflicts: list[str], needs: list[str], unstated: list[str]) -> None:
        case = self.case
        mentioned: set[str] = set()
        for item in items(p.get("markers")):
            marker, rule = str(item.get("marker")), item.get("rule")
            mentioned.add(self.gene.get(marker, marker))
            name = self._marker(marker)
            if rule == "required":
                if any(self._rules_out(n, marker) for n in case.negative):
                    conflicts.append(f"required {name}; the case tested negative")
                elif not any(self._meets(marker, f) for f in case.markers):
                    needs.append(f"needs {name} testing")
            elif rule == "excluded" and any(self._meets(marker, f) or f == marker for f in case.markers):
                conflicts.append(f"excluded {name}; the case has it")
        for m in (*case.markers, *case.negative):
            if self.gene.get(m, m) not in mentioned:
                unstated.append(f"{self._marker(m)}: not stated")

    def _grades(self, entry: Any, conflicts: list[str], unstated: list[str]) -> None:
        grade = self.case.grade
        if grade is None:
            return
        if entry == NOT_STATED:
            unstated.append("grades: not stated")
        for item in items(entry):
            value = item.get("value")
            allowed = [str(v) for v in value] if isinstance(value, list) else [str(value)]
            comparable = all(GRADE_WORD.fullmatch(g) for g in [*allowed, *grade.candidates])
            if comparable and not set(grade.candidates) & set(allowed):
                conflicts.append(f"grades {', '.join(allowed)} only; the case is {' or '.join(grade.candidates)} "
                                 f"({grade.edition})")
            elif not comparable:
                unstated.append(f"grades {', '.join(allowed)} as printed; not compared with the case's "
                                f"{' or '.join(grade.candidates) or 'grade'} ({grade.edition})")
