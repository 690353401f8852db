"""Tests in a real browser: Playwright driving Debian's Chromium (never a downloaded browser)."""
