"""The default boards: a feedback board and one per service area. Created on first use."""

from __future__ import annotations

from plugins.community.models import Board

FEEDBACK_BOARD = "feedback"

#: slug, kind, English name, Chinese name, English description, Chinese description.
DEFAULT_BOARDS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "feedback",
        "FEEDBACK",
        "Feedback & ideas",
        "意见反馈",
        "Tell us what to improve.",
        "告诉我们哪里需要改进。",
    ),
    (
        "account",
        "SERVICE",
        "Account & security",
        "账号与安全",
        "Sign-in, passwords, verification.",
        "登录、密码、实名认证。",
    ),
    (
        "content",
        "SERVICE",
        "Videos & content",
        "视频与内容",
        "Uploading, editing, visibility.",
        "上传、编辑、可见范围。",
    ),
    ("appeals", "SERVICE", "Appeals", "申诉", "Removals, bans and appeals.", "作品下架、封禁与申诉。"),
    ("features", "SERVICE", "Using the app", "功能使用", "How features work.", "各项功能怎么用。"),
    (
        "payments",
        "SERVICE",
        "Coins & payments",
        "充值与支付",
        "Top-ups, refunds, wallet.",
        "充值、退款、钱包。",
    ),
    ("ads", "SERVICE", "Advertising", "广告合作", "Advertising partnerships.", "广告投放与合作。"),
)


async def ensure_default_boards() -> list[Board]:
    """Every board, creating the default ones that are missing (idempotent, one query normally)."""
    boards = await Board.all().order_by("position", "id")
    present = {board.slug for board in boards}
    missing = [spec for spec in DEFAULT_BOARDS if spec[0] not in present]
    if not missing:
        return boards
    for position, (slug, kind, name_en, name_zh, desc_en, desc_zh) in enumerate(DEFAULT_BOARDS):
        if slug in present:
            continue
        await Board.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "name_en": name_en,
                "name_zh": name_zh,
                "description_en": desc_en,
                "description_zh": desc_zh,
                "position": position,
            },
        )
    return await Board.all().order_by("position", "id")


async def board_by_slug(slug: str) -> Board | None:
    """The board called `slug` (default boards are created when first asked for)."""
    board = await Board.get_or_none(slug=slug)
    if board is None and any(spec[0] == slug for spec in DEFAULT_BOARDS):
        await ensure_default_boards()
        board = await Board.get_or_none(slug=slug)
    return board
