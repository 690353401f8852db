"""The premium catalogue as shipped: products (prices are defaults admins may change) and courses.
Kept in code so every deployment starts with the same, reviewable catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProductDefault:
    """A product: the entitlement it grants, bilingual title and description, price and period."""

    key: str
    entitlement: str
    title: dict[str, str]
    description: dict[str, str]
    price_coins: int
    period_days: int = 30


PRODUCTS: tuple[ProductDefault, ...] = (
    ProductDefault(
        "analytics_report",
        "analytics_report",
        {"en": "Pro account analytics", "zh-CN": "专业账号分析"},
        {
            "en": "Views, engagement, follower change, top videos, best posting times and trends vs the "
            "previous period, with CSV download.",
            "zh-CN": "播放量、互动率、粉丝变化、热门作品、最佳发布时间及环比趋势，支持 CSV 下载。",
        },
        300,
    ),
    ProductDefault(
        "promotion_advice",
        "promotion_advice",
        {"en": "Personalised promotion advice", "zh-CN": "个性化推广建议"},
        {
            "en": "Concrete advice from your own data: when to post, how long, which tags, what to repeat.",
            "zh-CN": "基于你的数据给出具体建议：何时发布、时长多少、用哪些话题、哪些内容值得复制。",
        },
        500,
    ),
    ProductDefault(
        "priority_support",
        "priority_support",
        {"en": "Priority support", "zh-CN": "优先客服"},
        {
            "en": "Your tickets get HIGH priority and a first response within 15 minutes.",
            "zh-CN": "工单优先处理，15 分钟内首次响应。",
        },
        200,
    ),
    ProductDefault(
        "courses",
        "courses",
        {"en": "Creator courses", "zh-CN": "高级培训课程"},
        {
            "en": "Online lessons and offline sessions on creation and operations.",
            "zh-CN": "关于创作与运营的线上课程和线下培训。",
        },
        990,
    ),
)


@dataclass(frozen=True)
class Lesson:
    """An online lesson of a course."""

    key: str
    title: dict[str, str]
    minutes: int


@dataclass(frozen=True)
class Session:
    """An offline session of a course (times are UTC ISO-8601)."""

    key: str
    city: dict[str, str]
    venue: str
    starts_at: str
    seats: int


@dataclass(frozen=True)
class Course:
    """A course: ONLINE (lessons) or OFFLINE (sessions)."""

    key: str
    format: str
    title: dict[str, str]
    description: dict[str, str]
    lessons: tuple[Lesson, ...] = ()
    sessions: tuple[Session, ...] = field(default_factory=tuple)


def _t(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh-CN": zh}


COURSES: tuple[Course, ...] = (
    Course(
        "short-video-basics",
        "ONLINE",
        _t("Short-video basics", "短视频创作入门"),
        _t(
            "Shooting, editing and the first three seconds that keep viewers.",
            "拍摄、剪辑，以及留住观众的前三秒。",
        ),
        (
            Lesson("hook", _t("The 3-second hook", "黄金三秒开头"), 12),
            Lesson("lighting", _t("Light and sound on a phone", "用手机做好灯光与收音"), 15),
            Lesson("editing", _t("Editing rhythm", "剪辑节奏"), 18),
        ),
    ),
    Course(
        "account-growth",
        "ONLINE",
        _t("Growing an account", "账号运营与涨粉"),
        _t(
            "Positioning, posting schedule, tags and reading your analytics.",
            "账号定位、发布节奏、话题标签与数据解读。",
        ),
        (
            Lesson("positioning", _t("Finding your niche", "找准账号定位"), 14),
            Lesson("schedule", _t("A posting schedule that works", "有效的发布节奏"), 10),
            Lesson("analytics", _t("Reading your analytics", "看懂你的数据"), 16),
        ),
    ),
    Course(
        "creator-workshop",
        "OFFLINE",
        _t("Creator workshop", "线下创作者工作坊"),
        _t("A one-day hands-on workshop with platform trainers.", "由平台讲师带领的一日实操工作坊。"),
        sessions=(
            Session(
                "bj-2026-06", _t("Beijing", "北京"), "Haidian Creator Hub", "2026-06-13T01:00:00+00:00", 40
            ),
            Session(
                "sh-2026-07", _t("Shanghai", "上海"), "Xuhui Creator Hub", "2026-07-11T01:00:00+00:00", 40
            ),
        ),
    ),
)


def product_default(key: str) -> ProductDefault | None:
    """The shipped product `key`, if any."""
    return next((p for p in PRODUCTS if p.key == key), None)


def course(key: str) -> Course | None:
    """The course `key`, if any."""
    return next((c for c in COURSES if c.key == key), None)
