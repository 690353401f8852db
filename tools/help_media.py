"""Generate the help center's illustrations and walkthrough videos from the shipped articles.

Every `media:` entry of every article in plugins/helpcenter/content names a file under
`/media/help/`. This script draws each image from the article itself: a phone frame, the
breadcrumb (category > article), the numbered steps with the step the image illustrates
highlighted, and the control that step asks the reader to tap (the text in 「」 or **bold**)
drawn as a highlighted button. Both languages share one URL, so the screen shows the Chinese
step and the caption strip carries both languages. A video is the article's steps shown one by
one (2 s each), encoded as H.264 MP4 with `ffmpeg`.

Run by a developer (needs Pillow, ffmpeg and the Noto CJK fonts: `apt-get install ffmpeg
fonts-noto-cjk`); the generated files are committed to plugins/helpcenter/media/, so neither a
deployment nor the tests need these tools:

    .venv/bin/python tools/help_media.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plugins.helpcenter.categories import CATEGORIES  # noqa: E402

CONTENT = ROOT / "plugins" / "helpcenter" / "content"
OUT = ROOT / "plugins" / "helpcenter" / "media"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
WIDTH, HEIGHT = 540, 960
ACCENT = (254, 44, 85)
INK = (22, 24, 35)
MUTED = (110, 114, 128)
PAPER = (255, 255, 255)
BACKDROP = (238, 240, 245)


@dataclass
class Article:
    """What one article contributes to its pictures."""

    topic: str
    category: str
    title: str
    steps: list[str]
    media: list[dict]
    #: image url -> index of the step it follows in the body (0-based)
    image_steps: dict[str, int]


def read_article(path: Path) -> Article:
    """Front matter plus the step each image illustrates (the numbered item it follows)."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    image_steps: dict[str, int] = {}
    step = 0
    for line in body.splitlines():
        numbered = re.match(r"\s*(\d+)\.\s", line)
        if numbered:
            step = int(numbered.group(1)) - 1
        for url in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", line):
            image_steps.setdefault(url, step)
    return Article(
        topic=meta["topic"],
        category=meta["category"],
        title=meta["title"],
        steps=list(meta.get("steps") or []),
        media=list(meta.get("media") or []),
        image_steps=image_steps,
    )


def control_of(step: str) -> str:
    """The control a step asks the reader to use: text in 「」, quotes or **bold**."""
    for pattern in (r"「([^」]+)」", r"\*\*([^*]+)\*\*", r'"([^"]+)"', r"“([^”]+)”"):
        found = re.search(pattern, step)
        if found:
            return found.group(1)
    return ""


def wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break `text` into lines no wider than `width` (per character, so CJK wraps too)."""
    lines, current = [], ""
    for char in text:
        if draw.textlength(current + char, font=font) > width and current:
            lines.append(current)
            current = char.lstrip() if char == " " else char
        else:
            current += char
    if current:
        lines.append(current)
    return lines


class Painter:
    """Draws one screen of an article."""

    def __init__(self) -> None:
        self.small = ImageFont.truetype(FONT, 18)
        self.body = ImageFont.truetype(FONT, 22)
        self.title = ImageFont.truetype(FONT_BOLD, 28)
        self.button = ImageFont.truetype(FONT_BOLD, 24)

    def screen(self, zh: Article, en: Article | None, step: int, caption: tuple[str, str]) -> Image.Image:
        """The phone screen for `step` of the article, with a bilingual caption strip."""
        image = Image.new("RGB", (WIDTH, HEIGHT), BACKDROP)
        draw = ImageDraw.Draw(image)
        # the phone
        draw.rounded_rectangle((20, 16, WIDTH - 20, HEIGHT - 120), radius=44, fill=INK)
        draw.rounded_rectangle((32, 28, WIDTH - 32, HEIGHT - 132), radius=34, fill=PAPER)
        draw.rounded_rectangle((WIDTH // 2 - 60, 36, WIDTH // 2 + 60, 56), radius=10, fill=INK)
        draw.text((52, 66), "9:41", font=self.small, fill=INK)
        # breadcrumb and title
        category = CATEGORIES.get(zh.category, (zh.category, zh.category))[1]
        draw.text((52, 104), f"帮助中心 › {category}", font=self.small, fill=MUTED)
        y = 136
        for line in wrap(draw, zh.title, self.title, WIDTH - 104)[:2]:
            draw.text((52, y), line, font=self.title, fill=INK)
            y += 40
        draw.line((52, y + 6, WIDTH - 52, y + 6), fill=BACKDROP, width=2)
        y += 24
        # the steps, the current one highlighted
        for index, text in enumerate(zh.steps):
            lines = wrap(draw, text, self.body, WIDTH - 150)[:3]
            block = 14 + 30 * len(lines)
            if y + block > HEIGHT - 290:
                break
            current = index == step
            if current:
                draw.rounded_rectangle((44, y - 6, WIDTH - 44, y + block), radius=14, fill=(255, 236, 240))
            draw.ellipse((54, y, 86, y + 32), fill=ACCENT if current else BACKDROP)
            number = str(index + 1)
            draw.text(
                (70 - draw.textlength(number, font=self.small) / 2, y + 4),
                number,
                font=self.small,
                fill=PAPER if current else MUTED,
            )
            for n, line in enumerate(lines):
                draw.text((100, y + 2 + 30 * n), line, font=self.body, fill=INK if current else MUTED)
            y += block + 14
        # the control this step asks for, ringed
        label = control_of(zh.steps[step]) if step < len(zh.steps) else ""
        if label:
            box_w = min(WIDTH - 120, int(draw.textlength(label, font=self.button)) + 64)
            left, top = (WIDTH - box_w) // 2, HEIGHT - 250
            draw.rounded_rectangle(
                (left - 8, top - 8, left + box_w + 8, top + 64), radius=34, outline=ACCENT, width=4
            )
            draw.rounded_rectangle((left, top, left + box_w, top + 56), radius=28, fill=ACCENT)
            draw.text(
                (WIDTH // 2 - draw.textlength(label, font=self.button) / 2, top + 12),
                label,
                font=self.button,
                fill=PAPER,
            )
        # caption strip: both languages
        y = HEIGHT - 108
        for text, font in ((caption[0], self.body), (caption[1], self.small)):
            for line in wrap(draw, text, font, WIDTH - 48)[:2]:
                draw.text((24, y), line, font=font, fill=INK)
                y += 28
        return image


def save_png(image: Image.Image, path: Path) -> None:
    """A small PNG: an adaptive 64-colour palette is plenty for flat illustrations."""
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def make_video(
    painter: Painter, zh: Article, en: Article | None, caption: tuple[str, str], path: Path
) -> None:
    """Each step for 2 seconds, H.264 in MP4 (yuv420p, faststart) so every browser plays it."""
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(len(zh.steps)):
            step_caption = (zh.steps[index], en.steps[index] if en and index < len(en.steps) else caption[1])
            painter.screen(zh, en, index, step_caption).save(Path(tmp) / f"frame{index:02d}.png")
        subprocess.run(
            [
                "ffmpeg",
                "-loglevel",
                "error",
                "-y",
                "-framerate",
                "1/2",
                "-i",
                f"{tmp}/frame%02d.png",
                "-vf",
                "scale=360:640,fps=12",
                "-c:v",
                "libx264",
                "-profile:v",
                "baseline",
                "-pix_fmt",
                "yuv420p",
                "-crf",
                "30",
                "-movflags",
                "+faststart",
                str(path),
            ],
            check=True,
        )


def main() -> None:
    """Write every media file the shipped articles name."""
    if shutil.which("ffmpeg") is None or not Path(FONT).exists():
        raise SystemExit("needs ffmpeg and fonts-noto-cjk (apt-get install ffmpeg fonts-noto-cjk)")
    OUT.mkdir(parents=True, exist_ok=True)
    english = {a.topic: a for a in map(read_article, sorted((CONTENT / "en").glob("*.md")))}
    painter = Painter()
    written = 0
    for path in sorted((CONTENT / "zh-CN").glob("*.md")):
        zh = read_article(path)
        en = english.get(zh.topic)
        en_captions = {m["url"]: m.get("caption", "") for m in (en.media if en else [])}
        for media in zh.media:
            name = media["url"].removeprefix("/media/help/")
            caption = (media.get("caption", ""), en_captions.get(media["url"], ""))
            if media["kind"] == "image":
                step = zh.image_steps.get(media["url"], 0)
                save_png(painter.screen(zh, en, step, caption), OUT / name)
            else:
                make_video(painter, zh, en, caption, OUT / name)
            written += 1
    print(f"wrote {written} files to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
