"""Search as the user types: parsing the query, the index's terms and bands, who a study treated, and the
engine that ranks hits. Read-only over the search tables that db.building writes.

May import: db.dataset, db.presentation, the foundations.
"""
