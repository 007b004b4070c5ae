"""The issue PDF's flow, measured on the pages themselves: no page left half empty.

Every page is rasterised with poppler's `pdftoppm` (poppler-utils) at 50 dpi in grey levels, and only the
page's text area is looked at: the A4 sheet less the print margins of templates/print/print.css (18 mm top
and bottom, 20 mm on the binding side and 14 mm on the other; 20 mm both sides here, so that the running
heads and folios, which live in the margins, never count as content).

"Blank" is measured in each half of that area separately (the layout has two columns): a run of rows in
which no pixel is darker than light grey (< 235 of 255), when it is at least 6 mm tall, counts as white
space; shorter runs are the spaces between lines, paragraphs and items, which are part of a set page. The
page's blank share is the mean of its two halves' shares, so a column left empty beside a full one counts
for the area it leaves white in its half: a half-width fragment with its right half empty is caught as
well as a page that stops early. A page other than the last may be at most 35 % blank, the last at most 60 %.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import Image

from bulletin.cli import main

from .conftest import add_december, edit, translate

DPI = 50
MM = DPI / 25.4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = 18, 18, 20  # mm
MIN_GAP_MM = 6
INK = 235
MAX_BLANK, MAX_BLANK_LAST = 0.35, 0.60

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")


def blank_shares(pdf: Path, out: Path) -> list[float]:
    """The blank share of every page, in page order (see the module docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(out / "page")], check=True)
    pages = sorted(out.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [_blank_share(Image.open(p).convert("L")) for p in pages]


def _blank_share(page: Image.Image) -> float:
    width, height = page.size
    top, bottom = round(MARGIN_TOP * MM), height - round(MARGIN_BOTTOM * MM)
    left, right = round(MARGIN_SIDE * MM), width - round(MARGIN_SIDE * MM)
    middle = (left + right) // 2
    return sum(_blank_rows(page.crop(box)) for box in ((left, top, middle, bottom), (middle, top, right, bottom))) / 2


def _blank_rows(area: Image.Image) -> float:
    width, height = area.size
    pixels = area.load()
    inked = [any(pixels[x, y] < INK for x in range(width)) for y in range(height)]
    blank, run = 0, 0
    for row_inked in inked + [True]:
        if row_inked:
            if run >= MIN_GAP_MM * MM:
                blank += run
            run = 0
        else:
            run += 1
    return blank / height


def _build(content: Path, month: str, base: Path) -> Path:
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


def _assert_filled(shares: list[float]) -> None:
    report = ", ".join(f"p.{n} {s:.0%}" for n, s in enumerate(shares, start=1))
    for n, share in enumerate(shares[:-1], start=1):
        assert share <= MAX_BLANK, f"page {n} is {share:.0%} blank ({report})"
    assert shares[-1] <= MAX_BLANK_LAST, f"the last page is {shares[-1]:.0%} blank ({report})"


def test_no_page_of_the_november_issue_is_left_half_empty(content, tmp_path):
    _assert_filled(blank_shares(_build(content, "2017-11", tmp_path), tmp_path / "png"))


def test_no_page_of_the_english_november_issue_is_left_half_empty(content, tmp_path):
    """The English PDF (the same print template, English words, which run shorter or longer): the same rule."""
    _build(translate(content), "2017-11", tmp_path)
    pdf = tmp_path / "site/en/bulletins/2017-11/bulletin-sr-2017-11-en.pdf"
    _assert_filled(blank_shares(pdf, tmp_path / "png"))


def test_the_measure_sees_a_half_empty_page(tmp_path):
    """The measure itself: a page with text in its top half and nothing below is about half blank."""
    page = Image.new("L", (round(210 * MM), round(297 * MM)), 255)
    for y in range(round(20 * MM), round(150 * MM), 4):
        page.paste(0, (round(22 * MM), y, round(190 * MM), y + 2))
    assert 0.45 < _blank_share(page) < 0.55
    page.paste(0, (round(22 * MM), round(150 * MM), round(100 * MM), round(279 * MM)))
    assert 0.2 < _blank_share(page) < 0.3  # the right column empty below the middle: a quarter of the area


def _drop_items(issue: Path, *ids: str) -> None:
    """Remove whole items (from their `- id:` line to the next item or section) from an issue file."""
    import re

    text = issue.read_text(encoding="utf-8")
    for ident in ids:
        text, n = re.subn(rf"  - id: {ident}\n.*?(?=\n  - id: |\n[a-z_]+:)\n", "", text, flags=re.DOTALL)
        assert n == 1, ident
    issue.write_text(text, encoding="utf-8")


def test_no_page_of_a_shorter_december_issue_is_left_half_empty(content, tmp_path):
    """Another flow: December keeps three coordination items of seven and three PBF projects of five.

    Laid out like November, its last page would hold one PBF project and the thanks (75 % blank): the
    tighter setting (bulletin/pdf.py) takes it back to five full pages.
    """
    december = add_december(content)
    _drop_items(december / "bulletin.yaml", "faim-zero", "atelier-scap", "transition-unct", "pm-troika")
    edit(
        december / "bulletin.yaml",
        "projets: [PBF-2015-1, PBF-2015-2, PBF-2015-3, PBF-2015-4, PBF-2015-5]",
        "projets: [PBF-2015-1, PBF-2015-3, PBF-2015-5]",
    )
    pdf = _build(content, "2017-12", tmp_path)
    _assert_filled(blank_shares(pdf, tmp_path / "png"))


def test_a_december_with_four_coordination_items_fills_its_pages(content, tmp_path):
    """A third flow: four coordination items of seven and all five PBF projects, on six filled pages."""
    import pypdf

    december = add_december(content)
    _drop_items(december / "bulletin.yaml", "faim-zero", "atelier-scap", "transition-unct")
    pdf = _build(content, "2017-12", tmp_path)
    _assert_filled(blank_shares(pdf, tmp_path / "png"))
    assert len(pypdf.PdfReader(pdf).pages) == 6


HEADINGS = {
    "fr": (
        "Aperçu global depuis 2013 — Nombre de projets par région",
        "Coordination des bailleurs et partenariats",
        "Secteurs",
        "Projets à impact rapide (QIPs)",
        "Faits marquants du mois",
        "Fonds fiduciaire",
        "Projets récemment approuvés",
        "Nouvelles contributions",
        "Fonds pour la consolidation de la paix (PBF)",
    ),
    "en": (
        "Overall picture since 2013 — Number of projects by region",
        "Donor Coordination and Partnerships",
        "Sectors",
        "Quick Impact Projects (QIPs)",
        "Highlights of the month",
        "Trust Fund",
        "Recently approved projects",
        "New contributions",
        "Peacebuilding Fund (PBF)",
    ),
}


def _lines(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, top, page height, text) of every line of the PDF, from poppler's `pdftotext -bbox-layout`."""
    import re
    import xml.etree.ElementTree as ET

    raw = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", raw).replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    out = []
    for number, page in enumerate(root.iter("page"), start=1):
        for line in page.iter("line"):
            text = " ".join(w.text or "" for w in line.iter("word"))
            out.append((number, float(line.get("yMin")), float(page.get("height")), text))
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_heading_or_band_in_a_page_foot_without_three_lines_after_it(lang, content, tmp_path):
    """A section band or heading in the last quarter of a page's text area has at least three lines below
    it on that page (break-after: avoid, introductions kept whole). Lines are counted across the page's
    width, both columns, from poppler's text boxes. The English edition too: its words run longer, and its
    last page may be set looser to fill it (bulletin/pdf.py)."""
    _build(translate(content), "2017-11", tmp_path)
    suffix = "" if lang == "fr" else "en/"
    pdf = tmp_path / f"site/{suffix}bulletins/2017-11/bulletin-sr-2017-11{'' if lang == 'fr' else '-en'}.pdf"
    lines = _lines(pdf)
    points = 72 / 25.4
    seen = set()
    for page, top, height, text in lines:
        if text in HEADINGS[lang]:
            seen.add(text)
            area_top, area_bottom = MARGIN_TOP * points, height - MARGIN_BOTTOM * points
            if top > area_top + 0.75 * (area_bottom - area_top):
                after = [t for p, y, _, t in lines if p == page and top < y < area_bottom]
                assert len(after) >= 3, f"« {text} » at the foot of page {page} with {after} after it"
    assert seen == set(HEADINGS[lang])  # the measure found every heading it is about


def _guide_december(content: Path) -> tuple[Path, list[str]]:
    """December 2017 made with `nouveau` and filled with the guide's examples that fit it.

    What an officer does on the first working day of January: `nouveau`, then the guide's examples
    pasted into the new issue, dated December instead of November. An example `check` refuses in
    December (a highlight pointing at an item of November, a QIP event the register dates in November)
    is left out, as the officer would leave it out; what is kept is returned with the issue's folder.
    """
    import re
    from dataclasses import replace

    from . import test_guide as guide

    assert main(["nouveau", "2017-12", "--content", str(content)]) == 0
    december = content / "bulletins/2017-12"
    targets = {k: v.replace(guide.ISSUE_FOLDER, "bulletins/2017-12") for k, v in guide.TARGETS.items()}
    kept = []
    for block in guide.EXAMPLES:
        alias = block.marker.partition(".")[0]
        if alias in guide.PUBLISHED or not (alias == "bulletin" or block.marker.endswith(".md")):
            continue
        block = replace(block, body=re.sub(r"2017-11-(\d\d)", r"2017-12-\1", block.body))
        before = {p: p.read_bytes() for p in december.iterdir()}
        if block.lang == "markdown":
            (december / block.marker).write_text(block.body, encoding="utf-8")
        else:
            _paste(content / targets[alias], block.body)
            for name in guide.photo_files(yaml.safe_load(block.body)):
                if not (december / name).exists():
                    Image.new("RGB", (640, 480), (120, 150, 170)).save(december / name)
        if main(["check", "--content", str(content)]) != 0:
            for path in december.iterdir():
                if path not in before:
                    path.unlink()
            for path, data in before.items():
                path.write_bytes(data)
        else:
            kept.append(block.marker)
    return december, kept


def _paste(target: Path, body: str) -> None:
    """The example pasted as an author pastes it: mappings merged, items of the same id replaced, and a
    list of names (the PBF projects) replaced whole, not appended to itself."""
    from . import test_guide as guide

    def merge(old, new):
        if isinstance(new, list) and not any(isinstance(i, dict) for i in new):
            return new
        if isinstance(old, dict) and isinstance(new, dict):
            return {**old, **{k: merge(old[k], v) if k in old else v for k, v in new.items()}}
        return guide.merge(old, new)

    merged = merge(yaml.safe_load(target.read_text(encoding="utf-8")), yaml.safe_load(body))
    target.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def test_no_page_of_a_december_made_with_nouveau_from_the_guide_is_left_half_empty(content, tmp_path):
    """The issue's done-when: `nouveau`, the guide's examples, the PDF; a month without highlights
    and with one item per rubric, so a short cover and short sections: every page filled all the same."""
    _, kept = _guide_december(content)
    assert {
        "bulletin.coordination",
        "bulletin.fonds_fiduciaire.faits_marquants",
        "bulletin.fonds_fiduciaire.contributions",
        "qip.md",
    } <= set(kept), kept
    _assert_filled(blank_shares(_build(content, "2017-12", tmp_path), tmp_path / "png"))


LONG_WORD = "Zk" + "x" * 123  # 125 letters no dictionary knows: only a forced break can wrap it


def test_a_word_longer_than_a_line_stays_inside_the_page(cli, content, tmp_path):
    """A 125-letter word in an erratum's motif (an adversarial review's find: it ran off page 1), in a
    highlight, in a meeting's text and in the role's text: each breaks inside its box, and no word of the
    PDF reaches past the page's text area (the narrower side margin, 14 mm, with a point to spare)."""
    issue = content / "bulletins/2017-11/bulletin.yaml"
    assert cli("publier", "2017-11", "--le", "2017-12-05", "--content", str(content)).code == 0
    edit(
        issue,
        "mois: 2017-11\n",
        "mois: 2017-11\nrectificatifs:\n  - date: 2017-12-15\n"
        f"    motif: correction {LONG_WORD} du montant\n    chiffres: [qip.montant]\n",
    )
    # A highlight holds 160 characters at most (check): the long word with a few of its own.
    edit(issue, "Discussions de la CRZPC sur les interventions dans la région de Kidal\n", f"CRZPC {LONG_WORD}\n")
    edit(issue, "    texte: >-\n", f"    texte: >-\n      {LONG_WORD}\n")
    edit(content / "bulletins/2017-11/role.md", "efforts de reconstruction", f"efforts {LONG_WORD} de reconstruction")
    lines = _words(_build(content, "2017-11", tmp_path))
    points = 72 / 25.4
    pieces = [w for w in lines if "xxxxxxxx" in w[3]]
    assert len(pieces) >= 8  # each of the four long words is set over two lines or more
    for page, x_min, x_max, text, width in lines:
        assert 14 * points - 1 <= x_min and x_max <= width - 14 * points + 1, (page, text, x_min, x_max)


def _words(pdf: Path) -> list[tuple[int, float, float, str, float]]:
    """(page, left, right, text, page width) of every word of the PDF, from `pdftotext -bbox`."""
    import re
    import xml.etree.ElementTree as ET

    raw = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", raw).replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    return [
        (number, float(w.get("xMin")), float(w.get("xMax")), w.text or "", float(page.get("width")))
        for number, page in enumerate(root.iter("page"), start=1)
        for w in page.iter("word")
    ]


def test_no_paragraph_of_the_thank_you_box_ends_with_a_word_alone_on_its_line(content, tmp_path):
    """The centred thank-you box ended a line of partners with « sponsors. » alone: each paragraph's last
    two words are kept together (filters.tie_last_words)."""
    lines = [text for _, _, _, text in _lines(_build(content, "2017-11", tmp_path))]
    thanks = (content / "bulletins/2017-11/remerciements.md").read_text(encoding="utf-8")
    last_words = [paragraph.strip("* \n").split()[-1] for paragraph in thanks.split("\n\n") if paragraph.strip()]
    for word in last_words:
        ending = [line for line in lines if line.endswith(word.replace("!", "").strip() or word)]
        assert ending, f"no line ends with {word!r}"
        assert all(len(line.split()) >= 2 for line in ending), ending


def test_an_indented_paragraph_and_a_wide_table_stay_inside_the_page(cli, content, tmp_path):
    """A paragraph pasted with a four-space indent (Markdown reads it as code: one unbroken line) ran off
    the page, its end lost; a six-column table printed « 2017-11- » with the day off the page, a
    fourteen-column one lost half its columns. Both now stay inside the page, every word printed."""
    qip = content / "bulletins/2017-11/qip.md"
    columns = ["Projet", "Région", "Secteur", "Montant", "Approbation", "Remise prévue"]
    wide = [f"Colonne{i}" for i in range(14)]
    qip.write_text(
        qip.read_text(encoding="utf-8")
        + "\n\n    Le projet a été remis aux autorités locales en présence des bureaux régionaux de la MINUSMA"
        " et des représentants de la société civile, finfinale.\n\n"
        + " | ".join(columns)
        + "\n"
        + " | ".join(["---"] * 6)
        + "\n"
        + " | ".join(["Appui aux pépiniéristes de Gao", "Gao", "Environnement", "49 000", "2017-09-15", "2017-11-30"])
        + "\n\n"
        + " | ".join(wide)
        + "\n"
        + " | ".join(["---"] * 14)
        + "\n"
        + " | ".join(f"v{i}" for i in range(14))
        + "\n",
        encoding="utf-8",
    )
    words = _words(_build(content, "2017-11", tmp_path))
    points = 72 / 25.4
    for page, x_min, x_max, text, width in words:
        assert 14 * points - 1 <= x_min and x_max <= width - 14 * points + 1, (page, text, x_min, x_max)
    printed = [w[3] for w in words]
    assert "finfinale." in printed  # the indented paragraph's last word: nothing of it lost
    assert "v9" in printed and "v0" in printed  # the wide table's cells, each in its column


def test_the_highlights_share_the_height_of_the_key_figures_beside_them(content, tmp_path):
    """The cover's « Faits saillants » box is stretched to the key figures' height: its items stood at the
    top and left 45 % of it empty. They now share its height: the last one ends level with the figures."""
    lines = [line for line in _lines(_build(content, "2017-11", tmp_path)) if line[0] == 1]
    last_highlight = next(top for _, top, _, text in lines if text.startswith("• Nouveaux projets lancés"))
    figures_end = max(top for _, top, _, text in lines if text == "Au 30 novembre 2017")
    role = next(top for _, top, _, text in lines if text.startswith("Rôle de la Section"))
    assert last_highlight < role
    assert figures_end - last_highlight < 30, (last_highlight, figures_end)  # points: within two lines


def _highlights(issue: Path, count: int, length: int) -> None:
    text = yaml.safe_load(issue.read_text(encoding="utf-8"))
    words = "Réunion de coordination avec les partenaires techniques et financiers sur la stabilisation " * 4
    text["faits_saillants"] = [{"texte": words[:length].strip() + str(n)} for n in range(count)]
    issue.write_text(yaml.safe_dump(text, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("count, length", [(10, 89), (6, 149)])
def test_the_most_highlights_check_accepts_stand_apart_in_their_box(content, tmp_path, count, length):
    """Long highlights were drawn over one another (the box is as tall as the key figures beside it) and
    thousands of characters took the print engine minutes: check now bounds them (ten, 160 characters
    each, 900 in all). At those bounds every line of the box stands below the one before, above the
    section's role."""
    _highlights(content / "bulletins/2017-11/bulletin.yaml", count, length)
    lines = [line for line in _lines(_build(content, "2017-11", tmp_path)) if line[0] == 1]
    role = next(top for _, top, _, text in lines if text.startswith("Rôle de la Section"))
    box = [top for _, top, _, text in lines if text.startswith(("• Réunion", "techniques", "Réunion", "stabilisation"))]
    assert len(box) >= count * 2 and max(box) < role, (box, role)
    assert all(later - earlier >= 9 for earlier, later in zip(sorted(box), sorted(box)[1:])), sorted(box)


def test_check_refuses_highlights_the_front_page_cannot_hold(content, cli):
    issue = content / "bulletins/2017-11/bulletin.yaml"
    for count, length, said in (
        (11, 40, "11 faits saillants : la une en présente 10 au plus"),
        (2, 170, "celui-ci a 171 caractères (160 au plus)"),
        (8, 130, "les textes des faits saillants font ensemble 1\u202f048 caractères"),
    ):
        _highlights(issue, count, length)
        run = cli("check", "--content", str(content))
        assert run.code == 1 and said in run.err, (said, run.err)


def test_three_errata_leave_the_front_boxes_on_the_first_page(cli, content, tmp_path):
    """Three errata in the key figures' column made the front boxes taller than the page: the whole cover
    went to page 2, the first page left with the masthead alone (a review's find, with these very
    corrections). They run across the page under the boxes now, and may follow them onto page 2; the
    boxes and the first erratum stay on page 1."""
    issue = content / "bulletins/2017-11/bulletin.yaml"
    assert cli("publier", "2017-11", "--le", "2017-12-05", "--content", str(content)).code == 0
    register = content / "registre"
    edit(register / "projets/qip.yaml", "montant: 37804", "montant: 39804")
    edit(register / "contributions.yaml", "montant: 4100000", "montant: 4200000")
    edit(register / "projets/ff.yaml", "montant: 86000", "montant: 85731")
    corrections = [
        (
            "20",
            "le montant du projet d'appui aux pépiniéristes de Gao (QIP-2017-03) était de 39 804 dollars, "
            "et non de 37 804 dollars",
            "qip.montant, projets.QIP-2017-03.montant",
        ),
        (
            "22",
            "la contribution de la Suède s'élève à 4,2 millions de dollars, et non à 4,1 millions",
            "contributions.CONTRIB-2017-SUEDE.montant",
        ),
        (
            "23",
            "le coût exact du projet de la Cour constitutionnelle (FF-2017-07) est de 85 731 dollars",
            "ff.montant, projets.FF-2017-07.montant",
        ),
    ]
    errata = "".join(
        f"  - date: 2017-12-{day}\n    motif: {motif}\n    chiffres: [{names}]\n" for day, motif, names in corrections
    )
    edit(issue, "mois: 2017-11\n", f"mois: 2017-11\nrectificatifs:\n{errata}")
    assert cli("check", "--content", str(content)).code == 0
    lines = _lines(_build(content, "2017-11", tmp_path))
    first = {text for page, _, _, text in lines if page == 1}
    assert "Faits saillants" in first and "Chiffres clés" in first, sorted(first)
    assert any(text.startswith("Fonds fiduciaire") for text in first), sorted(first)
    assert any(text.startswith("Rectificatif du 20 décembre 2017") for text in first), sorted(first)
    later = [page for page, _, _, text in lines if text.startswith("Rectificatif du 23 décembre 2017")]
    assert later and later[0] <= 2
