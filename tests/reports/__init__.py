"""Tests of the reports room (moderation/reports/)."""
