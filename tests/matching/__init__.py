"""Tests of the matching room (moderation/matching/)."""
