"""Shared test kit: a local web server, an SMTP server, Chromium, a throw-away Dovecot, checking fixtures."""
