"""Tests of the mailbox room (moderation/mailbox/)."""
