"""Tests of the mailroom room (moderation/mailroom/)."""
