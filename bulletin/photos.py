"""Pictures of an issue: read with Pillow, checked before anything is written."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageFile, UnidentifiedImageError

from . import sandbox
from .errors import Problem, SourceRef
from .fields import Reader
from .load import RawMap, missing
from .messages import images as images_msg
from .models import Logo, Photo

# Beyond these, a file is a camera original or a scan that would weigh on every reader and on the PDF.
MAX_BYTES = 15_000_000
MAX_SIDE = 8000
PHOTO_KEYS = ("fichier", "texte_alternatif", "legende", "credit")
EXAMPLE = (
    'photo:\n      fichier: remise-kidal.jpg\n      texte_alternatif: "Des femmes reçoivent des machines '
    'à coudre"\n      legende: "Remise du matériel à Kidal"\n      credit: "© MINUSMA/Harandane Dicko"'
)
MAP_EXAMPLE = (
    'carte:\n  fichier: carte-regions.png\n  texte_alternatif: "Carte du Mali et de ses régions"\n'
    '  legende: "Les régions d\'intervention de la section S&R"\n  credit: "© MINUSMA/GIS"'
)


@dataclass(frozen=True, slots=True)
class _Size:
    width: int
    height: int


def read_photo(raw: RawMap, folder: Path, problems: list[Problem], example: str = EXAMPLE) -> Photo | None:
    """A picture with its alternative text, caption and credit; every missing piece is an error.

    The same four fields for an item's photo and for the issue's map (`example` shows the one asked for).
    """
    r = Reader(raw, problems, PHOTO_KEYS)
    name = r.text("fichier", example)
    alt = r.text("texte_alternatif", 'texte_alternatif: "Ce que montre la photo, pour qui ne la voit pas"')
    caption = r.text("legende", 'legende: "Remise du matériel à Kidal, le 1er novembre 2017"')
    credit = r.text("credit", 'credit: "© MINUSMA/Harandane Dicko"')
    if name is None:
        return None
    path = folder / name
    if not sandbox.inside(path, folder):
        problems.append(images_msg.photo_outside(r.ref("fichier"), name))
        return None
    size = _inspect(path, r.ref("fichier"), name, problems)
    if size is None or not (alt and caption and credit):
        return None
    return Photo(path, alt, caption, credit, size.width, size.height, raw.src)


def _inspect(path: Path, src: SourceRef, name: str, problems: list[Problem]) -> _Size | None:
    if not path.is_file():
        problems.append(missing(path, src, "fichier", name))
        return None
    if path.stat().st_size > MAX_BYTES:
        problems.append(images_msg.photo_too_big(src, name, f"{path.stat().st_size / 1e6:.0f} Mo"))
        return None
    try:
        with warnings.catch_warnings():  # Pillow's English warning above 89 Mpx: our own limit is MAX_SIDE
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                image.verify()
        if max(width, height) > MAX_SIDE:  # before decoding it whole
            problems.append(images_msg.photo_too_big(src, name, f"{width} × {height} pixels"))
            return None
        # verify() reads the headers only: a photo cut short by an interrupted copy passed, then the
        # build failed on it. Decoded whole here (a JPEG at an eighth of its size: all of its data, quickly).
        # WeasyPrint, once imported (the preview, a build with PDF), sets Pillow's global
        # LOAD_TRUNCATED_IMAGES, and a truncated photo then loads grey-bottomed without a word.
        lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            with Image.open(path) as image:
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    except Image.DecompressionBombError:  # over 179 Mpx, refused by Pillow as it opens: a tiny file may say so
        problems.append(images_msg.photo_too_big(src, name, f"plus de {MAX_SIDE} pixels de côté"))
        return None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        problems.append(images_msg.photo_unreadable(src, name, type(exc).__name__))
        return None
    return _Size(width, height)


# --- The publication's logo (reglages.yaml) ---------------------------------------

LOGO_EXAMPLE = 'logo:\n  fichier: identite/logo.svg\n  texte_alternatif: "Logo du Bulletin S&R"'
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg")


def read_logo(raw: RawMap, content: Path, problems: list[Problem]) -> Logo | None:
    """The logo: a file inside content/ (no absolute path, « .. » or link leading out), SVG, PNG or JPEG."""
    r = Reader(raw, problems, ("fichier", "texte_alternatif"))
    name = r.text("fichier", LOGO_EXAMPLE)
    alt = r.text("texte_alternatif", 'texte_alternatif: "Logo du Bulletin S&R"')
    if name is None:
        return None
    path = content / name
    if not sandbox.inside(path, content):
        problems.append(images_msg.logo_outside(r.ref("fichier"), name))
        return None
    if not path.is_file():
        problems.append(missing(path, r.ref("fichier"), "fichier", name))
        return None
    # Before it is parsed: an SVG's <!ENTITY> declarations are the XML form of a YAML alias bomb.
    danger = _svg_danger(path) if path.suffix.lower() == ".svg" else None
    if danger is not None:
        problems.append(images_msg.logo_unsafe(r.ref("fichier"), name, danger))
        return None
    if path.suffix.lower() not in LOGO_TYPES or not _logo_readable(path):
        problems.append(images_msg.logo_unreadable(r.ref("fichier"), name))
        return None
    if too_big := _raster_too_big(path):
        problems.append(images_msg.logo_too_big(r.ref("fichier"), name, too_big))
        return None
    return Logo(path, alt) if alt else None


# What an SVG may hold and still be a picture: no script, no event handler, no frame or foreign markup,
# no address but its own elements (#id) and embedded raster images.
_SVG_ACTIVE = {
    "script": "un script (<script>)",
    "foreignobject": "du HTML (<foreignObject>)",
    "iframe": "un cadre (<iframe>)",
    "embed": "un objet (<embed>)",
    "object": "un objet (<object>)",
    # An animation can set an attribute to anything: <set attributeName="href" to="javascript:…"/>.
    "animate": "une animation (<animate>)",
    "set": "une animation (<set>)",
    "animatemotion": "une animation (<animateMotion>)",
    "animatetransform": "une animation (<animateTransform>)",
    "animatecolor": "une animation (<animateColor>)",
    "handler": "un script (<handler>)",
    "listener": "un script (<listener>)",
}
_SVG_RASTER = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
_SVG_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)
# Illustrator's classic export declares its namespaces as entities: <!ENTITY ns_ai "http://…">. A value
# naming no other entity and no file expands once: harmless, unlike a chain of entities (an XML bomb).
_ENTITY = re.compile(r"<!ENTITY\s+(%\s*)?[\w.:-]+\s+(?:\"([^\"&%]*)\"|'([^'&%]*)')\s*>", re.IGNORECASE)


def _fetches(value: str, css: bool = False) -> bool:
    """Whether a style (css) or attribute value names something beyond the drawing itself (url(…), @import)."""
    if css and "\\" in value:  # a CSS escape (\75 rl(…)) hides what it names
        return True
    for found in _SVG_URL.finditer(value):
        target = (found.group(1) or "").lower()
        if found.group(0).lower() == "@import" or not target.startswith(("#", *_SVG_RASTER)):
            return True
    return False


def _svg_danger(path: Path) -> str | None:
    """What in an SVG would run or fetch something once published (None: a plain drawing)."""
    from xml.etree import ElementTree

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "un texte qui n'est pas en UTF-8 (il ne peut pas être vérifié)"
    declared = len(re.findall(r"<!ENTITY", text, re.IGNORECASE))
    if declared and (declared > 50 or declared != len(_ENTITY.findall(text))):
        return "une déclaration <!ENTITY> qui renvoie à une autre ou à un fichier"
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        return None  # not read as SVG: reported as unreadable
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1].lower()
        if tag in _SVG_ACTIVE:
            return _SVG_ACTIVE[tag]
        if tag == "style" and _fetches(element.text or "", css=True):
            return "un style qui va chercher un fichier (url(…) ou @import)"
        for key, value in element.attrib.items():
            attribute = key.rsplit("}", 1)[-1].lower()
            if attribute.startswith("on"):
                return f"un attribut « {attribute} » qui lance un script"
            if attribute == "base":  # xml:base changes what every address below it means
                return "un attribut « xml:base »"
            if attribute == "href" and not value.strip().lower().startswith(("#", *_SVG_RASTER)):
                return f"un lien ou une image extérieure (« {value.strip()[:60]} »)"
            if _fetches(value, css=attribute == "style"):  # style, fill, filter, mask, clip-path…
                return "un style qui va chercher un fichier (url(…) ou @import)"
    return _nested_use(root)


def _nested_use(root: Any) -> str | None:
    """A <use> that copies a <use> (or what holds one): ten copies of ten copies, eleven levels deep, is
    a few lines that draw 10¹¹ shapes, and the print engine never ended (found by an adversarial review).
    A logo copies plain shapes, if anything."""

    def name(element: Any) -> str:
        return str(element.tag).rsplit("}", 1)[-1].lower()

    ids = {value: element for element in root.iter() for key, value in element.attrib.items() if key.endswith("id")}
    for element in root.iter():
        if name(element) != "use":
            continue
        href = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "href"), "").strip()
        target = ids.get(href[1:]) if href.startswith("#") else None
        if target is not None and any(name(inner) == "use" for inner in target.iter()):
            return f"un élément <use> qui en recopie un autre (« {href[:60]} »)"
    return None


def _logo_readable(path: Path) -> bool:
    if path.suffix.lower() == ".svg":
        from xml.etree import ElementTree

        try:
            return ElementTree.parse(path).getroot().tag.rsplit("}", 1)[-1] == "svg"
        except ElementTree.ParseError:
            return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()
        return True
    except Image.DecompressionBombError:  # readable, but over 179 Mpx: refused for its size (read_logo)
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def _raster_too_big(path: Path) -> str | None:
    """How a PNG or JPEG logo is larger than any side a logo may have (None: it is not, or an SVG)."""
    if path.suffix.lower() == ".svg":
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        return "plus de 179 millions de pixels"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return f"{width} × {height} pixels" if max(width, height) > MAX_SIDE else None
