"""Our articles and the originals: importing them, the corpus a notice's originals are looked up
in, licences on record, and each publisher's record of complaints.

May import: plumbing, models, intake. Imported by: photos, provenance, mailroom, reports, web,
commands.
"""
