"""The features plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "UNKNOWN_FLAG": {
        "en": "There is no feature flag “{key}”.",
        "zh-CN": "不存在功能开关“{key}”。",
    },
    "UNKNOWN_ENTITLEMENT": {
        "en": "There is no entitlement “{entitlement}”.",
        "zh-CN": "不存在权益“{entitlement}”。",
    },
    "INVALID_SEGMENT": {
        "en": "The segment is not valid: {detail}",
        "zh-CN": "用户分群设置无效：{detail}",
    },
    "EXTERNAL_PROVIDER": {
        "en": "Flags are managed by the configured flag provider, not here.",
        "zh-CN": "功能开关由外部开关服务管理，无法在此修改。",
    },
    "NOTHING_TO_REVOKE": {
        "en": "This user holds no grant of “{entitlement}” to revoke.",
        "zh-CN": "该用户没有可撤销的“{entitlement}”授权。",
    },
}

CODES = tuple(MESSAGES)
