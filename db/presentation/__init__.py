"""How the dataset becomes text on every surface: a figure with its reading, interval level, n and caveat
marks (present), the evidence order and a study's design (evidence), who was treated and whether the study
met its aim (who), study names (identifiers). Nothing here reads the database.

May import: db.dataset, the foundations.
"""
