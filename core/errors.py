"""Domain errors: what can go wrong, as a stable code plus parameters for a translated message.

Services raise these; the GraphQL layer maps them to the operation's result union (or to a
top-level error with `extensions.code`) in one place: `schema.errors`.
"""

from __future__ import annotations

import sys
from typing import Any


def _raising_plugin() -> str | None:
    """The plugin whose code raised: the first caller frame in `plugins.<name>` (core helpers such
    as storage raise on behalf of the plugin that called them)."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("plugins."):
            return module.split(".")[1]
        frame = frame.f_back
    return None


class DomainError(Exception):
    """A failure the caller can act on: `code` is stable, `field` names the bad input.

    `plugin` is the namespace of its message: the plugin that raised it (see `core.i18n.Catalog`).
    """

    code: str = "INVALID_INPUT"

    def __init__(self, code: str | None = None, *, field: str | None = None, **params: Any) -> None:
        self.code = code or self.code
        self.field = field
        self.params = params
        self.plugin = _raising_plugin()
        super().__init__(self.code)


class NotAuthenticated(DomainError):
    """The operation needs a signed-in user."""

    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    """The actor may not do this (wrong role, someone else's object, restricted session)."""

    code = "FORBIDDEN"


class NotFound(DomainError):
    """The object does not exist, or the actor may not know it exists."""

    code = "NOT_FOUND"


class RateLimited(DomainError):
    """Too many requests; retry after `retry_after` seconds."""

    code = "RATE_LIMITED"

    def __init__(self, retry_after: int, **params: Any) -> None:
        super().__init__(retry_after=retry_after, **params)
        self.retry_after = retry_after


class EntitlementDenied(DomainError):
    """The user lacks the paid entitlement `entitlement`."""

    code = "ENTITLEMENT_REQUIRED"

    def __init__(self, entitlement: str, product: str | None = None) -> None:
        super().__init__(entitlement=entitlement, product=product or entitlement)
        self.entitlement = entitlement
        self.product = product or entitlement


#: Messages for the codes every plugin shares; plugins add theirs through `register_error_codes`.
CORE_MESSAGES: dict[str, dict[str, str]] = {
    "UNAUTHENTICATED": {"en": "Please sign in first.", "zh-CN": "请先登录。"},
    "FORBIDDEN": {"en": "You are not allowed to do this.", "zh-CN": "你没有执行此操作的权限。"},
    "NOT_FOUND": {"en": "Not found.", "zh-CN": "未找到。"},
    "INVALID_INPUT": {"en": "Please check the input: {detail}", "zh-CN": "请检查输入内容：{detail}"},
    "RATE_LIMITED": {
        "en": "Too many requests. Try again in {retry_after} seconds.",
        "zh-CN": "请求过于频繁，请在 {retry_after} 秒后重试。",
    },
    "ENTITLEMENT_REQUIRED": {
        "en": "This is part of the paid add-on “{product}”. Purchase it to unlock.",
        "zh-CN": "该功能属于付费增值服务“{product}”，开通后即可使用。",
    },
    "QUERY_TOO_COMPLEX": {
        "en": "The request exceeds a limit: {detail}",
        "zh-CN": "请求超出限制：{detail}",
    },
    "INVALID_TEXT": {
        "en": "Text may not contain NUL characters or unpaired UTF-16 surrogates.",
        "zh-CN": "文本不能包含空字符（NUL）或不成对的 UTF-16 代理字符。",
    },
    "BAD_REQUEST": {"en": "Bad request: {detail}", "zh-CN": "请求格式错误：{detail}"},
    # Separation of duties (core.duties), shared by every plugin's error enum.
    "CONFLICT_OF_INTEREST": {
        "en": "You cannot decide this: it concerns your own account or request, or a decision you "
        "made before. Another staff member will handle it.",
        "zh-CN": "你不能处理此事项：它涉及你本人的账号或申请，或你此前做出的决定，将由其他工作人员处理。",
    },
    "ADMIN_REQUIRED": {
        "en": "This is a staff account: only an administrator can moderate it.",
        "zh-CN": "这是工作人员账号，只有管理员可以对其进行处理。",
    },
    "INTERNAL_SERVER_ERROR": {
        "en": "Something went wrong on our side (request {request_id}).",
        "zh-CN": "服务器出现问题（请求编号 {request_id}）。",
    },
}
