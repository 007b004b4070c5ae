"""Make the web edition's text font: Lato (the print edition's font) cut down to Latin and French.

The full Lato files weigh 660 KB each; a reader's phone needs only the glyphs of French text and of
the figures, among them U+202F, the narrow no-break space that groups amounts (« 45 101 404 »),
which the fallback fonts of many phones draw as nothing. The OFL reserves the name « Lato » for the
unmodified font: the subsets are renamed « Bulletin Texte » (their licence stays in LICENCE-Lato.txt).

Run from the repository:  .venv/bin/pip install -e ".[fonts]" && .venv/bin/python templates/web/assets/fonts/subset.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent.parent / "print/fonts"
FAMILY = "Bulletin Texte"
STYLES = {"Regular": "regular", "Bold": "bold"}  # no italic: see bulletin.css
# Basic Latin, Latin-1 (« », à…ÿ, °, ·), Œ œ Ÿ, modifier letters, the spaces and punctuation of French
# typography (thin and narrow no-break spaces, dashes, quotes, ellipsis, bullet), €, ™, minus, arrow.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+0178,U+02C6,U+02DA,U+02DC,U+2009,U+2013-2014,"
    "U+2018-201A,U+201C-201E,U+2022,U+2026,U+202F,U+2039-203A,U+20AC,U+2122,U+2192,U+2212"
)
# Kerning (5 KB a face) and tabular figures (the tables align amounts); no ligatures (2 KB a face).
FEATURES = ["kern", "tnum"]


def make(style: str, slug: str) -> Path:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.hinting = False  # browsers hint (or not) themselves; saves a third of the bytes
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
    font = TTFont(SOURCE / f"Lato-{style}.ttf", recalcTimestamp=False)  # same bytes on every run
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    names = font["name"]
    full = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            names.setName(full, 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 6):
            names.setName(full.replace(" ", "-"), record.nameID, record.platformID, record.platEncID, record.langID)
    target = HERE / f"bulletin-texte-{slug}.woff2"
    font.flavor = "woff2"
    font.save(target)
    return target


if __name__ == "__main__":
    for style, slug in STYLES.items():
        path = make(style, slug)
        print(f"{path.name}: {path.stat().st_size} octets")
