"""Tests of the photos room (moderation/photos/)."""
