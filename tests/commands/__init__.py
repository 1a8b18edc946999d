"""Tests of the commands room (moderation/commands/)."""
