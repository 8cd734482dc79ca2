"""A patient's case and the options the dataset studies for it (issue 23): the case's inputs resolved to
dataset ids, every therapy tested in the case's disease family grouped by how its studies' populations fit the
case, each with its lead study and the reasons for its group. The order is by evidence, never advice: nothing
here recommends, scores or ranks one therapy against another.

API (for the window, the command line and the handout):

- `resolve_case(store, disease="pNET", ki67=14, mitoses=None, necrosis=None, differentiation=None,
  functional=None | True | False, sstr=None | "positive" | "negative" | "unknown", markers=["BRAF V600E"],
  negative=["RET fusion"], prior=["octreotide", "MKI"]) -> Case` (db/case/resolve.py). Names as a user types
  them; a drug brings its classes. An unknown disease, marker, class or drug raises `UnknownCaseName` (an
  `UnknownName` of db/compare/names.py: `.field` is the input — "disease", "marker", "negative", "prior" —,
  `.matches` the close matches, `str()` the message); a value that cannot be used raises `CaseInputError`
  (`.field`: "grade", "functional", "sstr", "negative"). Never keep a previous case's disease on an error.
- `Case` (db/case/model.py): ids (disease, markers, negative, prior_drugs, prior_classes, implied_classes),
  `grade` (the calculator's, with its edition: WHO 2010/ENETS for GEP, WHO 2015 for lung and thymus) or
  `grade_note`, `description` (one line, no identifiers: print it on the handout), `as_dict()`.
- `case_options(store, case) -> CaseOptions` (db/case/options.py): `.groups`, four `Group`s in the order
  fits, partly, conflicts, other-setting (`.fit`, `.title`, `.options`, some perhaps empty); `.options` all
  of them in that order; `.order_line` the line to show with them ("Ordered by evidence, not advice: …");
  `.as_dict()` the JSON of `tumorboard options --json`.
- `Option`: `therapy` (the regimen key the handout takes), `label`, `fit`, `reasons` (words: the setting,
  each conflict named, what the case still needs, the case's facts the source leaves unstated, the conflicts
  of the therapy's other arms), `lead_study`, `lead_arm`, `studies`, `already_received` (never chosen for a
  packet).
- `option_summary(store, options, option) -> list[Row]` (db/case/summary.py): what the option shows — lead
  study (design, n with scope), patients and primary end point, median PFS vs control, HR, response, OS or
  the OS statement, grade ≥3 events, approvals here — as page 1 of the handout shows them, each item cited.
- `lead_labels(store, options) -> dict[str, str]`: each lead study's label ('RADIANT-3 (Yao)'), in one read.
- `packet_choice(options, n=4) -> list[Option]`: the first options that fit (then partly), never one already
  received: what `tumorboard packet` compares for a case.

May import: db.store, db.compare, db.grading, db.toxicity, db.dataset, db.presentation, db.case.queries,
the foundations.
"""

from db.case.model import (
    CONFLICTS,
    FIT_ORDER,
    FITS,
    NO_IDENTIFIERS,
    OTHER_SETTING,
    PARTLY,
    Case,
    CaseOptions,
    Grade,
    Group,
    Option,
)
from db.case.options import case_options
from db.case.resolve import CaseInputError, UnknownCaseName, resolve_case
from db.case.summary import MAX_PACKET, MIN_PACKET, lead_labels, option_summary, packet_choice

__all__ = [
    "CONFLICTS", "FITS", "FIT_ORDER", "MAX_PACKET", "MIN_PACKET", "NO_IDENTIFIERS", "OTHER_SETTING", "PARTLY",
    "Case", "CaseInputError", "CaseOptions", "Grade", "Group", "Option", "UnknownCaseName", "case_options",
    "lead_labels", "option_summary", "packet_choice", "resolve_case",
]
