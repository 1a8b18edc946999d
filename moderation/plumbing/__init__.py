"""The house's plumbing: configuration, the database engine and sessions, multi-row statements,
SQLite and PostgreSQL tools, logging, languages and labels, site settings, rate limits, the
audit log, backup and the doctor.

May import: models. Imported by: every room above it.
"""
