"""The partners plugin's error codes in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "UNKNOWN_PERMISSION": {
        "en": "Unknown permission “{permission}”. See `permissions` for the catalogue.",
        "zh-CN": "未知权限“{permission}”，请查看 `permissions` 权限目录。",
    },
    "UNKNOWN_EVENT": {
        "en": "Unknown webhook event “{event}”. See `webhookEvents` for the catalogue.",
        "zh-CN": "未知的 Webhook 事件“{event}”，请查看 `webhookEvents` 事件目录。",
    },
    "EVENT_NOT_PERMITTED": {
        "en": "The app lacks the permission {permission} that event “{event}” needs.",
        "zh-CN": "该应用缺少事件“{event}”所需的权限 {permission}。",
    },
    "URL_NOT_ALLOWED": {
        "en": "This webhook URL is not allowed: {detail}",
        "zh-CN": "不允许使用该 Webhook 地址：{detail}",
    },
    "APP_REVOKED": {
        "en": "This app has been revoked.",
        "zh-CN": "该应用已被吊销。",
    },
    "INVALID_RATE_LIMIT": {
        "en": "The rate limit must be between 1 and {maximum} requests per minute.",
        "zh-CN": "速率限制必须在每分钟 1 到 {maximum} 次之间。",
    },
}

CODES = tuple(MESSAGES)
