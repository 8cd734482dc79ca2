"""The Trials tab's data: one summary row per study, its filters and sort orders answered in SQL, and the
rows of a page read by id.

May import: db.store, db.dataset, db.presentation, the foundations.
"""
