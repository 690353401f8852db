"""Built-in plugins. Each is a package with a `hooks.py` manifest; see docs/plugins.md."""
