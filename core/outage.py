"""Log a dependency outage once when it starts and once when it ends, not once per attempt."""

from __future__ import annotations

import logging
import time


class Outage:
    """Tracks whether `what` is failing; `failed()` logs the first error of an outage,
    `recovered()` logs its end and how long it lasted."""

    def __init__(self, logger: logging.Logger, what: str) -> None:
        self._logger = logger
        self._what = what
        self._since: float | None = None
        self.failures = 0

    @property
    def active(self) -> bool:
        """True while failing."""
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        """Record a failed attempt (logged only when it starts an outage)."""
        self.failures += 1
        if self._since is None:
            self._since = time.monotonic()
            self._logger.warning(
                "%s failing, retrying with back-off: %s: %s", self._what, type(error).__name__, error
            )

    def recovered(self) -> None:
        """Record a success (logged only when it ends an outage)."""
        if self._since is not None:
            lasted = time.monotonic() - self._since
            self._logger.warning(
                "%s recovered after %.1f s (%d failed attempts)", self._what, lasted, self.failures
            )
            self._since = None
            self.failures = 0
