"""Line charts for the staff metrics, drawn on the server as SVG coordinates (no script, no CDN):
the template draws polylines and dots from what `line_chart` returns; gaps (None) break a line."""

from __future__ import annotations

WIDTH, HEIGHT, LEFT, RIGHT, BOTTOM = 600, 200, 56, 24, 20


def _scale(value: float, low: float, high: float) -> float:
    return round(HEIGHT - BOTTOM - (value - low) / ((high - low) or 1) * (HEIGHT - BOTTOM - 10), 1)


def line_chart(series: dict[str, list[float | None]], labels: list[str], *, low: float = 0.0,
               high: float | None = None, unit: str = "") -> dict:  # fmt: skip
    """Coordinates for one or more series over the same `labels` (oldest first): each series'
    line segments (runs without gaps) and dots, the y-axis ticks (low, middle, high) and the x labels."""
    values = [v for points in series.values() for v in points if v is not None]
    top = high if high is not None else max(values + [low + 1])
    step = (WIDTH - LEFT - RIGHT) / max(len(labels) - 1, 1)
    drawn = []
    for index, (name, points) in enumerate(series.items()):
        segments, current, dots = [], [], []
        for i, value in enumerate(points):
            if value is None:
                segments, current = segments + ([current] if current else []), []
                continue
            x, y = round(LEFT + i * step, 1), _scale(value, low, top)
            current.append(f"{x},{y}")
            dots.append({"x": x, "y": y, "label": f"{labels[i]}: {round(value, 1)}{unit}"})
        segments += [current] if current else []
        drawn.append(
            {"name": name, "index": index, "segments": [" ".join(s) for s in segments], "dots": dots}
        )
    middle = (low + top) / 2
    ticks = [{"y": _scale(v, low, top), "label": f"{round(v, 1):g}{unit}"} for v in (low, middle, top)]
    marks = [{"x": round(LEFT + i * step, 1), "label": label} for i, label in enumerate(labels)]
    return {"series": drawn, "ticks": ticks, "labels": marks, "width": WIDTH, "height": HEIGHT,
            "left": LEFT, "bottom": HEIGHT - BOTTOM}  # fmt: skip


def duration_unit(seconds: list[float | None]) -> tuple[float, str]:
    """(divisor, unit key) that shows these durations readably: minutes under two hours, else hours."""
    longest = max([s for s in seconds if s is not None] or [0])
    return (60.0, "minutes") if longest < 7200 else (3600.0, "hours")
