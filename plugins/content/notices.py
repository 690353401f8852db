"""Notices to a user about a decision that concerns them, in the user's own language, in-app and
by email when the account has one. Sent through the retried `core.notify` job."""

from __future__ import annotations

from typing import Any

from core.context import Services
from core.notify import Message, queue_notification


async def notify_user(
    services: Services,
    user_id: int,
    *,
    key: str,
    kind: str,
    data: dict[str, Any] | None = None,
    translated: dict[str, str] | None = None,
    **params: Any,
) -> None:
    """Queue the notice `key` (catalogue entries `<key>.subject` and `<key>.body`) to `user_id`.
    `translated` maps a parameter to a catalogue key rendered in the user's language; a `reason`
    parameter (a ViolationReason code) is put into words the same way.

    Call it after the transaction commits: a notice about a rolled-back decision must not go out.
    """
    from plugins.account.api import account_summary

    user = await account_summary(user_id)
    if user is None:
        return
    language = user.language or "zh-CN"
    catalog = services.catalog
    if "reason" in params:
        params["reason"] = catalog.message(f"content.reason.{params['reason']}", language)
    for name, catalog_key in (translated or {}).items():
        params[name] = catalog.message(catalog_key, language)
    subject = catalog.message(f"{key}.subject", language, params)
    body = catalog.message(f"{key}.body", language, params)
    targets = [("INAPP", str(user.id))]
    if user.email:
        targets.append(("EMAIL", user.email))
    for channel, target in targets:
        await queue_notification(
            services,
            Message(
                channel=channel,
                target=target,
                subject=subject,
                body=body,
                kind=kind,
                user_id=str(user.id),
                data=dict(data or {}),
            ),
        )
