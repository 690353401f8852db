"""The premium plugin's manifest (registered; its features arrive with its issue)."""
