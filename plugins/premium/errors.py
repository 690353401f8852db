"""The premium plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "NOT_ENROLLED": {
        "en": "Enrol in the course first.",
        "zh-CN": "请先报名该课程。",
    },
    "INVALID_PRICE": {
        "en": "A price must be between 1 and {max} coins.",
        "zh-CN": "价格须在 1 到 {max} 抖币之间。",
    },
    "NOT_ONLINE_COURSE": {
        "en": "This course has no online lessons.",
        "zh-CN": "该课程没有线上课时。",
    },
    "UNKNOWN_PRODUCT": {
        "en": "Unknown add-on “{product}”.",
        "zh-CN": "不存在的增值服务“{product}”。",
    },
}

CODES = tuple(MESSAGES)
