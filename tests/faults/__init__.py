"""Fault-injection helpers for tests with real processes: a TCP proxy the test controls."""
