"""Partner work plans: totals computed from the budget lines, declared figures checked, plan published."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from bulletin.charts import Bar, bar_chart
from bulletin.cli import main
from bulletin.plan_figures import compute_plan, plan_findings
from bulletin.typography import set_text
from bulletin.validate import load_edition

from .conftest import CONTENT, edit, line_of

PLAN = "plans/liptako-gourma-2024.yaml"
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(scope="module")
def seed():
    edition = load_edition(CONTENT)
    return compute_plan(next(p for p in edition.plans if p.slug == "liptako-gourma-2024"))


def test_seed_plan_totals_are_computed_from_lines(seed):
    assert [r.calcule for r in seed.resultats] == [
        Decimal(355333),
        Decimal(985256),
        Decimal(933048),
        Decimal(712306),
        Decimal(1699286),
    ]
    assert seed.total == Decimal(4685229)
    assert (seed.activites, seed.lignes) == (36, 58)
    assert seed.resultats[3].sans_montant == ("4.5",)
    assert round(seed.part_financee, 4) == Decimal("0.9174")  # 4 728 228 / 5 153 769
    assert round(sum(r.part for r in seed.resultats), 6) == 1
    by_account = {a.code: v for a, v in seed.par_compte}
    assert by_account["72200"] == Decimal(1059021) and by_account["GMS"] == Decimal(155660)
    assert sum(by_account.values()) == seed.total
    assert [(q.trimestre, q.activites, q.lignes) for q in seed.par_trimestre][0][0] == "T1"


def test_declared_figures_are_checked_with_a_rounding_tolerance(seed):
    verdicts = {(c.kind, c.numero): c.verdict for c in seed.controles}
    assert verdicts[("resultat", 4)] == "ecart"
    assert verdicts[("resultat", 5)] == "arrondi"  # 1 699 285,76 declared, 1 699 286 computed
    assert [verdicts[("resultat", n)] for n in (1, 2, 3)] == ["accord"] * 3
    assert verdicts[("financement", None)] == "accord"  # 4 728 228 + 425 541 = 5 153 769
    assert verdicts[("sous_totaux", None)] == "arrondi"
    gap = next(c for c in seed.controles if c.numero == 4)
    assert (gap.declare, gap.calcule, gap.ecart) == (Decimal(755306), Decimal(712306), Decimal(-43000))


def test_result_4_warning_names_file_line_values_and_gap(seed):
    messages = [str(p) for p in plan_findings(seed)]
    line = line_of(CONTENT / PLAN, "sous_total_declare: 755306")
    expected = (
        f"content/{PLAN}:{line} — « sous_total_declare » : résultat 4 : le document déclare "
        f"755{NNBSP}306 USD, les lignes totalisent 712{NNBSP}306 USD (écart : −43{NNBSP}000 USD).\n"
        "    → Ligne sans montant : activité 4.5. Complétez-la, ou corrigez le sous-total déclaré."
    )
    assert any(m.endswith(expected.split("content/", 1)[1]) for m in messages), messages
    no_amount = line_of(CONTENT / PLAN, '{responsable: PNUD, compte: "75700"}   # aucun montant')
    assert any(
        f"{PLAN}:{no_amount} — « montant » : la ligne de l'activité 4.5 n'a pas de montant" in m for m in messages
    )
    assert not any("résultat 5" in m for m in messages)  # rounding is accepted, not reported
    assert len(messages) == 3  # result 4, the grand total it drags, the line without amount


def test_build_prints_the_warning_and_strict_fails(cli, tmp_path):
    site = tmp_path / "site"
    result = cli("--content", str(CONTENT), "--site-dir", str(site), "--cache-dir", str(tmp_path / "cache"))
    assert result.code == 0
    line = line_of(CONTENT / PLAN, "sous_total_declare: 755306")
    assert f"liptako-gourma-2024.yaml:{line} — « sous_total_declare » : résultat 4" in result.err
    # The plan's three, the seed QIP over its ceiling, the seed prose's seven typography suggestions and the
    # seed register's ten (names and texts the pages print: tests/test_typography_pages.py).
    assert "21 avertissements dans le contenu" in result.err
    strict = cli("check", "--strict", "--content", str(CONTENT))
    assert strict.code == 1 and "Mode strict" in strict.err


HAND_MADE = """titre: Plan d'essai
id_projet: "001"
annee: 2025
partenaire: PNUD
modalite: DIM
periode: {debut: 2025-01-01, fin: 2025-12-31}
effet_cpd: Priorité 1
devise: USD
resume: essai.md
resultats_indicatifs:
  - {texte: Un résultat, marqueur_genre: 2}
resultats:
  - numero: 1
    titre: Premier résultat
    sous_total_declare: 3000.5
    activites:
      - numero: "1.1"
        texte: Une activité
        trimestres: [T1, Q2]
        lignes:
          - {responsable: PNUD, compte: "75700", montant: 1000}
          - {responsable: PNUD, compte: "71600", montant: 2000.5, trimestres: [T4]}
total_declare: 3000.5
finance_declare: 2000
non_finance_declare: 1000.5
budget_total_declare: 3000.5
signataires:
  - {nom: A. Nom, role: Coordinateur}
"""


def hand_made(content: Path, text: str = HAND_MADE) -> Path:
    path = content / "plans/essai.yaml"
    path.write_text(text, encoding="utf-8")
    (content / "plans/essai.md").write_text("Résumé.", encoding="utf-8")
    return path


def test_hand_made_plan_that_agrees_gives_no_warning(content):
    hand_made(content)
    shutil.move(content / PLAN, content / "seed.yaml.bak")  # leave only the hand-made plan
    edition = load_edition(content)
    assert [w for w in edition.warnings if "plans/" in str(w.source.path)] == []
    figures = compute_plan(edition.plans[0])
    assert figures.total == Decimal("3000.5")
    assert [(q.trimestre, q.activites, q.lignes) for q in figures.par_trimestre] == [
        ("T1", 1, 1),
        ("T2", 1, 1),
        ("T3", 0, 0),
        ("T4", 0, 1),
    ]


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        (
            '{responsable: PNUD, compte: "75700", montant: 1000}',
            "{responsable: PNUD, montant: 1000}",
            "{responsable: PNUD, montant: 1000}",
            "« compte » : champ obligatoire absent ; attendu un texte.",
        ),
        (
            "montant: 1000}",
            "montant: mille dollars}",
            "montant: mille dollars",
            "« montant » : attendu un montant en chiffres, sans espace ni point de milliers, trouvé « mille dollars ».",
        ),
        (
            "trimestres: [T1, Q2]",
            "trimestres: [T1, Q5]",
            "trimestres: [T1, Q5]",
            "« trimestres » : trimestre « Q5 » inconnu ; attendu T1, T2, T3 ou T4.",
        ),
        (
            'compte: "71600"',
            'compte: "99999"',
            'compte: "99999"',
            "« compte » : compte budgétaire « 99999 » inconnu.",
        ),
    ],
)
def test_malformed_plan_lines(content, cli, old, new, needle, message):
    path = hand_made(content, HAND_MADE.replace(old, new))
    result = cli("check", "--content", str(content))
    assert result.code == 1
    assert f"plans/essai.yaml:{line_of(path, needle)} — {message}" in result.err
    assert "Traceback" not in result.err


def test_an_inverted_period_a_year_outside_it_and_a_number_used_twice_are_errors(content, cli):
    """All three were published (« Période du 31 décembre 2024 au 1er janvier 2024 », « Plan de travail
    1850 », two activities « 1.1 »): an adversarial review."""
    second = (
        '      - numero: "1.1"\n        texte: Une autre activité\n        trimestres: [T2]\n        lignes:\n'
        '          - {responsable: PNUD, compte: "75700", montant: 1}\n'
    )
    text = HAND_MADE.replace(
        "periode: {debut: 2025-01-01, fin: 2025-12-31}", "periode: {debut: 2025-12-31, fin: 2025-01-01}"
    )
    path = hand_made(content, text.replace("total_declare: 3000.5\nfinance", second + "total_declare: 3000.5\nfinance"))
    result = cli("check", "--content", str(content))
    assert result.code == 1 and "Traceback" not in result.err
    assert (
        f"plans/essai.yaml:{line_of(path, 'periode:')} — « fin » : la fin de la période (2025-01-01) précède son "
        "début (2025-12-31)."
    ) in result.err
    assert (
        f"plans/essai.yaml:{line_of(path, 'Une autre activité') - 1} — « numero » : le numéro « 1.1 » est "
        in result.err
    )
    assert "est déjà celui d’une autre activité (" in result.err
    hand_made(content, HAND_MADE.replace("annee: 2025", "annee: 1850"))
    result = cli("check", "--content", str(content))
    assert result.code == 1
    assert "« annee » : l'année 1850 n'est pas celle de la période du plan" in result.err


def test_result_without_activities_is_an_error(content, cli):
    text = HAND_MADE.split("    activites:")[0] + "    activites: []\ntotal_declare: 1\nsignataires: []\n"
    path = hand_made(content, text)
    result = cli("check", "--content", str(content))
    assert result.code == 1
    assert (
        f"plans/essai.yaml:{line_of(path, '- numero: 1')} — « activites » : le résultat 1 n'a aucune activité."
        in result.err
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed site built once with the plans' control edition (--controle)."""
    root = tmp_path_factory.mktemp("plan-site")
    site = root / "site"
    assert main(["--controle", "--content", str(CONTENT), "--site-dir", str(site), "--cache-dir", str(root / "c")]) == 0
    return site


def _pdf_text(path: Path) -> str:
    """The PDF's text in one line: a label wrapped in a cell or a chart reads as one phrase."""
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))


PUBLIC_PDF = "plans/liptako-gourma-2024/liptako-gourma-2024.pdf"
CONTROL_PDF = "plans/liptako-gourma-2024/liptako-gourma-2024-controle.pdf"
# What the check adds to the plan as its partner declared it: kept out of the public PDF.
ANNOTATIONS = (
    "Contrôle des chiffres déclarés",
    "sans montant",
    "écart de",
    "Sous-total déclaré par le document",
    "concorde",
    "édition de contrôle",
)


def test_plan_page_pdf_and_home_link(built):
    site = built
    page = (site / "plans/liptako-gourma-2024/index.html").read_text(encoding="utf-8")
    text = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", page))
    assert f"4{NNBSP}685{NNBSP}229" in text and f"755{NNBSP}306" in text and "sans montant" in text
    assert "écart de 43" in text and "écart d’arrondi accepté" in text  # typographic apostrophe on the page
    assert page.count('class="wp-activity"') == 36
    # The web charts are HTML bars (bulletin/charts.py bar_list), each titled; the PDF keeps the SVG.
    assert page.count('<div class="sr-bars" id="liptako-gourma-2024-') == 2 and 'class="sr-bars-title"' in page
    assert 'href="liptako-gourma-2024.pdf"' in page
    assert "controle.pdf" not in page  # the control edition is for the section, not linked from the public page
    assert 'href="plans/liptako-gourma-2024/"' in (site / "index.html").read_text(encoding="utf-8")
    reader = pypdf.PdfReader(site / PUBLIC_PDF)
    first = reader.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)  # landscape
    assert "Résultat 4" in _pdf_text(site / PUBLIC_PDF)
    # the table header repeats on every page the table spans
    assert sum("Activité et lignes budgétaires" in p.extract_text() for p in reader.pages) >= 3


def test_public_plan_pdf_prints_french_labels_and_no_check_annotation(built, seed):
    text = _pdf_text(built / PUBLIC_PDF)
    for account, _ in seed.par_compte:
        assert account.libelle_fr and set_text(account.libelle_fr) in text, account.code
        assert account.description not in text, account.code
    for signatory in seed.plan.signataires:
        assert signatory.role_fr and set_text(signatory.role_fr) in text and signatory.role not in text
    for english in ("Rental & Maint", "Local Consultants", "Submitted by", "Approved by", "Endorsed by"):
        assert english not in text
    for note in ANNOTATIONS:
        assert note.casefold() not in text.casefold(), note
    # the plan as declared, plus the computed totals
    assert "Total général calculé" in text and "Total général déclaré" in text
    assert "…" not in text
    # Set in French typography as the web page is: it printed « d'exécution », « l'État ».
    assert re.findall(r"\w'\w", text) == [] and "d’exécution" in text


def test_control_plan_pdf_prints_the_check_annotations(built, seed):
    text = _pdf_text(built / CONTROL_PDF)
    gap = next(c for c in seed.controles if c.kind == "resultat" and c.verdict == "ecart")
    for note in ANNOTATIONS:  # the kicker is set in capitals
        assert note.casefold() in text.casefold(), note
    assert f"Résultat {gap.numero} : déclaré" in text
    assert "Rental & Maint" not in text and "…" not in text


def _blank_share(png: Path, top_mm: float = 14, bottom_mm: float = 16) -> float:
    """Share of the rows inside the page's margins (landscape A4, 210 mm high) that carry no ink."""
    from PIL import Image

    image = Image.open(png).convert("L")
    width, height = image.size
    pixels = image.load()
    top, bottom = int(height * top_mm / 210), int(height * (210 - bottom_mm) / 210)
    blank = sum(1 for y in range(top, bottom) if all(pixels[x, y] > 245 for x in range(0, width, 2)))
    return blank / (bottom - top)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_public_plan_pages_are_filled(built, tmp_path):
    """No page before the last more than 35 % blank, the last one not more than 60 % (issue 12)."""
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(built / PUBLIC_PDF), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    shares = [_blank_share(p) for p in pages]
    assert len(shares) >= 2
    assert all(share <= 0.35 for share in shares[:-1]), shares
    assert shares[-1] <= 0.60, shares


def test_web_page_shows_the_french_label(built, seed):
    page = (built / "plans/liptako-gourma-2024/index.html").read_text(encoding="utf-8")
    account = next(a for a, _ in seed.par_compte if a.code == "73300")
    assert f"<td>{account.code}</td><td>{account.libelle_fr}</td>" in page
    assert account.description not in page


def test_account_without_french_label_warns(content):
    accounts = content / "plans/comptes.yaml"
    edit(accounts, ", libelle_fr: Consultants locaux}", "}")
    edition = load_edition(content)
    messages = [str(w) for w in edition.warnings]
    assert (
        f"plans/comptes.yaml:{line_of(accounts, 'Local Consultants')} — « libelle_fr » : le compte 71300 "
        "« Local Consultants » n'a pas de libellé français : le plan publié l'imprime en anglais."
    ) in "\n".join(messages)
    plan = next(p for p in edition.plans if p.slug == "liptako-gourma-2024")
    assert plan.comptes["71300"].libelle == "Local Consultants"  # printed as the document writes it


def test_english_role_without_french_form_warns_a_french_role_does_not(content):
    path = content / PLAN
    edit(path, ', role_fr: "Soumis par le coordonnateur du projet"}', "}")
    safia = next(l for l in path.read_text(encoding="utf-8").splitlines() if "Safia Guindo" in l)
    edit(path, safia, '  - {nom: Safia Guindo, role: "Analyste, PMSU"}')  # written in French: nothing to add
    messages = "\n".join(str(w) for w in load_edition(content).warnings)
    assert (
        f"plans/liptako-gourma-2024.yaml:{line_of(path, 'Benjamin Olagboye')} — « role_fr » : le rôle du "
        "signataire Benjamin Olagboye (« Submitted by Project Coordinator ») semble en anglais et n'a pas de forme "
        "française : le plan publié l'imprime tel quel."
    ) in messages
    assert "Safia Guindo" not in messages


def test_bar_chart_wraps_long_labels_without_cutting_them():
    label = "73300 Location et entretien du matériel informatique"
    svg = bar_chart(
        [Bar(label, Decimal(50)), Bar("Court", Decimal(100))],
        ident="t",
        title="T",
        description="d",
        fmt=lambda v: f"{v} USD",
    )
    assert "…" not in svg
    lines = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert len(lines) >= 2 and " ".join(lines) == label
    assert '<text x="192" y="' in svg and ">Court</text>" in svg  # a short label stays on one line


def test_bar_chart_scales_and_describes():
    svg = bar_chart(
        [Bar("A", Decimal(50)), Bar("B", Decimal(100))],
        ident="t",
        title="Titre",
        description="A : 50",
        fmt=lambda v: f"{v} USD",
    )
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert '<title id="t-t">Titre</title>' in svg and '<desc id="t-d">A : 50</desc>' in svg
    assert "100 USD" in svg and 'role="img"' in svg


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_no_page_of_the_public_work_plan_is_left_half_empty(built, tmp_path):
    """The layout rule of the issues (tests/test_print_layout.py) on the landscape work plan: no page but the
    last more than 35 % blank, the last at most 60 %. Its margins are narrower (14 mm): the measure's
    wider ones only leave the running heads out."""
    from .test_print_layout import _assert_filled, blank_shares

    _assert_filled(blank_shares(built / PUBLIC_PDF, tmp_path / "png"))


def _fonts(path: Path) -> set[str]:
    """The base names of the fonts a PDF's pages use (subset prefixes removed)."""
    names = set()
    for page in pypdf.PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_plan_pdf_is_set_in_lato_alone_and_titles_its_charts(built):
    """The quarter marks were a « ■ » glyph that Lato lacks: a DejaVu font was embedded for it alone.
    The two charts of the breakdown are titled on the page, as on the web (their <title> is not seen)."""
    assert _fonts(built / PUBLIC_PDF) and all(name.startswith("Lato") for name in _fonts(built / PUBLIC_PDF))
    text = _pdf_text(built / PUBLIC_PDF)
    assert "Budget par résultat (USD)" in text and "Budget par catégorie de compte (USD)" in text
    page = (built / "plans/liptako-gourma-2024/index.html").read_text(encoding="utf-8")
    assert "■" not in page and page.count('<span class="wp-mark" aria-hidden="true"></span>') > 36
    assert re.search(r'<span class="sr-only">T\d\s: oui</span>', page)


def test_an_unquoted_identifier_with_leading_zeros_is_published_as_written(content):
    """YAML 1.1 reads a plain 00123456 as an octal number: the page printed « (ID 42798) »."""
    edit(content / PLAN, 'id_projet: "00127299"', "id_projet: 00123456")
    edition = load_edition(content)
    plan = next(p for p in edition.plans if p.slug == "liptako-gourma-2024")
    assert plan.id_projet == "00123456"


def test_an_amount_written_with_a_leading_zero_or_as_a_time_is_refused_not_read_in_another_base(cli, content):
    """050000 was read as the octal 20480 and 1:30 as 90 (base 60): each is now refused at its line as
    not a number, rather than published as another one."""
    qip = content / "registre/projets/qip.yaml"
    edit(qip, "montant: 48269", "montant: 040000")
    run = cli("check", "--content", str(content))
    assert run.code == 1 and "040000" in run.err and "16384" not in run.err
    assert f"qip.yaml:{line_of(qip, 'montant: 040000')} — « montant »" in run.err


@pytest.mark.parametrize(
    "name, suggested", [("Plan 2025 été #1.yaml", "plan-2025-ete-1.yaml"), ("a?b.yaml", "a-b.yaml")]
)
def test_a_plan_file_whose_name_cannot_be_an_address_is_refused(content, cli, name, suggested):
    """The file's name is its page's address: « #1/ » read as an anchor and « ?b/ » as a query, both links
    led to « page introuvable » (an adversarial review)."""
    plans = content / "plans"
    shutil.copy(plans / "liptako-gourma-2024.yaml", plans / name)
    run = cli("check", "--content", str(content))
    assert run.code == 1
    assert f"{plans / name} — le nom du fichier « {name} » devient l'adresse de la page du plan" in run.err
    assert f"→ Renommez le fichier, par exemple « {suggested} »." in run.err


def test_a_plan_saved_as_yml_is_told_it_is_not_read(content, cli):
    plans = content / "plans"
    shutil.copy(plans / "liptako-gourma-2024.yaml", plans / "autre.yml")
    run = cli("check", "--content", str(content))
    assert run.code == 0
    assert f"{plans / 'autre.yml'} — le fichier « autre.yml » n'est pas lu : seuls les fichiers en « .yaml »" in run.err
