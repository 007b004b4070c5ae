"""The English edition in the built site (issue 14, "Done when"): `build.py` writes /en/ beside the French
site, with the English PDF beside the English issue page and every key figure equal to the French one;
each page names its counterpart in the other language; a French-only issue is announced as such in the
English archive, and check lists what it still misses. The language switch in a browser and axe-core on
the English pages: tests/test_accessibility.py; page weight: tests/test_page_weight.py; English search:
tests/test_search_browser.py; the English PDF's blank areas: tests/test_print_layout.py."""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from pathlib import Path
from urllib.parse import urljoin

import pypdf

from .conftest import ROOT, edit, line_of, translate

ISSUE = "bulletins/2017-11/"
PDF = "en/bulletins/2017-11/bulletin-sr-2017-11-en.pdf"


def _build(content: Path, cli, site: Path, *options: str) -> Path:
    run = cli("--content", str(content), "--site-dir", str(site), *options)
    assert run.code == 0, run.err
    return site


def _key_figures(site: Path, prefix: str, month: str = "2017-11") -> list[dict[str, object]]:
    """The issue's key figures as its open data gives them, but their label and names (`liste`), which
    each edition writes in its language; the count of names is `valeur`."""
    data = json.loads((site / f"{prefix}bulletins/{month}/chiffres-cles.json").read_text(encoding="utf-8"))
    return [{k: v for k, v in figure.items() if k not in ("libelle", "liste")} for figure in data["chiffres_cles"]]


def _numbers(html: str) -> list[str]:
    """Every number of a page's key-figure blocks (counts, amounts, dates), digits only: French groups
    digits with a thin space and writes « 15,9 millions », English a comma and "15.9 million"."""
    start = html.index('<div class="sr-figures">')
    block = html[start : min(html.find(end, start) % (len(html) + 1) for end in ('id="apercu"', "</article>"))]
    block = block[: block.rfind("<")] if block.rfind("<") > block.rfind(">") else block  # a tag cut in two
    return [re.sub(r"\D", "", n) for n in re.findall(r"\d(?:[\d\u202f\u00a0,.]*\d)?", re.sub(r"<[^>]+>", " ", block))]


def _pages(site: Path) -> dict[str, str]:
    """Every HTML page of the site by address ("en/fonds/qip/"), but Pagefind's and the 404 page."""
    out = {}
    for path in site.rglob("*.html"):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("pagefind/") or relative == "404.html":
            continue
        out[relative.removesuffix("index.html")] = path.read_text(encoding="utf-8")
    return out


def test_build_writes_the_english_issue_its_pdf_and_the_french_figures(content, cli, tmp_path):
    site = _build(translate(content), cli, tmp_path / "site")
    english = (site / "en" / ISSUE / "index.html").read_text(encoding="utf-8")
    french = (site / ISSUE / "index.html").read_text(encoding="utf-8")
    assert (site / PDF).read_bytes().startswith(b"%PDF")
    assert 'href="bulletin-sr-2017-11-en.pdf"' in english and "bulletin-sr-2017-11-en.pdf" not in french
    # Every key figure: the open data of both editions, and the numbers the two pages print.
    figures = _key_figures(site, "")
    assert len(figures) > 5 and _key_figures(site, "en/") == figures
    assert len(_numbers(french)) >= 20 and _numbers(english) == _numbers(french)
    # English words, names and formats; the stable parts by their English names (references.yaml).
    for words in ("Main Figures", "Quick Impact Projects", "Peacebuilding Fund", "30 November 2017", "Germany"):
        assert words in english, words
    for words in ("Chiffres clés", "Projets à impact rapide", "Allemagne", "Section Stabilisation"):
        assert words not in english, words
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(site / PDF).pages)
    flat = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    for words in ("S&R Monthly Bulletin", "Quick Impact Projects", "Trust Fund", "Stabilization and Recovery"):
        assert words in flat, words
    # (The register's project titles and public remarks are the officer's French texts, not stable parts.)
    for words in ("Projets à impact rapide", "Fonds pour la consolidation", "Allemagne", "Bulletin mensuel", " ; "):
        assert words not in flat, words
    assert "; donor: United Kingdom; sponsored by" in flat  # the separators of the catalog


def test_every_page_names_its_counterpart_in_the_other_language(built_site):
    pages = _pages(built_site)
    english = [address for address in pages if address.startswith("en/")]
    # The same pages in English: home, issues, funds, regions, plans, search, open data, about.
    assert {a.removeprefix("en/") for a in english} == {a for a in pages if not a.startswith("en/")} - {"guide/"}
    for address, html in pages.items():
        language = "en" if address.startswith("en/") else "fr"
        assert f'<html lang="{language}"' in html, address
        other = address.removeprefix("en/") if language == "en" else f"en/{address}"
        switch = re.search(r'<a class="md-header__button sr-langue" href="([^"]+)" hreflang="(\w+)"', html)
        assert switch, f"{address}: no language switch"
        target = urljoin(f"http://site/{address}", switch[1]).removeprefix("http://site/")
        if other in pages:
            assert target == other, address
            alternates = dict(re.findall(r'<link rel="alternate " hreflang="(\w+)" href="([^"]+)">', html))
            assert {lang: urljoin(f"http://site/{address}", href) for lang, href in alternates.items()} == {
                language: f"http://site/{address}",
                switch[2]: f"http://site/{other}",
            }, address
        else:  # the author's guide: the switch goes to the other language's home
            assert target == ("" if language == "en" else "en/"), address
            assert 'hreflang="fr" href' not in html and 'hreflang="en" href' not in html, address


def test_the_english_site_has_its_feed_and_its_search_index(built_site):
    feed = (built_site / "en/feed.xml").read_text(encoding="utf-8")
    # Material fetches sitemap.xml beside the feed link, en/feed.xml on an English page.
    assert (built_site / "en/sitemap.xml").read_bytes() == (built_site / "sitemap.xml").read_bytes()
    assert 'xml:lang="en_GB"' in feed or 'xml:lang="en-GB"' in feed
    entry = json.loads((built_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    english = sum(1 for a in _pages(built_site) if a.startswith("en/") and a != "en/recherche/")
    assert entry["languages"]["en"]["page_count"] == english
    assert entry["languages"]["fr"]["page_count"] >= english


def toc_targets_missing(html: str) -> list[str]:
    """The anchors the page's « In this issue » menu links to that name no element of the page."""
    nav = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.DOTALL)
    links = re.findall(r'href="#([^"]+)"', nav.group(0)) if nav else []
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    return [anchor for anchor in links if anchor not in ids]


def test_every_in_page_menu_leads_to_a_section_of_its_page(built_site):
    pages = _pages(built_site)
    issue = pages["bulletins/2017-11/"]
    assert len(re.findall(r'href="#', issue.split("md-nav--secondary", 1)[1].split("</nav>", 1)[0])) >= 8
    assert {address: toc_targets_missing(html) for address, html in pages.items() if toc_targets_missing(html)} == {}


def test_a_french_only_december_builds_and_says_so(content, cli, tmp_path):
    translate(content)
    assert cli("nouveau", "2017-12", "--content", str(content)).code == 0
    december = content / "bulletins/2017-12/bulletin.yaml"
    # nouveau carried the stable texts' English over: only the month's own texts wait for theirs.
    edit(
        december,
        "faits_saillants: []",
        "faits_saillants:\n  - texte: Remise d'un forage à Gao\n  - texte: Réunion à Kidal",
    )
    check = cli("check", "--content", str(content))
    assert check.code == 0, check.err
    missing = [line for line in check.err.splitlines() if "n'a pas encore d'édition anglaise" in line]
    assert missing and all(line.startswith(f"{december}:") for line in missing), check.err
    # One warning for the issue, naming each text at its line (it was one warning per text, a dozen).
    first, second = line_of(december, "Remise d'un forage"), line_of(december, "Réunion à Kidal")
    assert len(missing) == 1, missing
    assert (
        f"anglais depuis novembre 2017 : ses 2 textes attendent leur traduction : « texte_en » (ligne {first}), "
        f"« texte_en » (ligne {second})"
    ) in missing[0]
    assert missing[0] and missing[0].startswith(f"{december}:{first} — ")
    assert "sa traduction anglaise, alors que ce numéro a une édition anglaise" not in check.err
    strict = cli("check", "--strict", "--content", str(content))
    assert strict.code == 1 and "n'a pas encore d'édition anglaise" in strict.err
    site = _build(content, cli, tmp_path / "site", "--sans-pdf")
    archive = (site / "en/bulletins/index.html").read_text(encoding="utf-8")
    entry = archive[archive.index('href="2017-12/"') : archive.index('href="2017-11/"')]
    assert "This issue is available in French only." in entry
    assert 'href="../../bulletins/2017-12/" hreflang="fr"' in entry
    assert re.search(r"QIPs: \d+ approved projects, USD\xa0[\d,]+", entry), entry
    page = (site / "en/bulletins/2017-12/index.html").read_text(encoding="utf-8")
    assert "This issue is available in French only." in page and 'href="../../../bulletins/2017-12/"' in page
    # Its menu lists what it holds (it listed the nine sections of a written issue, none of them there).
    assert 'href="#chiffres-cles"' in page and toc_targets_missing(page) == []
    # The home page's button leads to the French issue, not to the page that only says it is French.
    home = (site / "en/index.html").read_text(encoding="utf-8")
    assert 'href="../bulletins/2017-12/" hreflang="fr">Read the December 2017 bulletin in French</a>' in home
    assert _numbers(page) == _numbers((site / "bulletins/2017-12/index.html").read_text(encoding="utf-8"))
    # Never a page that mixes the languages: no French text of the December issue on its English page.
    french = (content / "bulletins/2017-12/qip.md").read_text(encoding="utf-8").split()[:8]
    assert " ".join(french) not in page and "Remise d'un forage" not in page and "Remise d’un forage" not in page
    assert not (site / "en/bulletins/2017-12/bulletin-sr-2017-12-en.pdf").exists()
    # The English fund page presents the fund in November's English words, not December's French.
    fund = (site / "en/fonds/ff/index.html").read_text(encoding="utf-8")
    english_text = (content / "bulletins/2017-11/fonds-fiduciaire.en.md").read_text(encoding="utf-8").split()[:6]
    french_text = (content / "bulletins/2017-12/fonds-fiduciaire.md").read_text(encoding="utf-8").split()[:6]
    assert " ".join(english_text) in fund and " ".join(french_text) not in fund


def test_check_lists_each_stable_part_without_its_english_name(content, cli):
    translate(content)
    references = content / "registre/references.yaml"
    text = references.read_text(encoding="utf-8").replace("    nom_en: Trust Fund\n", "")
    references.write_text(text.replace("  Norvège: Norway\n", ""), "utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 0
    lines = [line for line in run.err.splitlines() if "n'a pas encore son nom anglais" in line]
    fund = next(n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "nom: Fonds fiduciaire")
    donor = next(n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "- Norvège")
    assert lines == [
        f"{references}:{fund} — « nom_en » : le nom du fonds « Fonds fiduciaire » n'a pas encore son nom anglais, "
        "alors qu'un numéro a une édition anglaise.",
        f"{references}:{donor} — « bailleurs_en » : le bailleur « Norvège » n'a pas encore son nom anglais, "
        "alors qu'un numéro a une édition anglaise.",
    ]
    assert cli("check", "--strict", "--content", str(content)).code == 1


def test_a_french_only_publication_is_not_asked_for_english_names(content, cli):
    references = content / "registre/references.yaml"
    references.write_text(re.sub(r", nom_en: [^}]+\}", "}", references.read_text(encoding="utf-8")), "utf-8")
    assert "nom_en" in references.read_text(encoding="utf-8")  # the funds' still: nothing is asked of either
    run = cli("check", "--content", str(content))
    assert run.code == 0 and "anglais" not in run.err


def test_the_english_issue_prints_the_projects_english_texts_and_check_lists_the_missing_ones(content, cli, tmp_path):
    translate(content)
    pbf = content / "registre/projets/pbf.yaml"
    text = pbf.read_text(encoding="utf-8")
    site = _build(content, cli, tmp_path / "site")
    english = (site / "en" / ISSUE / "index.html").read_text(encoding="utf-8")
    french = (site / ISSUE / "index.html").read_text(encoding="utf-8")
    assert "Restoring trust through support to the cantonment process" in english
    assert "UNOPS is in charge of building and managing the camps" in english
    assert "Rétablissement de la confiance" not in english and "Rétablissement de la confiance" in french
    # A cited project's description without its English: listed at its line, the French shown meanwhile.
    cut = re.sub(r"  description_en: >-\n(    .*\n)+", "", text.split("- id: PBF-2015-4")[0], count=1)
    pbf.write_text(cut + "- id: PBF-2015-4" + text.split("- id: PBF-2015-4")[1], encoding="utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 0
    lines = [line for line in run.err.splitlines() if "traduction anglaise" in line]
    description = next(n for n, line in enumerate(cut.splitlines(), 1) if line.startswith("  description: "))
    assert lines == [
        f"{pbf}:{description} — « description_en » : La description du projet « PBF-2015-1 » n'a pas encore sa "
        "traduction anglaise, alors qu'un numéro qui le cite, ou le compte parmi les projets approuvés du mois, a "
        "une édition anglaise."
    ]
    assert cli("check", "--strict", "--content", str(content)).code == 1


def test_the_english_issue_names_the_agencies_in_english_and_check_lists_the_missing_ones(content, cli, tmp_path):
    """« PNUD, ONUDI » in French, « UNDP, UNIDO » in English (references.yaml « agences_en »); an agency
    without its English name is listed at the line of the project's « agences »."""
    translate(content)
    site = _build(content, cli, tmp_path / "site")
    agencies = re.compile(r'<p class="sr-agencies">([^<]*)</p>')
    english = agencies.findall((site / "en" / ISSUE / "index.html").read_text(encoding="utf-8"))
    french = agencies.findall((site / ISSUE / "index.html").read_text(encoding="utf-8"))
    assert "UNDP, UNIDO" in english and "UN Women, UNFPA, MINUSMA" in english and "IOM, UNHCR" in english
    assert "PNUD, ONUDI" in french and not any("PNUD" in a or "ONU Femmes" in a for a in english)
    references = content / "registre/references.yaml"
    references.write_text(references.read_text(encoding="utf-8").replace("  ONUDI: UNIDO\n", ""), "utf-8")
    run = cli("check", "--content", str(content))
    assert run.code == 0
    pbf = content / "registre/projets/pbf.yaml"
    line = next(n for n, text in enumerate(pbf.read_text(encoding="utf-8").splitlines(), 1) if "ONUDI" in text)
    assert [text for text in run.err.splitlines() if "nom anglais" in text] == [
        f"{pbf}:{line} — « agences » : L'agence « ONUDI » du projet « PBF-2015-2 » n'a pas encore son nom anglais, "
        "alors qu'un numéro qui le cite a une édition anglaise."
    ]
    assert cli("check", "--strict", "--content", str(content)).code == 1


def test_the_english_pages_describe_themselves_in_english_and_the_404_answers_in_both(built_site):
    """What search engines, link previews and feed readers show of an English page is English (it was
    the French site description and feed title); the one 404 page, sent for /en/… too, says it in both."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # !ENV tags: not for yaml.safe_load

    def setting(name: str) -> str:
        return re.search(rf"^ *{name}: (.+)$", text, re.MULTILINE)[1]

    config = {name: setting(name) for name in ("site_name", "site_description", "site_url")}
    config["extra"] = {name: setting(name) for name in ("site_name_en", "site_description_en")}
    for address, html in _pages(built_site).items():
        english = address.startswith("en/")
        description = re.search(r'<meta name="description" content="([^"]*)">', html)
        assert description, address
        wanted = config["extra"]["site_description_en"] if english else config["site_description"]
        assert description[1] == html_escape(wanted, quote=True), address
        feed = re.search(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)"', html)
        name = config["extra"]["site_name_en"] if english else config["site_name"]
        assert feed and feed[1] == html_escape(name.partition(" — ")[0], quote=False), address
    missing = (built_site / "404.html").read_text(encoding="utf-8")
    french, _, english = missing.partition('<section lang="en">')
    assert "<h1>Page introuvable</h1>" in french
    assert "<h2>Page not found</h2>" in english and "Go to the bulletin’s home page</a>" in english
    assert f'<a href="{config["site_url"]}en/">' in english


def test_an_english_work_plan_says_it_is_in_french_and_marks_the_partners_words(built_site):
    page = _pages(built_site)["en/plans/liptako-gourma-2024/"]
    note = '<p class="sr-french-only" role="note">This work plan is published as the partner wrote it, in French'
    assert note in page
    assert re.search(r'<h1 class="sr-title" id="contenu" lang="fr">Mécanisme', page)
    summary = page.split('id="resume"', 1)[1]
    assert summary.split("</h2>", 1)[1].lstrip().startswith('<div lang="fr">')
    for listing in ("en/", "en/plans/"):
        assert re.search(r'<a href="[^"]*liptako-gourma-2024/" lang="fr">Mécanisme', _pages(built_site)[listing])
        assert "in French" in _pages(built_site)[listing]
    french = _pages(built_site)["plans/liptako-gourma-2024/"]
    assert "sr-french-only" not in french and ' lang="fr">Mécanisme' not in french
    assert 'aria-label="Dans ce plan de travail"' in french  # not « Dans ce numéro »: it is no issue


def test_the_contents_menu_is_named_for_the_page_in_its_language(built_site):
    """The English issue page had no « In this issue » beside it (the sidebar was kept for bulletins/ and
    plans/, not en/bulletins/), and every English page's menu on a phone read « Dans ce numéro », on
    « About » too, where « On this page » is meant."""
    expected = {
        "bulletins/2017-11": ("Dans ce numéro", True),
        "en/bulletins/2017-11": ("In this issue", True),
        "plans/liptako-gourma-2024": ("Dans ce plan de travail", True),
        "en/plans/liptako-gourma-2024": ("In this work plan", True),
        "a-propos": ("Sur cette page", False),
        "en/a-propos": ("On this page", False),
    }
    for page, (label, beside) in expected.items():
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert f'md-nav--secondary" aria-label="{label}"' in html, page
        assert ("md-sidebar--secondary" in html) is beside, page


def test_an_english_plan_names_its_partner_as_the_register_does_in_english(built_site):
    """The plan is published as its partner wrote it, in French, but « PNUD » is UNDP to an English reader:
    the English home page and the plan's page name the partner through the register's agences_en."""
    plan = (built_site / "en/plans/liptako-gourma-2024/index.html").read_text(encoding="utf-8")
    home = (built_site / "en/index.html").read_text(encoding="utf-8")
    assert 'sr-kicker">Work plan 2024 · UNDP</p>' in plan
    assert "</a> — UNDP, 2024" in home and "— PNUD, 2024" not in home
    assert 'sr-kicker">Plan de travail 2024 · PNUD</p>' in (
        built_site / "plans/liptako-gourma-2024/index.html"
    ).read_text(encoding="utf-8")


def test_an_english_region_page_dates_its_events_in_english_typography(built_site):
    """« 10 November 2017 : Poultry unit… »: the date and the project's title were joined by a French
    « : » written in the template, not by the catalog's words."""
    html = (built_site / "en/regions/gao/index.html").read_text(encoding="utf-8")
    events = re.findall(r"\d{4}[ \u00a0\u202f]*:", html)
    assert events and all(
        event.endswith(("0:", "1:", "2:", "3:", "4:", "5:", "6:", "7:", "8:", "9:")) for event in events
    )
    french = (built_site / "regions/gao/index.html").read_text(encoding="utf-8")
    assert re.search(r"\d{4}\u00a0: ", french)


def test_the_phone_drawer_and_the_logo_name_the_site_in_the_pages_language(built_site):
    """The drawer a phone opens from the menu button read « Bulletin S&R — MINUSMA » on English pages,
    and the logo's label too (Material prints config.site_name there)."""
    drawer = re.compile(r'<label class="md-nav__title" for="__drawer">.*?</a>\s*(.*?)\s*</label>', re.S)
    for page, name, other in (
        ("a-propos", "Bulletin S&amp;R — MINUSMA", "S&amp;R Bulletin"),
        ("en/a-propos", "S&amp;R Bulletin — MINUSMA", "Bulletin S&amp;R"),
        ("en/bulletins/2017-11", "S&amp;R Bulletin — MINUSMA", "Bulletin S&amp;R"),
    ):
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert drawer.search(html)[1] == name, page
        assert f'class="md-header__button md-logo" aria-label="{name}"' in html, page
        assert f'aria-label="{other}' not in html and f'title="{other}' not in html, page


def test_the_drawer_is_materials_with_the_sites_name_in_the_pages_language():
    """templates/web/partials/nav.html overrides Material's: re-check it when upgrading Material."""
    from importlib.resources import files

    theirs = (Path(str(files("material"))) / "templates/partials/nav.html").read_text(encoding="utf-8")
    ours = (ROOT / "templates/web/partials/nav.html").read_text(encoding="utf-8")
    name = '{% include "partials/nom-du-site-complet.html" %}'
    ours = ours.replace(f'title="{name}"', 'title="{{ config.site_name | e }}"')
    ours = ours.replace(f'aria-label="{name}"', 'aria-label="{{ config.site_name }}"').replace(
        name, "{{ config.site_name }}"
    )
    assert ours.split("-#}\n", 1)[1] == theirs.split("-#}\n", 1)[1]


def test_an_erratum_reads_in_english_on_the_english_page_and_check_asks_for_its_english(content, cli, tmp_path):
    """The English issue page printed « Correction of 15 December 2017: un QIP approuvé… », the officer's
    French, with no way to write it in English; `motif_en:` beside `motif:` now says it. Its changed
    amounts read « 15 900 000 dollars américains », in French: now « USD 15,900,000 »."""
    from .test_publication import ERRATUM, add_late_qip, publish

    translate(content)
    publish(cli, content)
    add_late_qip(content)
    issue = content / "bulletins/2017-11/bulletin.yaml"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("mois: 2017-11\n", "mois: 2017-11\n" + ERRATUM, 1), "utf-8"
    )
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    asked = [line for line in run.err.splitlines() if "« motif_en »" in line]
    assert len(asked) == 1 and asked[0].startswith(f"{issue}:{line_of(issue, '- date: 2017-12-15')} — "), run.err
    english = "    motif_en: a QIP approved on 10 November 2017 had been left out\n"
    text = issue.read_text(encoding="utf-8").replace(
        "    chiffres: [qip.projets_en_cours", english + "    chiffres: [qip.projets_en_cours", 1
    )
    issue.write_text(text, encoding="utf-8")
    site = _build(content, cli, tmp_path / "site", "--sans-pdf")
    page = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", (site / "en" / ISSUE / "index.html").read_text(encoding="utf-8"))
    )
    assert "a QIP approved on 10 November 2017 had been left out" in page
    assert "un QIP approuvé" not in page
    french = (site / ISSUE / "index.html").read_text(encoding="utf-8")
    assert "un QIP approuvé le 10 novembre 2017 avait été omis" in french and "had been left out" not in french
    # Its lines of figures read the English way too: they printed « USD 1 234 567 », French grouping.
    english_page = (site / "en" / ISSUE / "index.html").read_text(encoding="utf-8")
    erratum = english_page.split('class="sr-erratum"', 1)[1].split("</div>", 1)[0]
    changes = re.findall(r"<li>([^<]*→[^<]*)</li>", erratum)
    amounts = [c for c in changes if c.startswith("Amount of approved projects (QIPs): ")]
    grouped = r"USD\xa0\d{1,3}(,\d{3})+"
    assert len(amounts) == 1 and re.fullmatch(rf".*: {grouped} → {grouped}", amounts[0]), changes
    assert not any("\u202f" in c for c in changes), changes
