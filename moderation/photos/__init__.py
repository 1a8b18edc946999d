"""Photos: reading pictures, their perceptual prints, and finding the originals they copy.

The core (``decode``, ``prints``, ``compare``, ``hashtable``, ``index``, ``credits``) is pure: no Flask, no
database, so it can be tested and benchmarked alone, as ``matching/`` is for text. The rest
keeps our pages' pictures and agencies' photos (``library``, ``agency``) with their indexes in
the index folder (``shelf``), matches the photos claims carry or name (``claims``), lists our
pictures a case is about (``case_photos``) and raises review items for uncredited or
unlicensed ones (``review``).

May import: plumbing, models, intake, library, cases, reports, provenance (the pure core:
nothing of the desk). Imported by: mailroom, web, commands.
"""

from .compare import PHOTO_KINDS, PhotoMatch, compare_prints
from .decode import PhotoError, load_photo
from .index import PhotoIndex
from .prints import PhotoPrint, print_photo, print_photo_bytes

__all__ = [
    "PHOTO_KINDS", "PhotoError", "PhotoIndex", "PhotoMatch", "PhotoPrint", "compare_prints",
    "load_photo", "print_photo", "print_photo_bytes",
]
