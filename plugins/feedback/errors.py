"""The feedback plugin's error codes and bilingual texts."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "EMPTY_FEEDBACK": {"en": "Tell us a little more before sending.", "zh-CN": "请填写反馈内容。"},
    "FEEDBACK_TOO_LONG": {
        "en": "This is too long: at most {limit} characters.",
        "zh-CN": "内容过长：最多 {limit} 个字符。",
    },
    "RATING_OUT_OF_RANGE": {"en": "Ratings go from 1 to 5.", "zh-CN": "评分范围为 1 到 5。"},
    "SCORE_OUT_OF_RANGE": {
        "en": "This answer must be a number from {low} to {high}.",
        "zh-CN": "该题的分数范围为 {low} 到 {high}。",
    },
    "FILE_TYPE_NOT_ALLOWED": {
        "en": "A screenshot must be an image (JPEG, PNG, GIF or WebP).",
        "zh-CN": "截图须为图片（JPEG、PNG、GIF 或 WebP）。",
    },
    "FILE_TOO_LARGE": {
        "en": "The file may be at most {limit_mb} MB.",
        "zh-CN": "文件不能超过 {limit_mb} MB。",
    },
    "SURVEY_CLOSED": {"en": "This survey is closed.", "zh-CN": "该问卷已结束。"},
    "ALREADY_ANSWERED": {"en": "You have already answered this survey.", "zh-CN": "你已经填写过该问卷。"},
    "ANSWER_REQUIRED": {"en": "Please answer this question.", "zh-CN": "请回答此题。"},
    "INVALID_CHOICE": {"en": "Choose from the listed options.", "zh-CN": "请从给出的选项中选择。"},
    "INVALID_SURVEY": {"en": "The survey is not valid: {detail}", "zh-CN": "问卷设置有误：{detail}"},
}

CODES = tuple(MESSAGES)

NOTICES: dict[str, dict[str, str]] = {
    "FEEDBACK_THANKS": {
        "en": "Thank you! Your feedback goes to the team that owns this area.",
        "zh-CN": "感谢反馈！我们会转交给负责该板块的团队。",
    },
    "SURVEY_THANKS": {"en": "Thanks for answering the survey.", "zh-CN": "感谢你填写问卷。"},
    "SURVEY_INVITE": {
        "en": "We'd like your opinion: “{title}”. Open Me > Settings > Help Center > Surveys.",
        "zh-CN": "邀请你参与问卷“{title}”，请前往“我 > 设置 > 帮助中心 > 问卷”填写。",
    },
}
