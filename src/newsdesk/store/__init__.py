"""Store stage: one schema on SQLite (embedded default) and PostgreSQL (production).

``db`` opens and migrates the database; ``tables`` defines what queries are
written against; each other module holds the queries of one stage.
"""
