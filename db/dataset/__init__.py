"""The dataset as curated: reading seeds/ into typed records (model, fields, population), the controlled
vocabularies, figure ids and readings, the schema of the database, and what is curated from each source.

May import: the foundations.
"""
