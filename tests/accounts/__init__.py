"""Tests of the accounts room (moderation/accounts/)."""
