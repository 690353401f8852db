"""The content plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "FILE_TOO_LARGE": {
        "en": "The file is too large (at most {limit_mb} MB).",
        "zh-CN": "文件过大（不超过 {limit_mb} MB）。",
    },
    "FILE_TYPE_NOT_ALLOWED": {
        "en": "This file type is not accepted.",
        "zh-CN": "不支持该文件类型。",
    },
    "VIDEO_TOO_LONG": {
        "en": "The video is too long (at most {limit_minutes} minutes).",
        "zh-CN": "视频时长超出限制（不超过 {limit_minutes} 分钟）。",
    },
    "VIDEO_UNREADABLE": {
        "en": "The video file could not be read. Export it again as MP4, MOV or WebM.",
        "zh-CN": "无法读取该视频文件，请重新导出为 MP4、MOV 或 WebM 格式。",
    },
    "VIDEO_REMOVED": {
        "en": "This video was removed by a moderation decision and cannot be changed. You can appeal.",
        "zh-CN": "该视频因审核决定已被移除，无法修改。你可以提出申诉。",
    },
    "VIDEO_DELETED": {
        "en": "This video is in Recently deleted. Restore it first.",
        "zh-CN": "该视频在“最近删除”中，请先恢复。",
    },
    "NOT_DELETED": {
        "en": "This video is not deleted.",
        "zh-CN": "该视频未被删除。",
    },
    "RESTORE_WINDOW_EXPIRED": {
        "en": "Deleted videos can be restored for {days} days only.",
        "zh-CN": "已删除的视频仅可在 {days} 天内恢复。",
    },
    "COMMENTS_DISABLED": {
        "en": "Comments are turned off for this video.",
        "zh-CN": "该视频已关闭评论。",
    },
    "ALREADY_REMOVED": {
        "en": "This video has already been removed.",
        "zh-CN": "该视频已被移除。",
    },
    "ALREADY_BANNED": {
        "en": "This account is already banned.",
        "zh-CN": "该账号已被封禁。",
    },
    "CANNOT_MODERATE_SELF": {
        "en": "Reviewers cannot act on their own content or account.",
        "zh-CN": "审核员不能处理自己的内容或账号。",
    },
}

#: Texts of the notices users receive (not error codes: no enum values).
NOTICES: dict[str, dict[str, str]] = {
    "content.notice.video_removed.subject": {
        "en": "Your video was removed",
        "zh-CN": "你的视频已被移除",
    },
    "content.notice.video_removed.body": {
        "en": "Your video “{title}” was removed for {reason}: {statement} "
        "You can appeal until {appealable_until} from Help Center > Appeals.",
        "zh-CN": "你的视频《{title}》因“{reason}”被移除：{statement} "
        "你可在 {appealable_until} 前通过“帮助中心 > 申诉”提出申诉。",
    },
    "content.notice.account_banned.subject": {
        "en": "Your account was banned",
        "zh-CN": "你的账号已被封禁",
    },
    "content.notice.account_banned.body": {
        "en": "Your account was banned for {reason}: {statement} You can still sign in to read help, "
        "see the decision and appeal until {appealable_until}.",
        "zh-CN": "你的账号因“{reason}”被封禁：{statement} 你仍可登录查看帮助、查看处理决定，"
        "并在 {appealable_until} 前提出申诉。",
    },
}

REASONS: dict[str, dict[str, str]] = {
    f"content.reason.{code}": {"en": en, "zh-CN": zh}
    for code, en, zh in (
        ("SPAM", "spam", "垃圾信息"),
        ("IMPERSONATION", "impersonation", "冒充他人"),
        ("HARASSMENT", "harassment", "骚扰"),
        ("VIOLENCE", "violence", "暴力内容"),
        ("ADULT_CONTENT", "adult content", "色情低俗内容"),
        ("MISINFORMATION", "misinformation", "虚假信息"),
        ("COPYRIGHT", "copyright infringement", "侵犯版权"),
        ("MINOR_SAFETY", "minor safety", "危害未成年人安全"),
        ("OTHER", "another violation of the community guidelines", "其他违反社区规范的行为"),
    )
}

CODES = tuple(MESSAGES)
