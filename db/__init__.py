"""Data layer of Tumor Board Reference: seeds, validation, the SQLite build and queries.

Nothing in this package imports Qt; the desktop application, the handout and the
command line all sit on top of it.
"""
