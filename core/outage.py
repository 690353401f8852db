"""Log a dependency outage once when it starts and once when it ends, not once per attempt."""

from __future__ import annotations

import logging
import time


class Outage:
    """Tracks whether `what` is failing; `failed()` logs the first error of an outage,
    `recovered()` logs its end and how long it lasted. With `quiet_seconds`, a success ends the
    outage only that long after the last failure (when successes and failures interleave, e.g.
    jobs that need the database among jobs that do not)."""

    #: What is logged when an outage starts (`what`, the error's class and text) and ends (`what`,
    #: seconds, failed attempts). The API's `core.availability.OutageMonitor` says "503 until back".
    STARTED = "%s failing, retrying with back-off: %s: %s"
    ENDED = "%s recovered after %.1f s (%d failed attempts)"

    def __init__(
        self,
        logger: logging.Logger,
        what: str,
        *,
        quiet_seconds: float = 0.0,
        started: str = STARTED,
        ended: str = ENDED,
    ) -> None:
        self._logger = logger
        self._what = what
        self._quiet = quiet_seconds
        self._started = started
        self._ended = ended
        self._since: float | None = None
        self._last_failure = 0.0
        self.failures = 0

    @property
    def active(self) -> bool:
        """True while failing."""
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        """Record a failed attempt (logged only when it starts an outage)."""
        self.failures += 1
        self._last_failure = time.monotonic()
        if self._since is None:
            self._since = time.monotonic()
            self._logger.warning(self._started, self._what, type(error).__name__, str(error)[:300])

    def recovered(self) -> None:
        """Record a success (logged only when it ends an outage)."""
        if self._since is not None and time.monotonic() - self._last_failure >= self._quiet:
            lasted = time.monotonic() - self._since
            self._logger.warning(self._ended, self._what, lasted, self.failures)
            self._since = None
            self.failures = 0
