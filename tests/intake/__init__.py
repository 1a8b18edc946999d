"""Tests of the intake room (moderation/intake/)."""
