"""The disease tree of a dataset, built once and asked by every surface: a disease's subtypes, its
broader diseases, its names. The evidence order's first step (the setting) rests on it, so the
Trials filter, search, the Toxicity setting, Compare and the lead study all read this one tree.

A loop of parents (refused by `tumorboard check`) never hangs a walk here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DiseaseTree:
    parent: Mapping[str, str | None]  # by id, in seed order
    name: Mapping[str, str] = field(default_factory=dict)
    short: Mapping[str, str] = field(default_factory=dict)  # 'pancreatic NET': for a sentence or a narrow column
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # every name and synonym of each
    children: Mapping[str, tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        kids: dict[str, list[str]] = {}
        for ident, up in self.parent.items():
            if up:
                kids.setdefault(up, []).append(ident)
        object.__setattr__(self, "children", {k: tuple(v) for k, v in kids.items()})

    def below(self, ident: str) -> set[str]:
        """The disease and every narrower one.

        >>> tree = DiseaseTree({"net": None, "gep-net": "net", "pnet": "gep-net", "dtc": None})
        >>> sorted(tree.below("gep-net")), sorted(tree.above("pnet")), tree.lineage("pnet")
        (['gep-net', 'pnet'], ['gep-net', 'net'], ['pnet', 'gep-net', 'net'])
        """
        found: set[str] = set()
        stack = [ident]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self.children.get(current, ()))
        return found

    def above(self, ident: str) -> set[str]:
        """Every broader disease of `ident` (never one of its own subtypes, even through a loop)."""
        return set(self.lineage(ident)) - self.below(ident)

    def lineage(self, ident: str) -> list[str]:
        """The disease, then its parent, and so on up: a pNET study is also a GEP-NET study."""
        out: list[str] = []
        current: str | None = ident
        while current and current not in out:
            out.append(current)
            current = self.parent.get(current)
        return out

    def descends(self, ident: str, ancestor: str) -> bool:
        return ancestor in self.lineage(ident)

    def setting(self, diseases: str | Iterable[str] | None) -> tuple[set[str], set[str]]:
        """(the diseases and their subtypes, their broader diseases): the evidence order's setting; both
        empty for none."""
        if diseases is None:
            return set(), set()
        found = [diseases] if isinstance(diseases, str) else list(diseases)
        named = set().union(*(self.below(d) for d in found)) if found else set()
        parents = set().union(*(self.lineage(d) for d in found)) - named if found else set()
        return named, parents

    def family(self, ids: Iterable[str]) -> str | None:
        """The one of `ids` that all the others descend from, if there is one."""
        ids = list(ids)
        return next((top for top in ids if all(self.descends(i, top) for i in ids)), None)

    def depth_first(self) -> list[str]:
        """Every disease, each followed by its subtypes, in seed order."""
        out: list[str] = []
        roots = [i for i, up in self.parent.items() if not up or up not in self.parent]
        stack = list(reversed(roots))
        while stack:
            ident = stack.pop()
            if ident in out:
                continue
            out.append(ident)
            stack += reversed(self.children.get(ident, ()))
        return out


def tree_of(diseases: Iterable[Mapping[str, object]], synonyms: Iterable[tuple[str, str]] = ()) -> DiseaseTree:
    """The tree from disease rows (id, name, parent_id, short) in seed order and (id, name) synonym pairs.

    A disease with no short name of its own takes a lower-case synonym ending in NET ('pancreatic NET'):
    it reads best in a sentence."""
    rows = list(diseases)
    name = {str(d["id"]): str(d["name"]) for d in rows}
    short = {str(d["id"]): str(d.get("short") or d["name"]) for d in rows}
    names: dict[str, list[str]] = {i: [n] for i, n in name.items()}
    for ident, synonym in synonyms:
        names.setdefault(ident, []).append(synonym)
        if re.fullmatch(r"[a-z][\w-]* NET", synonym) and short.get(ident) == name.get(ident):
            short[ident] = synonym
    parent = {str(d["id"]): (str(d["parent_id"]) if d.get("parent_id") else None) for d in rows}
    return DiseaseTree(parent, name, short, {i: tuple(dict.fromkeys(n)) for i, n in names.items()})
