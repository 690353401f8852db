"""Development-only surfaces (the sandbox payment provider and its page, demo data): on by default
outside production, absent in production unless an operator turns each on explicitly; turning one
on in production is logged at WARNING every time a process starts."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("selfserve.security")


def development_surface_enabled(settings: Any, flag: bool | None) -> bool:
    """Whether a development-only surface exists: `flag` when the operator set it, otherwise only
    outside production (`SELFSERVE_ENV=production` never gets one by default)."""
    if flag is None:
        return not settings.is_production
    return bool(flag)


def warn_if_live_in_production(settings: Any, flag: bool | None, *, surface: str, variable: str) -> None:
    """Log loudly at start-up when a development-only surface was turned on in production."""
    if settings.is_production and development_surface_enabled(settings, flag):
        logger.warning(
            "DEVELOPMENT-ONLY %s IS ENABLED IN PRODUCTION (%s=true): anyone can use it. "
            "Unset %s unless this deployment is a demo.",
            surface,
            variable,
            variable,
        )
