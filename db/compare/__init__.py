"""Side-by-side summaries of therapies in a setting, for the Compare tab and the handout: the names a user
types resolved to ids, one cell per topic with its sources, and page 1's one-line-per-figure summary.

May import: db.store, db.toxicity, db.dataset, db.presentation, the foundations.
"""
