"""Building the dataset database from seeds/: validation across seed files, the table rows, the search
index and who-was-treated rows, written atomically with the schema of db.dataset.

May import: db.dataset, db.presentation, db.search, the foundations.
"""
