"""The eight help categories: the six service areas plus platform and premium."""

from __future__ import annotations

#: key -> (English name, Chinese name, English description, Chinese description)
CATEGORIES: dict[str, tuple[str, str, str, str]] = {
    "account": (
        "Account security",
        "账号安全",
        "Passwords, phone and email, two-step verification, real-name verification, devices.",
        "密码、手机和邮箱、两步验证、实名认证、登录设备。",
    ),
    "content": (
        "Content management",
        "内容管理",
        "Uploading, editing, deleting videos, comments and visibility.",
        "上传、编辑、删除视频，评论与可见范围。",
    ),
    "appeals": (
        "Appeals",
        "申诉",
        "Appealing removed videos and account bans, following an appeal.",
        "视频下架和账号封禁申诉、申诉进度。",
    ),
    "features": (
        "Feature help",
        "功能帮助",
        "Live streaming, shop window and e-commerce, hashtag challenges.",
        "直播、橱窗与电商、挑战赛。",
    ),
    "payments": (
        "Payments",
        "充值与支付",
        "Coins, top-ups, refunds and payment problems.",
        "抖币、充值、退款和支付问题。",
    ),
    "ads": (
        "Advertising",
        "广告合作",
        "Advertising inquiries and partnership applications.",
        "广告投放咨询与合作申请。",
    ),
    "platform": (
        "Using self-service",
        "平台使用",
        "Who can use self-service, pricing, access, human agents, feedback, community, settings.",
        "使用条件、收费、入口、人工客服、意见反馈、社区、个性化设置。",
    ),
    "premium": (
        "Premium add-ons",
        "增值服务",
        "Paid analytics, promotion advice, priority support and courses.",
        "付费数据分析、推广建议、优先客服和培训课程。",
    ),
}
