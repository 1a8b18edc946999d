"""Tests of the replies room (moderation/replies/)."""
