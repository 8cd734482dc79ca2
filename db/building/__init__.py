"""Building the dataset database from seeds/: validation across seed files, the table rows, the search
index, who-was-treated rows and the rows a case's options read, written atomically with the schema of db.dataset.

May import: db.dataset, db.presentation, db.search, the foundations.
"""
