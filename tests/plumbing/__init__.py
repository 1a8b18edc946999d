"""Tests of the plumbing room (moderation/plumbing/)."""
