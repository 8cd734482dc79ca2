"""Grading systems and reference tables (WHO grades, RECIST 1.1, ECOG) as typed objects, and the grade
calculator driven by the bounds printed in their rows.

May import: db.store, db.dataset, db.presentation, the foundations.
"""
