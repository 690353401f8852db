"""The community plugin's error codes and their messages in both languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "EMPTY_POST": {"en": "Write something before posting.", "zh-CN": "内容不能为空。"},
    "POST_TOO_LONG": {
        "en": "This is too long: at most {limit} characters.",
        "zh-CN": "内容过长：最多 {limit} 个字符。",
    },
    "ALREADY_VOTED": {"en": "You have already voted for this post.", "zh-CN": "你已经为这条内容投过票了。"},
    "CANNOT_VOTE_OWN_POST": {"en": "You cannot vote for your own post.", "zh-CN": "不能给自己的内容投票。"},
    "ALREADY_REPORTED": {"en": "You have already reported this post.", "zh-CN": "你已经举报过这条内容。"},
    "CANNOT_REPORT_OWN_POST": {"en": "You cannot report your own post.", "zh-CN": "不能举报自己的内容。"},
    "THREAD_LOCKED": {
        "en": "This thread is locked: no new replies.",
        "zh-CN": "该帖子已锁定，无法回复。",
    },
    "NOT_THREAD_AUTHOR": {
        "en": "Only the thread's author or a moderator can accept an answer.",
        "zh-CN": "只有楼主或版主可以采纳答案。",
    },
    "UNKNOWN_BOARD": {"en": "There is no board called “{board}”.", "zh-CN": "版块“{board}”不存在。"},
    "INVALID_ACTION": {
        "en": "This action does not apply here: {detail}",
        "zh-CN": "该操作不适用：{detail}",
    },
}

CODES = tuple(MESSAGES)

#: Texts that are not errors: the board names are data, these are notices in results.
NOTICES: dict[str, dict[str, str]] = {
    "COMMUNITY_POST_HELD": {
        "en": "Your post is waiting for a moderator's review before others can see it.",
        "zh-CN": "你的内容需经版主审核后才会公开显示。",
    },
    "COMMUNITY_REPORT_FILED": {
        "en": "Thanks. A moderator will review this post.",
        "zh-CN": "感谢举报，版主会尽快处理。",
    },
}
