"""Pictures: alternative text, caption and credit are required; the web page and the PDF both show them."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from .conftest import ISSUE, edit, line_of

PHOTO = """      photo:
        fichier: couture-kidal.jpg
        texte_alternatif: "Des femmes de Kidal devant des machines à coudre"
        legende: "Remise de 40 machines à coudre à Kidal"
        credit: "© MINUSMA/Harandane Dicko"
"""
ANCHOR = "    - id: qip-poules-bara\n"


def add_photo(content: Path, block: str = PHOTO, size=(1200, 800)) -> Path:
    picture = content / "bulletins/2017-11/couture-kidal.jpg"
    Image.new("RGB", size, (30, 90, 140)).save(picture, "JPEG", quality=85)
    edit(content / ISSUE, ANCHOR, block + ANCHOR)
    return picture


def test_photo_on_web_page_and_in_pdf(content, tmp_path, cli):
    add_photo(content)
    site = tmp_path / "site"
    result = cli("--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "cache"))
    assert result.code == 0, result.err
    page = (site / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    # Web-sized variants: WebP with a JPEG fallback, several widths, lazy loading, the box size reserved.
    assert (
        '<source type="image/webp" srcset="couture-kidal-480.webp 480w, couture-kidal-960.webp 960w, '
        'couture-kidal-1200.webp 1200w"'
    ) in page
    assert '<img src="couture-kidal-960.jpg" srcset="couture-kidal-480.jpg 480w, couture-kidal-960.jpg 960w, ' in page
    assert 'alt="Des femmes de Kidal devant des machines à coudre"' in page
    assert 'loading="lazy"' in page and 'width="1200" height="800"' in page
    assert "©\u00a0MINUSMA/Harandane Dicko" in page  # tied to the name, never alone at a line end
    # The project's box follows the item's text, the picture comes after it: put after the picture, the
    # box could head the next column of the print, where it read as the next item's.
    item = page[page.index('id="qip-couture-kidal"') : page.index('id="qip-poules-bara"')]
    assert 0 < item.index('class="sr-project"') < item.index('<figure class="sr-photo')
    for name, size, fmt in [
        ("couture-kidal-480.webp", (480, 320), "WEBP"),
        ("couture-kidal-960.jpg", (960, 640), "JPEG"),
    ]:
        with Image.open(site / "bulletins/2017-11" / name) as variant:
            assert (variant.size, variant.format) == (size, fmt)
    assert (site / "bulletins/2017-11/couture-kidal-480.webp").stat().st_size < (
        content / "bulletins/2017-11/couture-kidal.jpg"
    ).stat().st_size
    reader = pypdf.PdfReader(site / "bulletins/2017-11/bulletin-sr-2017-11.pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Remise de 40 machines à coudre à Kidal" in text and "© MINUSMA/Harandane Dicko" in text
    assert any("/XObject" in p["/Resources"] for p in reader.pages)  # the picture is embedded


def test_photo_without_credit_or_alt_is_an_error(content, cli):
    add_photo(
        content,
        PHOTO.replace('        credit: "© MINUSMA/Harandane Dicko"\n', "").replace(
            '        texte_alternatif: "Des femmes de Kidal devant des machines à coudre"\n', ""
        ),
    )
    result = cli("check", "--content", str(content))
    assert result.code == 1
    line = line_of(content / ISSUE, "      photo:")
    assert f"bulletin.yaml:{line + 1} — « texte_alternatif » : champ obligatoire absent" in result.err
    assert f"bulletin.yaml:{line + 1} — « credit » : champ obligatoire absent" in result.err
    assert "Traceback" not in result.err


def test_missing_and_unreadable_photos_are_errors(content, cli):
    picture = add_photo(content)
    picture.write_bytes(b"ceci n'est pas une image")
    result = cli("check", "--content", str(content))
    line = line_of(content / ISSUE, "fichier: couture-kidal.jpg")
    assert result.code == 1
    assert f"bulletin.yaml:{line} — « fichier » : la photo « couture-kidal.jpg » ne peut pas être lue" in result.err
    picture.unlink()
    result = cli("check", "--content", str(content))
    assert f"bulletin.yaml:{line} — « fichier » : le fichier « couture-kidal.jpg » est introuvable." in result.err


def test_enormous_photo_is_refused(content, cli):
    add_photo(content, size=(9000, 10))
    result = cli("check", "--content", str(content))
    assert result.code == 1
    assert "est trop grande (9000 × 10 pixels)" in result.err


def test_a_picture_of_more_pixels_than_pillow_opens_is_refused_in_french(content, cli, tmp_path):
    """20 000 × 10 000 pixels of one bit, a small file: Pillow refuses to open it (a decompression bomb)
    and check stopped on its English traceback; between 89 and 179 million pixels it printed an English
    warning. Both are now the photo's « trop grande » at its line, nothing else."""
    picture = content / "bulletins/2017-11/couture-kidal.jpg"
    edit(content / ISSUE, ANCHOR, PHOTO.replace("couture-kidal.jpg", "bombe.png") + ANCHOR)
    for size in ((20_000, 10_000), (12_000, 8_000)):
        Image.new("1", size).save(content / "bulletins/2017-11/bombe.png")
        with warnings.catch_warnings(record=True) as caught:  # what the author's terminal would show
            warnings.simplefilter("always")
            run = cli("check", "--content", str(content))
        assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
        line = line_of(content / ISSUE, "fichier: bombe.png")
        assert run.code == 1 and "Traceback" not in run.err, run.err
        assert f"bulletin.yaml:{line} — « fichier » : la photo « bombe.png » est trop grande" in run.err, run.err
    assert not picture.exists()


def test_a_picture_a_pixel_high_builds(content, cli, tmp_path):
    """2000 × 2 pixels: its narrowest web copy was 0 pixel high and the build crashed on it."""
    add_photo(content, size=(2000, 2))
    run = cli("--sans-pdf", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert run.code == 0 and "Traceback" not in run.err, run.err
    with Image.open(tmp_path / "site/bulletins/2017-11/couture-kidal-480.webp") as variant:
        assert variant.size == (480, 1)


@pytest.mark.parametrize("weasyprint_loaded", [False, True])
def test_a_photo_cut_short_is_refused_by_check_not_left_to_crash_the_build(
    content, tmp_path, cli, weasyprint_loaded, monkeypatch
):
    """The first 70 % of a JPEG, as an interrupted copy leaves it: its headers are whole, so check said
    « Contenu valide », and the build ended on « image file is truncated ». With WeasyPrint imported
    (the preview, a build with PDF) Pillow is told to accept truncated files: check must refuse all the same."""
    import random

    from PIL import ImageFile

    # What `import weasyprint` does to Pillow, whichever test imported it first in this process.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", weasyprint_loaded)

    picture = content / "bulletins/2017-11/couture-kidal.jpg"
    noise = random.Random(7)
    image = Image.new("RGB", (1200, 800))
    image.putdata([(noise.randrange(256), noise.randrange(256), noise.randrange(256)) for _ in range(1200 * 800)])
    image.save(picture, "JPEG", quality=90)
    edit(content / ISSUE, ANCHOR, PHOTO + ANCHOR)
    data = picture.read_bytes()
    picture.write_bytes(data[: len(data) * 7 // 10])
    for args in (["check"], ["--sans-pdf", "--site-dir", str(tmp_path / "site")]):
        run = cli(*args, "--content", str(content))
        assert run.code == 1 and "Traceback" not in run.err, run.err
        assert f"bulletin.yaml:{line_of(content / ISSUE, 'fichier: couture-kidal.jpg')} — " in run.err
        assert "couture-kidal.jpg" in run.err


def test_a_photo_named_with_spaces_a_hash_and_a_question_mark_is_found_by_the_browser(content, cli, tmp_path):
    """« Kidal été #1 ?.jpg » was written as it is into src and srcset: the browser read « #1 ?… » as an
    anchor and a query, and a space as the end of a srcset's address. The addresses are now encoded, and
    each leads to a file of the site."""
    from urllib.parse import unquote

    name = "Kidal été #1 ?.jpg"
    Image.new("RGB", (1200, 800), (30, 90, 140)).save(content / "bulletins/2017-11" / name, "JPEG", quality=85)
    edit(content / ISSUE, ANCHOR, PHOTO.replace("couture-kidal.jpg", f'"{name}"') + ANCHOR)
    site = tmp_path / "site"
    run = cli("--sans-pdf", "--content", str(content), "--site-dir", str(site))
    assert run.code == 0, run.err
    page = (site / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    picture = page[page.index("<picture>") : page.index("</picture>")]
    addresses = re.findall(r'src="([^"]+)"', picture) + [
        entry.split()[0] for srcset in re.findall(r'srcset="([^"]+)"', picture) for entry in srcset.split(", ")
    ]
    assert len(addresses) >= 5 and all(" " not in a and "#" not in a and "?" not in a for a in addresses), addresses
    assert all((site / "bulletins/2017-11" / unquote(a)).is_file() for a in addresses), addresses


def test_no_published_file_tells_where_a_photo_was_taken(content, cli, tmp_path):
    """A phone's photo carries in its EXIF where it was taken: in a conflict zone, where a handover took
    place and who was there. The original, which no page links, was published beside the page (found by
    an adversarial review); now only the web copies are, written without the camera's metadata."""
    picture = add_photo(content)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (16.0, 16.0, 30.0), 3: "W", 4: (0.0, 2.0, 45.0)}  # GPSInfo: Gao
    exif[0x010F] = "PhoneMaker"  # Make
    with Image.open(picture) as image:
        image.save(picture, "JPEG", quality=85, exif=exif)
    with Image.open(picture) as image:
        assert image.getexif().get_ifd(0x8825)  # the original does carry it
    site = tmp_path / "site"
    assert cli("--sans-pdf", "--content", str(content), "--site-dir", str(site)).code == 0
    folder = site / "bulletins/2017-11"
    assert not (folder / "couture-kidal.jpg").exists()
    published = [p for p in folder.iterdir() if p.name.startswith("couture-kidal") and p.suffix in (".jpg", ".webp")]
    assert len(published) >= 4
    for path in published:
        with Image.open(path) as image:
            assert not image.getexif().get_ifd(0x8825) and 0x010F not in image.getexif(), path
        assert b"PhoneMaker" not in path.read_bytes()
