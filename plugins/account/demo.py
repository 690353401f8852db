"""Demo users for `selfserve demo` / `make run` (idempotent)."""

from __future__ import annotations

from core.context import Services
from plugins.account.models import User

DEMO_PASSWORD = "selfserve-demo-2026"
DEMO_USERS = (
    ("user@example.com", "Demo User", []),
    ("agent@example.com", "Demo Agent", ["AGENT"]),
    ("reviewer@example.com", "Demo Reviewer", ["REVIEWER"]),
    ("admin@example.com", "Demo Admin", ["ADMIN"]),
)


async def seed(services: Services) -> list[str]:
    """Create the demo users that do not exist yet; returns what was created."""
    created = []
    for email, name, roles in DEMO_USERS:
        if await User.exists(email=email):
            continue
        await User.create(
            email=email,
            email_verified=True,
            display_name=name,
            roles=roles,
            password_hash=services.passwords.hash(DEMO_PASSWORD),
        )
        created.append(email)
    return created
