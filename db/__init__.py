"""Data layer of Tumor Board Reference: seeds, validation, the SQLite build and queries.

Nothing in this package imports Qt; the desktop application, the handout and the command line all
sit on top of it. It is built in layers, each a package that says in its docstring what it owns and
which other parts of db/ it may import (tests/test_structure.py holds every package to it):

- the foundations, plain modules that import nothing else of db/: atomic (whole-file writes),
  errors (messages a user reads), json_depth, paths (where things live), sqlite_uri;
- dataset (the seeds read into typed records, the schema), then presentation (how a figure,
  a design, a population becomes text), then search, then building (the database from the seeds);
- store.py: the one object that reads the dataset database, which trials, toxicity, grading and
  compare read through, and case (a patient's situation and the options the dataset studies for it);
- notes (the user's own notes, a database of their own), releases (installing, diffing and
  serving dataset releases), and on top opening.py (the dataset opened at start) and export.py.

SQL runs only in the query modules: db/store.py and its rooms (each package's `*queries.py`, handed out
as `store.trials`, `store.toxicity`, `store.compare`, `store.case`, `store.engine`), the dataset's one writer
(db/building/build.py), and the modules that own another database (the notes, a release's database, the
copy `tumorboard serve` gives Datasette).

Foundations: db.atomic, db.errors, db.json_depth, db.paths, db.sqlite_uri.
"""
