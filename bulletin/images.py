"""Web-sized variants of the issue's pictures, made with Pillow: a few widths, WebP with a JPEG fallback.

The PDF keeps the full-resolution original; readers on phones get the smallest file that fits.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from . import atomic

WIDTHS = (480, 960, 1600)
FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
QUALITY = 80


@dataclass(frozen=True, slots=True)
class Variant:
    name: str  # published beside the page, e.g. "couture-kidal-480.webp"
    width: int
    height: int
    mime: str


def plan_variants(name: str, width: int, height: int) -> tuple[Variant, ...]:
    """The variants a picture gets: every standard width below its own, and its own width when smaller."""
    stem = Path(name).stem
    widths = [w for w in WIDTHS if w < width] or [width]
    if width < WIDTHS[-1] and width not in widths:
        widths.append(width)
    return tuple(
        # At least a pixel high: a picture of 2000 × 2 made a variant 0 pixel high, and the build crashed.
        Variant(f"{stem}-{w}.{ext}", w, max(1, round(height * w / width)), mime)
        for ext, _, mime in FORMATS
        for w in widths
    )


def make_variants(source: Path, variants: tuple[Variant, ...], cache: Path) -> dict[str, Path]:
    """Write the variants once per picture content (cached by hash) and return name -> file."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    out = {}
    with Image.open(source) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")  # phones store rotation in EXIF
        for variant in variants:
            target = cache / f"{digest}-{variant.name}"
            if not target.exists():
                resized = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
                fmt = next(f for ext, f, mime in FORMATS if mime == variant.mime)
                encoded = io.BytesIO()
                resized.save(encoded, fmt, quality=QUALITY, optimize=True)
                atomic.write_bytes(target, encoded.getvalue())
            out[variant.name] = target
    return out
