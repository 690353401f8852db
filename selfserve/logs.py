"""Structured logs (structlog over the standard library): every `logging.getLogger(...)` record of
the process comes out as one JSON object per line (`SELFSERVE_LOG_FORMAT=json`, the production
default) or as readable console lines (`console`, the default elsewhere), with the request id of
the request it belongs to (bound per request in `selfserve.observe` through structlog's
contextvars).

`configure_logging` changes process-wide logging, so only process entry points call it (the CLI's
`main` and `selfserve.asgi`), never the app factory: an app built in a test leaves logging alone.

What a line may carry: `redact` blanks keys that name secrets or personal data wherever a caller
passes them (`extra={"email": ...}`) and masks bearer tokens inside messages; the request line
itself (`request_line`) holds only non-identifying facts (no user id, no query string).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

#: Keys never written with their value (any letter case), wherever they appear in an event.
SENSITIVE_KEYS = frozenset(
    {
        "password",
        "new_password",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "secret",
        "api_key",
        "cookie",
        "email",
        "phone",
        "id_number",
    }
)
REDACTED = "[redacted]"
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
#: Marks the handler `configure_logging` installed, so a second call replaces it.
_HANDLER_NAME = "selfserve-structlog"
#: The logger of the one-line-per-request record.
REQUEST_LOGGER = "selfserve.request"


def redact(logger: Any, method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: blank sensitive keys, mask bearer tokens in any text."""
    # A record another handler formatted first carries its rendered text as `message` (the
    # unredacted twin of `event`): drop it.
    event.pop("message", None)
    for key, value in list(event.items()):
        if key.lower() in SENSITIVE_KEYS:
            event[key] = REDACTED
        elif isinstance(value, str) and "earer" in value:
            event[key] = _BEARER.sub(r"\1 " + REDACTED, value)
    return event


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
    ]


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of each record (as the standard library's
    last-resort handler does), never to a stream that was replaced and closed since."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def configure_logging(settings: Any, stream: TextIO | None = None) -> logging.Handler:
    """Route the standard library's logging (and structlog's) through one handler on `stream`
    (stderr by default) in the configured format; `selfserve.*` loggers at `SELFSERVE_LOG_LEVEL`,
    everything else at WARNING. Returns the handler (tests remove it again)."""
    renderer: Any
    if settings.effective_log_format == "json":
        renderer = structlog.processors.JSONRenderer(ensure_ascii=False, default=str)
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=False)
    pre_chain = [*_shared_processors(), structlog.stdlib.ExtraAdder(), redact]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            redact,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=pre_chain,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for existing in list(root.handlers):
        # Ours from an earlier call, and the CLI's plain default: one line per record, in one format.
        if existing.get_name() == _HANDLER_NAME or type(existing) is logging.StreamHandler:
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("selfserve").setLevel(settings.log_level)
    return handler


def request_line(**facts: Any) -> None:
    """Log the one info line of a finished request (facts: see `selfserve.observe`)."""
    logging.getLogger(REQUEST_LOGGER).info("request", extra=facts)
