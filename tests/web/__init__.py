"""Tests of the web room (moderation/web/)."""
