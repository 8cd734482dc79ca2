"""Reading a study's `design`, `population` and `endpoints` (and an arm's `population`) from its
seed file, with errors that name file and line (docs/seed-format.md, last section).

Every item cites its own `at:` (the table or section that says it); its `source:` defaults to the
study's, as a figure's does. A field the source is silent on is the text `not stated`.
"""

from __future__ import annotations

from db.dataset import vocab
from db.dataset.fields import Fields
from db.dataset.model import Cite
from db.dataset.population import Design, Endpoints, Entry, Item, Population
from db.dataset.yamlload import Mapping, Sequence

NOT_STATED = vocab.NOT_STATED
CITE_KEYS = {"source", "at", "note"}
DESIGN_KEYS = {"allocation", "groups", "group_kind", "blinding", "text", "source", "at", "note"}
POPULATION_KEYS = {"line", "prior", "markers", "functional", "sstr", "grades", "progression", "text"}
ENDPOINT_KEYS = {"primary", "secondary", "os", "crossover"}
# What a study's objects must say (each may be `not stated`); the rest is optional.
REQUIRED = {"design": ("allocation", "groups", "blinding"), "population": ("line", "prior", "markers"),
            "endpoints": ("primary",)}


def require_objects(f: Fields, node: Mapping) -> None:
    """Every study says who was treated, how it was built and what it set out to show."""
    for key in REQUIRED:
        if node.get(key) is None:
            f.error(node.line, f"a study needs '{key}:' (docs/seed-format.md: who was treated, how the study "
                               "was built, what it set out to show)")


def read_design(f: Fields, node: Mapping, parent: Cite | None) -> Design | None:
    """The study's `design:` mapping (the old one-line text is refused: its words go in `text:`)."""
    value = node.get("design")
    if value is None:
        return None
    line = node.line_of("design")
    m = f.mapping(value, "'design'", line)
    if m is None:
        return None
    f.allowed(m, DESIGN_KEYS, "'design'")
    _required(f, m, "design", line)
    out: dict[str, str] = {}
    for key, options in (("allocation", vocab.ALLOCATIONS), ("groups", None), ("group_kind", vocab.GROUP_KINDS),
                         ("blinding", None), ("text", None)):
        written = f.choice(m, key, options, required=False) if options else f.text(m, key)
        if written is not None:
            out[key] = written
    groups = out.get("groups")
    if groups is not None and groups != NOT_STATED and not groups.isdigit():
        f.error(m.line_of("groups"), f"'groups' is the number of arms, cohorts or strata as printed, or "
                                     f"{NOT_STATED}; not '{groups}'")
    if groups is not None and groups.isdigit() and "group_kind" not in out:
        f.error(m.line_of("groups"), "'groups' needs 'group_kind:' (what it counts): one of "
                                     f"{', '.join(vocab.GROUP_KINDS)}")
    states = any(v != NOT_STATED for k, v in out.items() if k != "group_kind")
    cite = _cite(f, m, parent, "'design'", line) if states else f.inherit(m, parent)
    return Design(out, cite, f.loc(m), note=f.text(m, "note"))


def read_population(f: Fields, value: object, line: int, parent: Cite | None, *, study: bool) -> Population | None:
    """A study's `population:` (line, prior and markers required) or an arm's (any of the keys)."""
    m = f.mapping(value, "'population'", line)
    if m is None:
        return None
    f.allowed(m, POPULATION_KEYS, "'population'")
    if study:
        _required(f, m, "population", line)
    entries: dict[str, Entry] = {}
    if (line_entry := _single(f, m, "line", parent, vocab.LINES, {"share"})) is not None:
        entries["line"] = line_entry
    for key, ident, rules in (("prior", "class", vocab.PRIOR_RULES), ("markers", "marker", vocab.MARKER_RULES)):
        if (listed := _listed(f, m, key, ident, rules, parent)) is not None:
            entries[key] = listed
    single: tuple[tuple[str, tuple[str, ...] | None], ...] = (
        ("functional", vocab.FUNCTIONAL), ("sstr", vocab.SSTR), ("grades", ()), ("progression", None))
    for key, options in single:
        if (entry := _single(f, m, key, parent, options, set())) is not None:
            entries[key] = entry
    return Population(entries, f.loc(m), text=f.text(m, "text"), key_lines=dict(m.key_lines))


def read_endpoints(f: Fields, node: Mapping, parent: Cite | None) -> Endpoints | None:
    value = node.get("endpoints")
    if value is None:
        return None
    line = node.line_of("endpoints")
    m = f.mapping(value, "'endpoints'", line)
    if m is None:
        return None
    f.allowed(m, ENDPOINT_KEYS, "'endpoints'")
    _required(f, m, "endpoints", line)
    entries: dict[str, Entry] = {}
    if (primary := _result(f, m, "primary", parent)) is not None:
        entries["primary"] = primary
    secondary = [x for n in f.items(m, "secondary") if isinstance(x := _result_item(f, n, parent), Item)]
    if m.get("secondary") is not None:
        entries["secondary"] = secondary
    if (os := _single(f, m, "os", parent, None, set(), value_key="text")) is not None:
        entries["os"] = os
    if (crossover := _single(f, m, "crossover", parent, None, set())) is not None:
        entries["crossover"] = crossover
    return Endpoints(entries, f.loc(m))


def _required(f: Fields, m: Mapping, what: str, line: int) -> None:
    """Reported at the object's key (`population:`), not its first field."""
    for key in REQUIRED[what]:
        if m.get(key) is None:
            f.error(line, f"'{what}' needs '{key}:' ('{NOT_STATED}' where the source is silent)")


def _cite(f: Fields, m: Mapping, parent: Cite | None, what: str, line: int | None = None) -> Cite | None:
    """An item's own `at:` (required) and `source:` (else the study's)."""
    if m.get("at") is None:
        f.error(line or m.line, f"{what} has no locator: add 'at:' (the table or section that says it)")
        return None
    return f.cite(m, parent, what)


def _not_stated(f: Fields, m: Mapping, key: str, value: object, shape: str) -> bool:
    """True for the text `not stated`; any other text is an error naming the shape expected."""
    if isinstance(value, str) and str(value).strip() == NOT_STATED:
        return True
    f.error(m.line_of(key), f"'{key}' must be '{NOT_STATED}' or {shape}")
    return False


def _single(f: Fields, m: Mapping, key: str, parent: Cite | None, options: tuple[str, ...] | None,
            extra: set[str], value_key: str = "value") -> Entry | None:
    """`not stated` or {value, at, source?, note?}: options None takes any text, () a list of text (grades)."""
    value = m.get(key)
    if value is None:
        return None
    shape = f"{{{value_key}: ..., at: ...}}"
    if not isinstance(value, Mapping):
        return NOT_STATED if _not_stated(f, m, key, value, shape) else None
    f.allowed(value, {value_key} | CITE_KEYS | extra, f"'{key}'")
    fields: dict[str, str | list[str]] = {}
    if options == ():
        if value.get(value_key) is None:
            f.error(value.line, f"'{key}' needs '{value_key}:'")
        fields[value_key] = f.texts(value, value_key)
    elif options is None:
        text = f.text(value, value_key, True)
        if text is not None:
            fields[value_key] = text
    elif (choice := f.choice(value, value_key, options)) is not None:
        fields[value_key] = choice
    return _item(f, value, f"'{key}'", fields, parent, extra, (value_key,), m.line_of(key))


def _item(f: Fields, node: Mapping, what: str, fields: dict[str, str | list[str]], parent: Cite | None,
          optional: set[str], needed: tuple[str, ...], line: int | None = None) -> Item | None:
    """The item, once its optional fields and citation are read; None when a needed field is missing."""
    for key in (*sorted(optional), "note"):
        if (text := f.text(node, key)) is not None:
            fields[key] = text
    cite = _cite(f, node, parent, what, line)
    return Item(fields, cite, f.loc(node)) if cite is not None and all(k in fields for k in needed) else None


def _listed(f: Fields, m: Mapping, key: str, ident: str, rules: tuple[str, ...], parent: Cite | None) -> Entry | None:
    """`not stated` or a list of {class|marker, rule, share?, at, source?, note?}."""
    value = m.get(key)
    if value is None:
        return None
    if not isinstance(value, Sequence):
        return NOT_STATED if _not_stated(f, m, key, value, f"a list of {{{ident}: ..., rule: ...}}") else None
    out = []
    extra = {"share"} if key == "prior" else set()
    for node in f.items(m, key):
        f.allowed(node, {ident, "rule"} | CITE_KEYS | extra, f"an entry of '{key}'")
        fields: dict[str, str | list[str]] = {}
        if (name := f.ident(node, ident)) is not None:
            fields[ident] = name
        if (rule := f.choice(node, "rule", rules)) is not None:
            fields["rule"] = rule
        if (item := _item(f, node, f"an entry of '{key}'", fields, parent, extra, (ident, "rule"))) is not None:
            out.append(item)
    return out


def _result(f: Fields, m: Mapping, key: str, parent: Cite | None) -> Entry | None:
    value = m.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        return NOT_STATED if _not_stated(f, m, key, value, "{measure: ..., result: ..., at: ...}") else None
    return _result_item(f, value, parent, m.line_of(key))


def _result_item(f: Fields, node: Mapping, parent: Cite | None, line: int | None = None) -> Item | None:
    """An end point: {measure, result, text?, boundary?, at, source?, note?}."""
    f.allowed(node, {"measure", "result", "text", "boundary"} | CITE_KEYS, "an end point")
    fields: dict[str, str | list[str]] = {}
    if (measure := f.ident(node, "measure")) is not None:
        fields["measure"] = measure
    if (result := f.choice(node, "result", vocab.RESULTS)) is not None:
        fields["result"] = result
    return _item(f, node, "an end point", fields, parent, {"text", "boundary"}, ("measure", "result"), line)
