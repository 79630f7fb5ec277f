"""Data access shared by both executors: the database, listings and relations, pages and
cursors, DataLoaders, grouped SQL.
"""
