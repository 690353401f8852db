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
    "FILE_TYPE_NOT_ALLOWED": {
        "en": "Upload a PNG, JPEG or WebP image for a picture, or an MP4 or WebM video for a video.",
        "zh-CN": "图片请上传 PNG、JPEG 或 WebP 格式，视频请上传 MP4 或 WebM 格式。",
    },
    "FILE_TOO_LARGE": {
        "en": "The file is too large (images up to 5 MB, videos up to 50 MB).",
        "zh-CN": "文件过大（图片不超过 5 MB，视频不超过 50 MB）。",
    },
    "INVALID_PATH": {
        "en": "The path must be a self-service page path starting with “/”.",
        "zh-CN": "路径必须是以“/”开头的自助服务页面路径。",
    },
}

CODES = tuple(MESSAGES)
