"""Root pytest configuration: the shared fixtures live in tests/fixtures.py (plugins' tests use them)."""

pytest_plugins = ("tests.fixtures",)
