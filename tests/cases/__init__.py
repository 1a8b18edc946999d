"""Tests of the cases room (moderation/cases/)."""
