"""Tests of the library room (moderation/library/)."""
