"""seeds/brands.yaml: the brand names clinicians say ("Lutathera", "Sutent"), each cited to the regulator's
product information that names it (a source of kind `label`), from ../shared/data/drug-brands.csv.

A brand resolves to its drug wherever a drug name is typed and is shown with the drug's name beside it
("Lutathera (177Lu-Dotatate)"); it states nothing about what the drug is approved for.
"""

from __future__ import annotations

from db.dataset import vocab
from db.dataset.fields import Fields
from db.dataset.model import Brand
from db.dataset.yamlload import Mapping

KEYS = {"drug", "name", "regions", "source", "at"}


def read_brands(f: Fields, items: list[Mapping]) -> list[Brand]:
    out = []
    for node in items:
        f.allowed(node, KEYS, "a brand")
        drug = f.ident(node, "drug")
        name = f.text(node, "name", True)
        what = f"brand '{name}'" if name else "a brand"
        regions = f.texts(node, "regions")
        if not regions:
            f.error(node.line, f"{what} needs 'regions:' (where the name is used: {', '.join(vocab.REGIONS)})")
        for region in regions:
            if region not in vocab.REGIONS:
                f.error(node.line_of("regions"), f"{what}: unknown region '{region}' ({', '.join(vocab.REGIONS)})")
        if node.get("source") is None or node.get("at") is None:
            f.error(node.line, f"{what} needs 'source:' (the product information that names it, in sources.yaml)"
                               " and 'at:'")
            continue
        cite = f.cite(node, None, what)
        if drug and name and cite:
            out.append(Brand(drug, name, regions, cite, f.loc(node)))
    return out
