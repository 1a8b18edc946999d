"""Tests of the notices room (moderation/notices/)."""
