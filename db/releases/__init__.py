"""Dataset releases: the signed release file (format, signing, verifying, unpacking within bounds), what
this installation trusts and shows, installing and rolling back, the diff between two datasets, notes
across releases, and the read-only database `tumorboard serve` gives Datasette.

May import: db.building, db.store, db.notes, db.dataset, db.presentation, the foundations.
"""
