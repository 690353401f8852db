"""The support plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "EMPTY_BODY": {"en": "Please write a message.", "zh-CN": "请填写内容。"},
    "UNKNOWN_CATEGORY": {
        "en": "Unknown category “{category}”. Choose a help topic or service area.",
        "zh-CN": "未知的问题分类“{category}”，请选择帮助主题或服务类别。",
    },
    "TICKET_CLOSED": {
        "en": "This ticket is closed. Please open a new ticket.",
        "zh-CN": "该工单已关闭，请重新提交工单。",
    },
    "INVALID_STATUS_CHANGE": {
        "en": "A ticket cannot go from {current} to {target}.",
        "zh-CN": "工单状态无法从 {current} 变更为 {target}。",
    },
    "NOT_SOLVED": {
        "en": "You can rate a ticket once it is solved.",
        "zh-CN": "工单解决后才能评价。",
    },
    "ALREADY_RATED": {"en": "You have already rated this ticket.", "zh-CN": "你已评价过该工单。"},
    "INVALID_SCORE": {"en": "The rating must be from 1 to 5.", "zh-CN": "评分须为 1 到 5 分。"},
    "NOT_AN_AGENT": {
        "en": "That user is not a support agent.",
        "zh-CN": "该用户不是客服人员。",
    },
    "NO_AGENT_AVAILABLE": {
        "en": "No agent is available right now. The ticket stays in the queue.",
        "zh-CN": "当前没有空闲的客服，工单将保留在队列中。",
    },
    "TOO_MANY_ATTACHMENTS": {
        "en": "At most {limit} attachments per message.",
        "zh-CN": "每条消息最多 {limit} 个附件。",
    },
    "FILE_TOO_LARGE": {
        "en": "Each file may be at most {limit_mb} MB.",
        "zh-CN": "每个文件不能超过 {limit_mb} MB。",
    },
    "FILE_TYPE_NOT_ALLOWED": {
        "en": "Attach images (JPEG, PNG, GIF, WebP), PDF or video (MP4, MOV, WebM) only.",
        "zh-CN": "仅支持图片（JPEG、PNG、GIF、WebP）、PDF 或视频（MP4、MOV、WebM）附件。",
    },
    "CANNOT_MERGE": {
        "en": "These tickets cannot be merged: {detail}",
        "zh-CN": "无法合并这些工单：{detail}",
    },
}

#: Texts of notifications and system messages (not error codes, same catalog).
NOTICES: dict[str, dict[str, str]] = {
    "SUPPORT_SLA_BREACHED": {
        "en": "Ticket #{number} missed its {target} target.",
        "zh-CN": "工单 #{number} 已超出{target}时限。",
    },
    "SUPPORT_CSAT_SURVEY": {
        "en": "Your ticket #{number} is solved. How did we do? Rate it from 1 to 5.",
        "zh-CN": "你的工单 #{number} 已解决，请为本次服务打分（1 到 5 分）。",
    },
    "SUPPORT_MERGED_INTO": {
        "en": "This ticket was merged into ticket #{number}. Please follow it there.",
        "zh-CN": "该工单已合并至工单 #{number}，请在该工单中查看进展。",
    },
    "SUPPORT_MERGED_FROM": {
        "en": "Ticket #{number} was merged into this ticket.",
        "zh-CN": "工单 #{number} 已合并至本工单。",
    },
}

CODES = tuple(MESSAGES)
