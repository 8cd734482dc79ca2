"""The user's own notes beside the published data: a per-user SQLite database of its own (never the
dataset's), drafts kept in a file until saved, and the check of a write-ahead log before it is opened.

May import: the foundations.
"""
