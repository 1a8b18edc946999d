"""Tests of the provenance room (moderation/provenance/)."""
