"""The feedback plugin's manifest (registered; its features arrive with its issue)."""
