"""The appeals plugin's error codes, and the notices users receive, in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "APPEAL_WINDOW_CLOSED": {
        "en": "The deadline to appeal this decision has passed.",
        "zh-CN": "该处理决定的申诉期限已过。",
    },
    "ALREADY_APPEALED": {
        "en": "This decision already has an appeal. Follow it under Appeals (an upheld appeal can be escalated once).",
        "zh-CN": "该处理决定已有申诉，请在“申诉”中查看进度（维持原判的申诉可升级复核一次）。",
    },
    "DECISION_REVERSED": {
        "en": "This decision has already been reversed.",
        "zh-CN": "该处理决定已被撤销。",
    },
    "TOO_MANY_FILES": {
        "en": "Attach at most {limit} evidence files.",
        "zh-CN": "证据文件最多 {limit} 个。",
    },
    "FILE_TOO_LARGE": {
        "en": "The file is too large (at most {limit_mb} MB).",
        "zh-CN": "文件过大（不超过 {limit_mb} MB）。",
    },
    "FILE_TYPE_NOT_ALLOWED": {
        "en": "This file type is not accepted.",
        "zh-CN": "不支持该文件类型。",
    },
    "INVALID_STATUS": {
        "en": "The appeal is {status}: this step is not possible now.",
        "zh-CN": "申诉当前状态为 {status}，无法执行此操作。",
    },
    "ALREADY_ESCALATED": {
        "en": "This appeal has already been escalated once.",
        "zh-CN": "该申诉已升级复核过一次。",
    },
    "ASSIGNED_TO_ANOTHER_REVIEWER": {
        "en": "Another reviewer is reviewing this appeal.",
        "zh-CN": "该申诉正由其他审核员处理。",
    },
}

NOTICES: dict[str, dict[str, str]] = {
    "appeals.notice.received.subject": {"en": "We received your appeal", "zh-CN": "我们已收到你的申诉"},
    "appeals.notice.received.body": {
        "en": "Your appeal is submitted. We aim to review it by {due_at} (UTC).",
        "zh-CN": "你的申诉已提交，我们将在 {due_at}（UTC）前完成审核。",
    },
    "appeals.notice.overturned.subject": {
        "en": "Your appeal succeeded",
        "zh-CN": "你的申诉已通过",
    },
    "appeals.notice.overturned.body": {
        "en": "We reversed the decision and restored what it removed. Reviewer's note: {note}",
        "zh-CN": "我们已撤销原处理决定，并已恢复相关内容或账号。审核说明：{note}",
    },
    "appeals.notice.upheld.subject": {
        "en": "Your appeal was reviewed",
        "zh-CN": "你的申诉已审核",
    },
    "appeals.notice.upheld.body": {
        "en": "The decision stays in place. Reviewer's note: {note} {next_step}",
        "zh-CN": "原处理决定维持不变。审核说明：{note} {next_step}",
    },
    "appeals.notice.can_escalate": {
        "en": "You can escalate once to a different reviewer under Appeals.",
        "zh-CN": "你可以在“申诉”中申请由另一位审核员复核一次。",
    },
}

CODES = tuple(MESSAGES)
