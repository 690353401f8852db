"""The helpcenter plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "SLUG_TAKEN": {
        "en": "An article with this slug already exists in this language.",
        "zh-CN": "该语言下已有使用此标识（slug）的文章。",
    },
    "UNKNOWN_CATEGORY": {
        "en": "Unknown category. Use one of: {categories}.",
        "zh-CN": "分类不存在，可选：{categories}。",
    },
    "INVALID_PATH": {
        "en": "The path must be a self-service page path starting with “/”.",
        "zh-CN": "路径必须是以“/”开头的自助服务页面路径。",
    },
}

CODES = tuple(MESSAGES)
