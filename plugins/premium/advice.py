"""Promotion advice: concrete, explained suggestions derived from the analytics report (posting
time, length, tags that worked, content to repeat, posting frequency)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from plugins.premium.analytics import WEEKDAYS, Report, rate

#: Length buckets in seconds: (upper bound, English label, Chinese label).
LENGTHS = (
    (15, "under 15 s", "15 秒以内"),
    (30, "15-30 s", "15-30 秒"),
    (60, "30-60 s", "30-60 秒"),
    (180, "1-3 min", "1-3 分钟"),
    (float("inf"), "over 3 min", "3 分钟以上"),
)


@dataclass(frozen=True)
class Advice:
    """One suggestion: what to do (`title`) and why, with the numbers behind it (`detail`)."""

    kind: str
    title: str
    detail: str
    confidence: float


def _pct(value: float, base: float) -> int:
    return round((value - base) / base * 100) if base else 0


def _average(videos: list) -> float:
    return sum(v.views for v in videos) / len(videos) if videos else 0.0


def advise(report: Report, language: str) -> list[Advice]:
    """Advice for the report's creator in `language` (zh-CN or en), most useful first."""
    zh = language == "zh-CN"
    videos = report.published
    if len(videos) < 2:
        return [
            Advice(
                "START",
                "先发布至少 3 个作品" if zh else "Publish at least 3 videos first",
                "建议需要足够的数据：发布更多作品后，我们会根据播放和互动告诉你哪些做法有效。"
                if zh
                else "Advice needs data: once you have published a few videos we can tell what works from their views and engagement.",
                1.0,
            )
        ]
    overall = _average(videos)
    found: list[Advice] = []
    confidence = min(1.0, len(videos) / 10)
    hour, weekday = report.best_hours[0], report.best_weekdays[0]
    if hour.average_views > overall:
        day = WEEKDAYS[language if zh else "en"][weekday.slot - 1]
        offset = f"UTC{report.utc_offset_hours:+d}"
        found.append(
            Advice(
                "POSTING_TIME",
                f"在{day} {hour.slot:02d}:00 左右发布"
                if zh
                else f"Post around {hour.slot:02d}:00 ({offset}), best on {day}",
                (
                    f"你在 {hour.slot:02d}:00 发布的 {hour.videos} 个作品平均播放 {hour.average_views:.0f} 次，比你的平均水平高 {_pct(hour.average_views, overall)}%；{day}发布的作品平均播放 {weekday.average_views:.0f} 次。"
                    if zh
                    else f"Your {hour.videos} video(s) published at {hour.slot:02d}:00 averaged {hour.average_views:.0f} views, "
                    f"{_pct(hour.average_views, overall)}% above your average of {overall:.0f}; videos published on {day} averaged {weekday.average_views:.0f}."
                ),
                confidence,
            )
        )
    buckets: dict[int, list] = defaultdict(list)
    for video in videos:
        if video.duration_seconds is not None:
            buckets[next(i for i, b in enumerate(LENGTHS) if video.duration_seconds < b[0])].append(video)
    if len(buckets) >= 2:
        best = max(buckets, key=lambda i: (_average(buckets[i]), -i))
        label = LENGTHS[best][2 if zh else 1]
        found.append(
            Advice(
                "LENGTH",
                f"作品时长控制在 {label}" if zh else f"Keep videos {label}",
                (
                    f"时长 {label} 的 {len(buckets[best])} 个作品平均播放 {_average(buckets[best]):.0f} 次，是各时长中最高的（整体平均 {overall:.0f}）。"
                    if zh
                    else f"Your {len(buckets[best])} video(s) of {label} averaged {_average(buckets[best]):.0f} views, the best of any length (overall {overall:.0f})."
                ),
                confidence,
            )
        )
    by_tag: dict[str, list] = defaultdict(list)
    for video in videos:
        for tag in video.tags:
            by_tag[tag].append(video)
    winners = sorted(
        (t for t, vs in by_tag.items() if len(vs) >= 2 and _average(vs) > overall),
        key=lambda t: (-_average(by_tag[t]), t),
    )[:3]
    if winners:
        listed = " ".join(f"#{t}" for t in winners)
        numbers = ", ".join(f"#{t} {_average(by_tag[t]):.0f}" for t in winners)
        found.append(
            Advice(
                "TAGS",
                f"继续使用话题 {listed}" if zh else f"Keep using {listed}",
                f"带这些话题的作品平均播放（{numbers}）高于你的平均 {overall:.0f}。"
                if zh
                else f"Videos with these tags averaged more views ({numbers}) than your average of {overall:.0f}.",
                confidence,
            )
        )
    engaged = [v for v in videos if v.views]
    if engaged:
        top = max(engaged, key=lambda v: (rate(v.likes + v.comments + v.shares, v.views), v.views))
        top_rate = rate(top.likes + top.comments + top.shares, top.views)
        if top_rate > report.totals.engagement_rate:
            found.append(
                Advice(
                    "CONTENT",
                    f"多做类似《{top.title}》的内容" if zh else f"Make more like “{top.title}”",
                    (
                        f"它的互动率为 {top_rate:.1%}，你的整体互动率为 {report.totals.engagement_rate:.1%}：观众对这类内容反应最好。"
                        if zh
                        else f"Its engagement rate was {top_rate:.1%} against your overall {report.totals.engagement_rate:.1%}: your audience responds most to this."
                    ),
                    confidence,
                )
            )
    per_week = report.totals.videos_published / max(report.days / 7, 1)
    if per_week < 3:
        found.append(
            Advice(
                "FREQUENCY",
                "每周至少发布 3 个作品" if zh else "Post at least 3 times a week",
                (
                    f"最近 {report.days} 天你发布了 {report.totals.videos_published} 个作品（每周约 {per_week:.1f} 个），粉丝净变化 {report.totals.follower_change:+d}。稳定的更新节奏有助于推荐和涨粉。"
                    if zh
                    else f"You published {report.totals.videos_published} video(s) in the last {report.days} days (about {per_week:.1f} a week) "
                    f"and your followers changed by {report.totals.follower_change:+d}. A steady schedule helps recommendation and growth."
                ),
                0.6,
            )
        )
    return found
