"""seeds/brands.yaml: the brand names clinicians say ("Lutathera", "Sutent"), each cited to the regulator's
product information that names it (a source of kind `label`), from ../shared/data/drug-brands.csv.

A brand resolves to its drug wherever a drug name is typed and is shown with the drug's name beside it
("Lutathera (177Lu-Dotatate)"); it states nothing about what the drug is approved for. A brand whose label
is another form of the drug than the dataset holds (`other_form`: Sandostatin, the short-acting octreotide
injection, where every octreotide study here used the LAR form) is kept with its citation but is no name of
the drug: "Sandostatin (Octreotide LAR)" would say they are one product. Typed, "Sandostatin" still finds
octreotide through the first word of Sandostatin LAR Depot, and is shown as that brand.
"""

from __future__ import annotations

from db.dataset import vocab
from db.dataset.fields import Fields
from db.dataset.model import Brand
from db.dataset.yamlload import Mapping

KEYS = {"drug", "name", "regions", "source", "at", "other_form"}


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
            out.append(Brand(drug, name, regions, cite, f.loc(node), other_form=f.text(node, "other_form")))
    return out
