"""The English edition's content convention (README « Édition anglaise »): `texte_en:` beside `texte:`,
`qip.en.md` beside `qip.md`. An issue with any English text lists each text still missing its English as a
warning at its line; `--strict` fails on them; a French-only issue says nothing. Amounts typed in English
prose are checked against the register as French ones are."""

from __future__ import annotations

from .conftest import ISSUE, edit, line_of

HIGHLIGHT = (
    '  - texte: "Opportunités de nouveaux projets : vaste réunion de consultation avec le Groupe de la '
    'Banque Mondiale (BM)"\n'
)
QIP_TEXT = "      projet: QIP-2017-01\n      texte: >-\n"


def _translate_first_highlight(content) -> None:
    edit(
        content / ISSUE,
        HIGHLIGHT,
        HIGHLIGHT
        + '    texte_en: "New project opportunities: broad consultation meeting with the World Bank Group (WB)"\n',
    )


def test_french_only_issue_has_no_translation_warning(cli, content):
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    assert "traduction anglaise" not in run.err


def test_untranslated_texts_are_warnings_at_their_line(cli, content):
    _translate_first_highlight(content)
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    err = run.err.replace("\u202f", " ")
    translated = line_of(content / ISSUE, "Opportunités de nouveaux projets")
    second = line_of(content / ISSUE, "Discussions de la CRZPC")
    assert f"bulletin.yaml:{second} — « texte_en » : ce texte n'a pas encore sa traduction anglaise" in err
    assert f"bulletin.yaml:{translated} — « texte_en »" not in err
    qip = line_of(content / ISSUE, "projet: QIP-2017-01") + 1
    assert f"bulletin.yaml:{qip} — « texte_en »" in err
    # Markdown files: the line naming the French file, and the English file's name.
    assert f"bulletin.yaml:{line_of(content / ISSUE, 'role: role.md')} — « role (role.en.md) »" in err


def test_strict_fails_on_missing_translations(cli, content):
    _translate_first_highlight(content)
    run = cli("check", "--strict", "--content", str(content))
    assert run.code == 1
    assert "traduction anglaise" in run.err


def test_an_english_markdown_file_counts_as_translated(cli, content):
    _translate_first_highlight(content)
    (content / "bulletins/2017-11/role.en.md").write_text("The **Stabilization and Recovery** Section…\n", "utf-8")
    err = cli("check", "--content", str(content)).err
    assert "(role.en.md)" not in err
    assert "(remerciements.en.md)" in err


def test_amount_typed_in_english_prose_must_match_the_register(cli, content):
    edit(
        content / ISSUE,
        QIP_TEXT,
        QIP_TEXT.replace(
            "texte: >-",
            "texte_en: >-\n        a quick impact project (QIP) of USD 48,296 was handed over.\n      texte: >-",
        ),
    )
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    err = run.err.replace("\u202f", " ")
    line = line_of(content / ISSUE, "texte_en: >-")
    assert f"bulletin.yaml:{line} — « texte » : le texte annonce « USD 48,296 » mais le registre indique 48 269" in err


def test_matching_english_amount_is_quiet(cli, content):
    edit(
        content / ISSUE,
        QIP_TEXT,
        QIP_TEXT.replace(
            "texte: >-",
            "texte_en: >-\n        a QIP of 48,269 US dollars, that is {{ projet.montant }}.\n      texte: >-",
        ),
    )
    err = cli("check", "--content", str(content)).err
    assert "le texte annonce" not in err


def test_a_project_listed_among_the_months_approvals_needs_its_english_title(cli, content):
    """The Trust Fund's approvals table is computed from the register, cited by no entry: a project
    approved in November without `titre_en` was printed in French in the English edition, unsaid."""
    from .conftest import translate

    translate(content)
    ff = content / "registre/projets/ff.yaml"
    assert cli("check", "--content", str(content)).code == 0
    edit(ff, "  titre_en: Securing Kewa for the return of public authorities and basic social services\n", "")
    run = cli("check", "--content", str(content))
    assert run.code == 0, run.err
    err = run.err.replace("\u202f", " ")
    titre = line_of(ff, "Sécurisation de Kewa") - 1  # the line of « titre: >- »
    assert (
        f"registre/projets/ff.yaml:{titre} — « titre_en » : Le titre du projet « FF-2017-04 » n'a pas encore "
        "sa traduction anglaise, alors qu'un "
        "numéro qui le cite, ou le compte parmi les projets approuvés du mois, a une édition anglaise."
    ) in err
