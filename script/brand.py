"""Generate the OS1 brand images in ``custom_components/os1/brand``.

The mark is a lemniscate of Bernoulli ringed by two wider Cassini ovals
from the same family of curves, so the infinity loop seems to ripple
outwards like a voice filling a room.  Everything is drawn at four times
the final size and downscaled with a Lanczos filter for smooth edges.

Usage, from the repository root::

    .venv/bin/python script/brand.py [--out DIR] [--font PATH]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "custom_components" / "os1" / "brand"

SUPERSAMPLE = 4
ICON_SIZE = 256
LOGO_HEIGHT = 128
WORDMARK = "OS1"

FONT_FILE = "DejaVuSans.ttf"
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path.home() / ".fonts",
    Path("/Library/Fonts"),
    Path.home() / "Library" / "Fonts",
)

# Curves of the mark, innermost first: Cassini parameter b (foci at -1 and
# +1, so b == 1 is the lemniscate), stroke width as a fraction of the
# lemniscate's half-width, and opacity.
CURVES = ((1.0, 0.19, 1.0), (1.5, 0.10, 0.68), (2.0, 0.07, 0.4))
# The lemniscate's stroke narrows to this fraction where it crosses itself.
WAIST = 0.72
# Samples per curve; dense enough that stamped discs leave no scallops.
SAMPLES = 6000

# Logo layout, as fractions of the logo height.
CAP_HEIGHT = 0.42
TRACKING = 0.06  # extra space between letters, in ems
GAP = 0.20
MARGIN = 0.01


@dataclass(frozen=True, slots=True)
class Theme:
    """Colours of one variant of the artwork.

    The mark runs from ``start`` on the left to ``end`` on the right; the
    ripples' opacities are multiplied by ``ripple`` (capped at opaque).
    """

    prefix: str
    start: str
    end: str
    text: str
    ripple: float


LIGHT = Theme(prefix="", start="#E9473B", end="#FF9659", text="#3B2623", ripple=1.1)
DARK = Theme(
    prefix="dark_", start="#FF6A55", end="#FFB27E", text="#FBEAE4", ripple=1.35
)


@dataclass(frozen=True, slots=True)
class Stroke:
    """One curve of the mark, in lemniscate units, with its opacity."""

    points: list[tuple[float, float]]
    widths: list[float]
    opacity: float


def cassini(b: float) -> Iterator[tuple[float, float]]:
    """Yield points on the Cassini oval ``|z - 1| * |z + 1| = b**2``.

    ``b == 1`` gives the lemniscate of Bernoulli, traced as one figure
    eight; larger values give single ovals that grow rounder with ``b``.
    """
    for i in range(SAMPLES):
        t = 2 * math.pi * i / SAMPLES
        if b == 1:
            s = 1 + math.sin(t) ** 2
            yield (
                math.sqrt(2) * math.cos(t) / s,
                math.sqrt(2) * math.sin(t) * math.cos(t) / s,
            )
        else:
            r = math.sqrt(math.cos(2 * t) + math.sqrt(b**4 - math.sin(2 * t) ** 2))
            yield (r * math.cos(t), r * math.sin(t))


@cache
def mark_strokes() -> tuple[Stroke, ...]:
    """Return the curves of the mark with their per-point stroke widths."""
    half = math.sqrt(2)
    strokes: list[Stroke] = []
    for b, width, opacity in CURVES:
        points = list(cassini(b))
        if b == 1:
            # Narrow the figure eight towards its crossing for a softer line.
            widths = [
                width * half * (WAIST + (1 - WAIST) * (abs(x) / half) ** 1.5)
                for x, _ in points
            ]
        else:
            widths = [width * half] * len(points)
        strokes.append(Stroke(points, widths, opacity))
    return tuple(strokes)


def extent(strokes: tuple[Stroke, ...]) -> tuple[float, float]:
    """Return the half-width and half-height of the mark, strokes included."""
    xs = [
        abs(x) + w / 2
        for s in strokes
        for (x, _), w in zip(s.points, s.widths, strict=True)
    ]
    ys = [
        abs(y) + w / 2
        for s in strokes
        for (_, y), w in zip(s.points, s.widths, strict=True)
    ]
    return max(xs), max(ys)


def gradient(size: tuple[int, int], start: str, end: str) -> Image.Image:
    """Return a left-to-right colour gradient of the given size."""
    ramp = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    return Image.composite(
        Image.new("RGB", size, end), Image.new("RGB", size, start), ramp
    )


def draw_mark(theme: Theme, scale: float) -> Image.Image:
    """Draw the mark with ``scale`` pixels per lemniscate unit, tightly cropped."""
    strokes = mark_strokes()
    half_w, half_h = extent(strokes)
    size = (math.ceil(2 * half_w * scale), math.ceil(2 * half_h * scale))
    cx, cy = size[0] / 2, size[1] / 2
    alpha = Image.new("L", size, 0)
    for stroke in strokes:
        layer = Image.new("L", size, 0)
        pen = ImageDraw.Draw(layer)
        for (x, y), width in zip(stroke.points, stroke.widths, strict=True):
            r = width * scale / 2
            px, py = cx + x * scale, cy + y * scale
            pen.ellipse((px - r, py - r, px + r, py + r), fill=255)
        opacity = min(1.0, stroke.opacity * theme.ripple)
        alpha = ImageChops.lighter(
            alpha, layer.point(lambda v, o=opacity: round(v * o))
        )
    mark = gradient(size, theme.start, theme.end)
    mark.putalpha(alpha)
    return mark


def find_font(explicit: Path | None) -> Path:
    """Return the wordmark font, or exit with a clear message if it is missing."""
    if explicit is not None:
        if explicit.is_file():
            return explicit
        raise SystemExit(f"brand.py: font file not found: {explicit}")
    for folder in FONT_DIRS:
        if folder.is_dir():
            for path in sorted(folder.rglob(FONT_FILE)):
                return path
    raise SystemExit(
        f"brand.py: could not find {FONT_FILE} in {', '.join(map(str, FONT_DIRS))}; "
        "install DejaVu Sans (e.g. the fonts-dejavu-core package) or pass --font PATH"
    )


def draw_wordmark(theme: Theme, font_path: Path, cap_height: int) -> Image.Image:
    """Draw the letter-spaced wordmark with capitals ``cap_height`` tall, cropped to its ink."""
    probe = ImageFont.truetype(str(font_path), 1000)
    _, top, _, bottom = probe.getbbox("H")
    font = ImageFont.truetype(str(font_path), round(1000 * cap_height / (bottom - top)))
    tracking = font.size * TRACKING
    size = (round(font.size * (len(WORDMARK) + 1)), round(font.size * 2))
    layer = Image.new("L", size, 0)
    pen = ImageDraw.Draw(layer)
    for i, char in enumerate(WORDMARK):
        x = font.size / 2 + font.getlength(WORDMARK[:i]) + i * tracking
        pen.text((x, font.size / 2), char, font=font, fill=255)
    layer = layer.crop(layer.getbbox())
    text = Image.new("RGBA", layer.size, theme.text)
    text.putalpha(layer)
    return text


def render_icon(theme: Theme, size: int) -> Image.Image:
    """Render the square icon at ``size`` pixels."""
    big = size * SUPERSAMPLE
    half_w, _ = extent(mark_strokes())
    inner = big * (1 - 2 * MARGIN)
    mark = draw_mark(theme, inner / (2 * half_w))
    canvas = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    canvas.alpha_composite(mark, ((big - mark.width) // 2, (big - mark.height) // 2))
    return canvas.resize((size, size), Image.Resampling.LANCZOS)


def render_logo(theme: Theme, height: int, font_path: Path) -> Image.Image:
    """Render the landscape logo, mark then wordmark, ``height`` pixels tall."""
    big_h = height * SUPERSAMPLE
    margin = round(big_h * MARGIN)
    _, half_h = extent(mark_strokes())
    mark = draw_mark(theme, (big_h - 2 * margin) / (2 * half_h))

    text = draw_wordmark(theme, font_path, round(big_h * CAP_HEIGHT))
    gap = round(big_h * GAP)
    width = margin + mark.width + gap + text.width + margin
    width = math.ceil(width / SUPERSAMPLE) * SUPERSAMPLE
    canvas = Image.new("RGBA", (width, big_h), (0, 0, 0, 0))
    canvas.alpha_composite(mark, (margin, (big_h - mark.height) // 2))
    canvas.alpha_composite(
        text, (margin + mark.width + gap, (big_h - text.height) // 2)
    )
    return canvas.resize((width // SUPERSAMPLE, height), Image.Resampling.LANCZOS)


def main() -> None:
    """Write every brand image."""
    parser = argparse.ArgumentParser(description="Generate the OS1 brand images.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--font", type=Path, help=f"wordmark font (default: {FONT_FILE})"
    )
    args = parser.parse_args()

    font_path = find_font(args.font)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for theme in (LIGHT, DARK):
        for scale, suffix in ((1, ""), (2, "@2x")):
            images = {
                "icon": render_icon(theme, ICON_SIZE * scale),
                "logo": render_logo(theme, LOGO_HEIGHT * scale, font_path),
            }
            for kind, image in images.items():
                path = out / f"{theme.prefix}{kind}{suffix}.png"
                image.save(path, optimize=True)
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                print(f"{shown}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()
