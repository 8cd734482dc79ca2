"""`tumorboard options`: the options of a case, grouped by how the evidence fits it, ordered by evidence and
never by advice (db/case)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from handout.cases import MAX_LABEL, MAX_NAMES, length_error


def add_parsers(sub: Any) -> None:
    p = sub.add_parser(
        "options", help="the options of a case: every therapy the sources study in its setting, grouped by fit",
        description="List every therapy a study in the dataset tests in the case's disease, its subtypes, its "
        "broader diseases and the rest of its family, grouped as: fits, partly, conflicts, other-setting, with "
        "the reasons and each therapy's lead study. The order is by evidence, not advice. A case holds no "
        "patient identifiers.")
    p.add_argument("--disease", required=True, metavar="D", help="disease, any name or synonym: pnet, RAIR-DTC")
    p.add_argument("--ki67", type=float, default=None, metavar="PCT", help="Ki-67 index in %% (NET)")
    p.add_argument("--mitoses", type=float, default=None, metavar="N",
                   help="mitotic count in the unit of the edition (NET: per 10 HPF for GEP, per 2 mm² for lung)")
    p.add_argument("--necrosis", choices=("none", "punctate", "extensive"), default=None,
                   help="extent of necrosis (lung and thymic NET)")
    p.add_argument("--differentiation", choices=("well", "poor"), default=None, help="well or poorly differentiated")
    p.add_argument("--functional", choices=("yes", "no"), default=None, help="a functional tumour (NET)")
    p.add_argument("--sstr", choices=("positive", "negative", "unknown"), default=None,
                   help="somatostatin-receptor imaging (NET)")
    p.add_argument("--marker", action="extend", nargs="+", default=[], metavar="M", help="markers found")
    p.add_argument("--negative", action="extend", nargs="+", default=[], metavar="M", help="markers tested negative")
    p.add_argument("--prior", action="extend", nargs="+", default=[], metavar="DRUG_OR_CLASS",
                   help="earlier therapies, by drug or class (a drug counts as its classes)")
    p.add_argument("--json", action="store_true", help="print the case and its options as JSON")


def _error(message: str, code: int) -> int:
    print(f"tumorboard options: error: {message}", file=sys.stderr)
    return code


def input_error(fields: dict[str, list[str]]) -> str | None:
    """Why a typed value is too long or there are too many of them (the packet file's limits), or None."""
    for flag, values in fields.items():
        if len(values) > MAX_NAMES:
            return f"{flag} is given {len(values)} times; at most {MAX_NAMES} are allowed"
        for v in values:
            if (problem := length_error(flag, v, MAX_LABEL)) is not None:
                return problem
    return None


def cmd_options(args: argparse.Namespace) -> int:
    from db.case import CaseInputError, UnknownCaseName, case_options, resolve_case
    from tumorboard import dataset

    problem = input_error({"--disease": [args.disease], "--marker": args.marker, "--negative": args.negative,
                           "--prior": args.prior})
    if problem is not None:
        return _error(problem, 2)
    store = dataset.open_dataset()
    try:
        case = resolve_case(store, args.disease, ki67=args.ki67, mitoses=args.mitoses, necrosis=args.necrosis,
                            differentiation=args.differentiation,
                            functional=None if args.functional is None else args.functional == "yes",
                            sstr=args.sstr, markers=args.marker, negative=args.negative, prior=args.prior)
    except UnknownCaseName as exc:
        return _error(f"{exc} (--{exc.field})", 1)
    except CaseInputError as exc:
        return _error(str(exc), 2)
    options = case_options(store, case)
    if args.json:
        import json

        print(json.dumps(options.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(render(store, options))
    return 0


def render(store: Any, options: Any) -> str:
    """The options as text: the case, the line on the order, then each group with its options' reasons and
    page-1 figures, each cited, and what each caveat mark stands for."""
    from db.case import option_summary

    case = options.case
    lines = [f"Case: {case.description}"]
    if case.grade is not None:
        lines.append(f"Grade: {case.grade.rule} [{case.grade.source}]")
    lines += [options.order_line, ""]
    for group in options.groups:
        lines.append(f"{group.title} ({len(group.options)})")
        if not group.options:
            lines += ["  none", ""]
            continue
        for o in group.options:
            received = " — already received" if o.already_received else ""
            lines.append(f"  {o.label} [{o.therapy}]{received}")
            lines += [f"    · {r}" for r in o.reasons]
            marks: dict[str, str] = {}
            for row in option_summary(store, options, o):
                texts = [_item(i) for i in row.cells[0]]
                lines.append(f"    {row.title}: {'; '.join(t for t in texts if t)}")
                for i in row.cells[0]:
                    marks.update((t, t) for c in i.caveats if (t := f"{c.symbol} {c.heading}: {c.text}"))
            lines += [f"    {m}" for m in marks.values()]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _item(item: Any) -> str:
    cite = f" [{item.source_id}: {item.locator}]" if item.source_id else ""
    return f"{item.text}{cite}"
