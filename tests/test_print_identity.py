"""The print edition's identity and pictures: logo, issue number and month in the masthead; every item's
picture printed with its caption and credit at a size that holds in a column."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageChops

from bulletin.cli import main

from .conftest import ISSUE, edit, line_of

NNBSP, NBSP = "\u202f", "\u00a0"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdfimages") is None, reason="poppler-utils is not installed"
)


def _build(content: Path, base: Path, month: str = "2017-11") -> Path:
    assert (
        main(
            [
                "pdf",
                month,
                "--content",
                str(content),
                "--site-dir",
                str(base / "site"),
                "--cache-dir",
                str(base / "cache"),
            ]
        )
        == 0
    )
    return base / f"site/bulletins/{month}/bulletin-sr-{month}.pdf"


def _white_pixels(image: Image.Image) -> int:
    red, green, blue = image.split()
    return sum(ImageChops.darker(ImageChops.darker(red, green), blue).histogram()[231:])


def _text(pdf: Path) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    return re.sub(r"\s+", " ", text.replace(NNBSP, " ").replace(NBSP, " "))


@needs_poppler
def test_masthead_carries_logo_number_and_month(content, tmp_path):
    edit(content / ISSUE, "# numero: 12 ", "numero: 12 ")
    pdf = _build(content, tmp_path)
    assert "N° 12 · Novembre 2017" in _text(pdf)
    # The logo (a blue square with white letters) sits at the band's right, where the band is otherwise plain.
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")], check=True)
    page = Image.open(next(tmp_path.glob("p-*1.png"))).convert("RGB")
    mm = 50 / 25.4
    corner = page.crop((round(165 * mm), round(15 * mm), round(190 * mm), round(35 * mm)))
    whites = _white_pixels(corner)
    assert whites > 0.05 * corner.size[0] * corner.size[1]
    # Without a logo setting, the same corner is plain band.
    edit(content / "reglages.yaml", 'logo:\n  fichier: identite/logo.svg\n  texte_alternatif: "Bulletin S&R"\n', "")
    pdf = _build(content, tmp_path / "bare")
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "q")], check=True)
    bare = (
        Image.open(next(tmp_path.glob("q-*1.png")))
        .convert("RGB")
        .crop((round(165 * mm), round(15 * mm), round(190 * mm), round(35 * mm)))
    )
    assert _white_pixels(bare) == 0


def test_without_number_the_masthead_shows_the_month_only(content, tmp_path):
    text = _text(_build(content, tmp_path))
    assert "Novembre 2017" in text and "N° " not in text


def test_logo_is_embedded_in_the_document_for_the_sandboxed_engine(content):
    from bulletin.figures import compute_issue
    from bulletin.render import make_environment, render_print
    from bulletin.validate import load_edition

    from .conftest import ROOT

    edition = load_edition(content)
    env = make_environment(ROOT / "templates", edition)
    html = render_print(env, edition, compute_issue(edition.register, edition.issues[0]))
    assert re.search(
        r'<img class="logo" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Bulletin S&amp;R">', html
    )


def test_logo_outside_content_missing_or_unreadable_is_an_error(content, cli, tmp_path):
    settings = content / "reglages.yaml"
    line = line_of(settings, "fichier: identite/logo.svg")
    (tmp_path / "ailleurs.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    edit(settings, "fichier: identite/logo.svg", "fichier: ../ailleurs.svg")
    result = cli("check", "--content", str(content))
    assert result.code != 0
    assert (
        f"reglages.yaml:{line} — « fichier » : le logo « ../ailleurs.svg » est hors du dossier content/ (chemin "
        "absolu, « .. » ou lien symbolique qui mène ailleurs) : la publication ne lit rien ailleurs."
    ) in result.err
    edit(settings, "fichier: ../ailleurs.svg", "fichier: identite/logo.png")
    result = cli("check", "--content", str(content))
    assert f"reglages.yaml:{line} — « fichier » : le fichier « identite/logo.png » est introuvable." in result.err
    (content / "identite/logo.png").write_bytes(b"pas une image")
    result = cli("check", "--content", str(content))
    assert (
        f"reglages.yaml:{line} — « fichier » : le logo « identite/logo.png » ne peut pas être lu : un logo est un "
        "fichier SVG, PNG ou JPEG."
    ) in result.err


PICTURES = [  # (item anchor line, indentation of its fields, file, size in pixels, caption, credit)
    (
        "  - id: reunion-banque-mondiale\n",
        "    ",
        "banque-mondiale.jpg",
        (1600, 1000),
        "Consultation avec le Groupe de la Banque mondiale à Bamako",
        "© Essai/Photographe Un",
    ),
    (
        "    - id: qip-couture-kidal\n",
        "      ",
        "couture-kidal.png",
        (900, 1350),
        "Remise des machines à coudre à Kidal",
        "© Essai/Photographe Deux",
    ),
    (
        "    - id: contribution-suede\n",
        "      ",
        "accord-suede.jpg",
        (1200, 800),
        "Signature du nouvel accord avec la Suède",
        "© Essai/Photographe Trois",
    ),
]


@needs_poppler
def test_every_picture_prints_with_caption_and_credit_and_holds_in_a_column(content, tmp_path):
    folder = content / "bulletins/2017-11"
    for n, (anchor, indent, name, size, caption, credit) in enumerate(PICTURES):
        # A generated test image: a gradient, so that no two are alike and the encoder keeps them apart.
        image = Image.linear_gradient("L").resize(size).convert("RGB")
        image.paste((40 * n, 90, 140), (0, 0, size[0] // 3, size[1]))
        image.save(folder / name)
        block = (
            f'{indent}photo:\n{indent}  fichier: {name}\n{indent}  texte_alternatif: "Image d\'essai {n + 1}"\n'
            f'{indent}  legende: "{caption}"\n{indent}  credit: "{credit}"\n'
        )
        edit(content / ISSUE, anchor, anchor + block)
    pdf = _build(content, tmp_path)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    images = [r for r in rows if r[2] == "image"]
    text = _text(pdf)
    for anchor, indent, name, (width, height), caption, credit in PICTURES:
        found = [r for r in images if (int(r[3]), int(r[4])) == (width, height)]
        assert found, f"{name} ({width} × {height}) is not in the PDF:\n{listing}"
        assert caption in text and credit in text, name
        # Printed size from its resolution: at most a column's width (85 mm) and 75 mm high.
        x_ppi, y_ppi = float(found[0][12]), float(found[0][13])
        assert width / x_ppi * 25.4 <= 86 and height / y_ppi * 25.4 <= 76, (name, found[0])
    # The pages stay filled with the pictures in the flow.
    from .test_print_layout import _assert_filled, blank_shares

    _assert_filled(blank_shares(pdf, tmp_path / "png"))


MAP = (
    'carte:\n  fichier: carte-regions.png\n  texte_alternatif: "Carte d\'essai des régions du Mali"\n'
    '  legende: "Régions du Mali et projets de la section"\n  credit: "© Essai/Cartographe"\n'
)


def _add_map(content: Path, size: tuple[int, int] = (1400, 1000)) -> None:
    """A generated test map (no real map is invented): a gradient with a few coloured areas."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    for n in range(4):
        image.paste((200, 60 + 40 * n, 40), (n * size[0] // 5, n * size[1] // 6, (n + 1) * size[0] // 5, size[1] // 2))
    image.save(content / "bulletins/2017-11/carte-regions.png")
    edit(content / ISSUE, "\nfaits_saillants:\n", "\n" + MAP + "\nfaits_saillants:\n")


@needs_poppler
def test_the_optional_region_map_prints_with_the_overview_caption_and_credit(content, tmp_path):
    _add_map(content)
    pdf = _build(content, tmp_path)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    found = [r for r in rows if r[2] == "image" and r[3:5] == ["1400", "1000"]]
    assert found, f"the map is not in the PDF:\n{listing}"
    assert "Régions du Mali et projets de la section © Essai/Cartographe" in _text(pdf)
    # Printed on the overview's page, within the text width (182 mm) and 95 mm high.
    pages = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
    overview = next(n for n, text in enumerate(pages, start=1) if "Aperçu global" in text)
    assert int(found[0][0]) == overview
    x_ppi, y_ppi = float(found[0][12]), float(found[0][13])
    assert 1400 / x_ppi * 25.4 <= 182 and 1000 / y_ppi * 25.4 <= 95.5, found[0]
    from .test_print_layout import _assert_filled, blank_shares

    _assert_filled(blank_shares(pdf, tmp_path / "png"))


def test_without_a_map_the_issue_prints_none(content):
    """November as shipped has no map: none is invented (its only image is the logo)."""
    assert "carte" not in (content / ISSUE).read_text(encoding="utf-8").split("\nfaits_saillants:")[0]


def test_a_map_without_its_caption_is_a_located_error(content, cli):
    _add_map(content)
    edit(content / ISSUE, '  legende: "Régions du Mali et projets de la section"\n', "")
    run = cli("check", "--content", str(content))
    assert run.code == 1
    where = f"bulletins/2017-11/bulletin.yaml:{line_of(content / ISSUE, 'fichier: carte-regions.png')}"
    assert f"{where} — « legende » : champ obligatoire absent ; attendu un texte." in run.err


def test_the_web_issue_page_shows_the_map_beside_it(content, cli, tmp_path):
    _add_map(content)
    site = tmp_path / "site"
    assert cli("--sans-pdf", "--content", str(content), "--site-dir", str(site)).code == 0
    page = (site / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert 'alt="Carte d\'essai des régions du Mali"' in page.replace("&#39;", "'")
    assert (site / "bulletins/2017-11/carte-regions-480.webp").is_file()
    assert not (site / "bulletins/2017-11/carte-regions.png").exists()  # the original: never published


@pytest.mark.parametrize(
    "inserted, what",
    [
        ("<script>alert(1)</script>", "un script (<script>)"),
        ('<rect width="1" height="1" onclick="alert(1)"/>', "un attribut « onclick » qui lance un script"),
        ('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>', "un lien ou une image extérieure"),
        ('<image href="file:///etc/passwd" width="1" height="1"/>', "un lien ou une image extérieure"),
        ("<foreignObject><p>x</p></foreignObject>", "du HTML (<foreignObject>)"),
        ("<style>rect { fill: url(https://tracker.example/x) }</style>", "un style qui va chercher un fichier"),
        ('<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>', "une animation (<set>)"),
        ('<rect width="1" height="1" fill="url(https://tracker.example/x)"/>', "un style qui va chercher un fichier"),
        ('<g xml:base="https://elsewhere.example/"><rect width="1" height="1"/></g>', "un attribut « xml:base »"),
        ('<rect width="1" height="1" style="fill: \\75 rl(https://t.example/x)"/>', "un style qui va chercher"),
        # Copies of copies: eleven levels of ten <use> each draw 10¹¹ shapes; the PDF never ended.
        (
            '<g id="l0"><rect width="1" height="1"/></g>'
            + "".join(f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 12)),
            "un élément <use> qui en recopie un autre",
        ),
    ],
    ids=["script", "handler", "javascript", "file", "foreign", "style", "set", "fill", "base", "escape", "use"],
)
def test_a_logo_that_would_run_or_fetch_something_is_refused(content, cli, tmp_path, inserted, what):
    """The logo is published as its file, on the site's own address: an SVG with a script ran for whoever
    opened it (no Content Security Policy on a copy read from disk); check accepted it."""
    logo = content / "identite/logo.svg"
    logo.write_text(logo.read_text(encoding="utf-8").replace("</svg>", inserted + "</svg>"), encoding="utf-8")
    line = line_of(content / "reglages.yaml", "fichier: identite/logo.svg")
    site = tmp_path / "site"
    result = cli("--sans-pdf", "--content", str(content), "--site-dir", str(site))
    assert result.code == 1
    assert f"reglages.yaml:{line} — « fichier » : le logo « identite/logo.svg » contient {what}" in result.err
    assert not site.exists()


def test_a_plain_logo_with_gradients_links_inside_and_a_doctype_is_accepted(content, cli):
    """What drawing programs write: a DOCTYPE, gradients used by url(#id), <use href="#id">, a PNG inside."""
    (content / "identite/logo.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n'
        '  <!ENTITY ns_ai "http://ns.adobe.com/AdobeIllustrator/10.0/">\n'
        '  <!ENTITY ns_extend "http://ns.adobe.com/Extensibility/1.0/">\n]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:x="&ns_extend;" viewBox="0 0 10 10" '
        'inkscape:export-filename="C:\\Users\\bureau\\logo.png">'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#005a8c"/></linearGradient>'
        '<rect id="r" width="10" height="10"/></defs><use xlink:href="#r" style="fill: url(#g)"/>'
        '<rect width="1" height="1" fill="url(#g)"/>'
        '<image width="1" height="1" href="DATA:image/png;base64,iVBORw0KGgo="/></svg>',
        encoding="utf-8",
    )
    result = cli("check", "--content", str(content))
    assert result.code == 0 and "le logo" not in result.err, result.err


def test_a_logo_whose_entities_name_each_other_is_refused_before_it_is_read(content, cli):
    """The XML form of an alias bomb: entities that repeat one another (a billion « lol » in 1 kB)."""
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi")
    )
    (content / "identite/logo.svg").write_text(
        f'<?xml version="1.0"?><!DOCTYPE svg [{entities}]><svg xmlns="http://www.w3.org/2000/svg">&i;</svg>',
        encoding="utf-8",
    )
    result = cli("check", "--content", str(content))
    assert result.code == 1
    assert "contient une déclaration <!ENTITY> qui renvoie à une autre ou à un fichier" in result.err
