"""The Toxicity tab's data: adverse events of the chosen therapies as each source prints them, what the
chart draws, and the CTCAE v5.0 grades of the dataset's terms.

May import: db.store, db.dataset, db.presentation, the foundations.
"""
