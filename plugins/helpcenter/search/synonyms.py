"""Synonym concepts: surface forms in either language that mean the same thing map to one
`~concept` token, added to both documents and queries (抖币 = coins = 钻石, 封号 = banned)."""

from __future__ import annotations

import functools
import re

#: concept -> surface forms (normalised: lower case). Chinese forms match as substrings,
#: English forms as whole words or phrases.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "coins": ("抖币", "钻石", "金币", "币", "coins", "coin", "diamonds", "douyin coins"),
    "recharge": (
        "充值",
        "充钱",
        "买币",
        "充币",
        "氪金",
        "top up",
        "top-up",
        "topup",
        "recharge",
        "buy coins",
    ),
    "refund": ("退款", "退钱", "退费", "退回", "refund", "refunds", "money back", "reimburse"),
    "banned": ("封号", "被封", "封禁", "封了", "冻结", "banned", "ban", "suspended", "suspension", "blocked"),
    "appeal": ("申诉", "复核", "appeal", "appeals", "dispute", "contest"),
    "password": ("密码", "password", "passcode", "pwd", "passwd", "pw", "pass word"),
    "forgot": ("忘记", "忘了", "想不起", "记不得", "找回", "forgot", "forgotten", "forget", "can't remember"),
    "phone": ("手机号", "手机号码", "电话号码", "号码", "phone", "mobile", "cell", "phone number"),
    "email": ("邮箱", "电子邮件", "邮件", "email", "e-mail", "mail", "mailbox"),
    "code": ("验证码", "校验码", "code", "otp", "verification code"),
    "two_factor": (
        "两步验证",
        "二次验证",
        "双重验证",
        "双因素",
        "身份验证器",
        "2fa",
        "two-factor",
        "two factor",
        "two-step",
        "authenticator",
        "totp",
        "mfa",
    ),
    "hacked": ("被盗", "盗号", "被黑", "异地登录", "异常登录", "hacked", "stolen", "compromised", "hijacked"),
    "real_name": (
        "实名",
        "身份证",
        "实名认证",
        "real-name",
        "real name",
        "id verification",
        "identity",
        "id card",
    ),
    "device": ("设备", "登录设备", "device", "devices", "session", "sessions"),
    "delete_account": (
        "注销",
        "销号",
        "delete my account",
        "close my account",
        "deactivate",
        "delete account",
    ),
    "upload": ("上传", "发视频", "发布视频", "发作品", "upload", "post a video", "publish"),
    "video": ("视频", "作品", "video", "videos", "clip", "clips", "post", "posts"),
    "comment": ("评论", "留言", "comment", "comments"),
    "visibility": (
        "可见",
        "私密",
        "仅自己",
        "公开",
        "visibility",
        "private",
        "privacy",
        "public",
        "friends only",
    ),
    "removed": ("下架", "删除了", "被删", "removed", "taken down", "takedown"),
    "live": (
        "直播",
        "开播",
        "live",
        "livestream",
        "livestreams",
        "live stream",
        "streaming",
        "stream",
        "go live",
    ),
    "shop": ("小店", "橱窗", "带货", "电商", "卖货", "shop", "store", "ecommerce", "e-commerce", "sell"),
    "challenge": ("挑战赛", "挑战", "话题", "challenge", "hashtag"),
    "payment_failed": (
        "扣款",
        "扣了钱",
        "没到账",
        "未到账",
        "支付失败",
        "charged",
        "not credited",
        "payment failed",
    ),
    "ads": ("广告", "投放", "推广", "ad", "ads", "advertise", "advertising", "advertisement"),
    "human": ("人工", "真人", "客服", "human", "agent", "real person", "person", "representative"),
    "analytics": ("数据分析", "数据报告", "分析报告", "analytics", "insights", "statistics", "stats"),
    "course": ("课程", "培训", "教程课", "course", "courses", "training", "lesson", "lessons", "class"),
    "free": ("免费", "收费", "要钱", "花钱", "free", "cost", "price", "pricing", "charge"),
    "dark_mode": ("夜间模式", "深色模式", "暗黑模式", "黑色主题", "dark mode", "dark theme", "night mode"),
    "feedback": ("反馈", "建议", "意见", "feedback", "suggestion", "suggest"),
    "community": ("社区", "论坛", "community", "forum"),
}


@functools.lru_cache(maxsize=1)
def _matchers() -> tuple[dict[str, str], re.Pattern[str] | None, list[tuple[str, str]]]:
    english: dict[str, str] = {}
    chinese: list[tuple[str, str]] = []
    for concept, forms in SYNONYMS.items():
        for form in forms:
            if form.isascii():
                english[form] = concept
            else:
                chinese.append((form, concept))
    alternatives = sorted(english, key=len, reverse=True)
    pattern = (
        re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alternatives) + r")\b") if english else None
    )
    return english, pattern, chinese


def concepts_in(text: str) -> list[str]:
    """`~concept` tokens for every synonym surface form found in normalised `text`."""
    english, pattern, chinese = _matchers()
    found: list[str] = []
    if pattern is not None:
        found.extend("~" + english[match] for match in pattern.findall(text))
    for form, concept in chinese:
        if form in text:
            found.append("~" + concept)
    return found
