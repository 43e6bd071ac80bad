"""The lookup domain on the shipped data: the shared question set, then the pieces."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from babel import Locale

from bot.domain.lookup import Directory, Intent, Narrowing, OrganisationRecord, PersonRecord
from bot.domain.lookup.countries import LANGUAGES, country_aliases, country_code
from bot.domain.lookup.csv_source import load_organisations, load_people
from bot.domain.lookup.normalize import normalize, tokenize
from tests.lookup_questions import QUESTIONS

DATA = Path(__file__).resolve().parents[1] / "data"
EVERYTHING = 1000


@pytest.fixture(scope="module")
def directory() -> Directory:
    people = load_people(DATA / "committee.csv", DATA / "committee-demo-profiles.csv")
    return Directory(people, load_organisations(DATA / "organisations.csv"))


def _ask(directory: Directory, case: dict[str, Any], limit: int = EVERYTHING):
    command = {"ask": directory.ask, "who": directory.who, "org": directory.org}[case["via"]]
    return command(case["question"], limit=limit)


# The question set ---------------------------------------------------------------------------


def test_question_set_covers_each_language() -> None:
    per_language = Counter(case["lang"] for case in QUESTIONS)
    assert len(QUESTIONS) >= 60
    assert all(per_language[lang] >= 20 for lang in ("fr", "en", "es")), per_language
    assert {case["intent"] for case in QUESTIONS} == {intent.value for intent in Intent} - {
        "unknown"
    }


@pytest.mark.parametrize("case", QUESTIONS, ids=[c["question"] for c in QUESTIONS])
def test_question(directory: Directory, case: dict[str, Any]) -> None:
    result = _ask(directory, case)
    people = {person.name for person in result.people}
    orgs = {(org.label, org.country) for org in result.organisations}
    assert result.intent == case["intent"]
    if case["expect_total"] is None:
        assert people == set(case["expect_people"])
        assert orgs == set(case["expect_orgs"])
        assert result.total == len(people) + len(orgs)
    else:
        assert set(case["expect_people"]) <= people
        assert set(case["expect_orgs"]) <= orgs
        assert result.total == case["expect_total"]
    assert result.ambiguous == case["ambiguous"]
    assert set(case["expect_suggestions"]) <= set(result.suggestions)
    if not result.found:
        assert not result.people and not result.organisations


# Normalisation ------------------------------------------------------------------------------


def test_normalize_ignores_accents_case_and_punctuation() -> None:
    assert normalize("Ángeles Carrión") == normalize("angeles CARRION") == "angeles carrion"
    assert normalize("K-SBSI") == "k sbsi"
    assert normalize("Sœurs Unies à l’Œuvre") == "soeurs unies a l oeuvre"
    assert normalize("¿Qué es CRISOL?") == "que es crisol"


def test_tokens_remember_capitals() -> None:
    tokens = tokenize("what is AS, as a rule")
    assert [t.norm for t in tokens] == ["what", "is", "as", "as", "a", "rule"]
    assert [t.upper for t in tokens] == [False, False, True, False, False, False]


# Countries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Népal", "NP"), ("Nepal", "NP"), ("Perú", "PE"), ("Pérou", "PE"), ("Peru", "PE"),
        ("Bénin", "BJ"), ("Benín", "BJ"), ("Belgique", "BE"), ("Bélgica", "BE"),
        ("Inde", "IN"), ("Indonésie", "ID"), ("Cambodge", "KH"), ("Camboya", "KH"),
        ("Guinée", "GN"), ("Sénégal", "SN"), ("Bolivie", "BO"), ("Bangladés", "BD"),
        ("République dominicaine", "DO"), ("República Dominicana", "DO"),
        ("Dominican Republic", "DO"), ("DR Congo", "CD"), ("RDC", "CD"), ("DRC", "CD"),
        ("RD Congo", "CD"), ("Congo-Kinshasa", "CD"), ("República Democrática del Congo", "CD"),
        ("République démocratique du Congo", "CD"), ("USA", "US"), ("Estados Unidos", "US"),
        ("UK", "GB"), ("Côte d'Ivoire", "CI"), ("Ivory Coast", "CI"), ("Burkina", "BF"),
        ("Myanmar", "MM"), ("Birmanie", "MM"),
    ],
)  # fmt: skip
def test_country_names_in_three_languages_and_short_forms(written: str, code: str) -> None:
    assert country_code(written) == code


def test_every_cldr_country_name_is_recognised() -> None:
    aliases = country_aliases()
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}:
                if normalize(name) in {"reunion", "la reunion"}:
                    continue  # "la réunion" means "the meeting": "île de la Réunion" only
                codes = aliases[tuple(normalize(name).split())]
                assert codes[0] == code or code in codes, (language, name)


def test_reunion_the_island_is_not_la_reunion_the_meeting() -> None:
    assert country_code("île de la Réunion") == "RE"
    assert country_code("la réunion") is None


def test_every_country_of_the_data_has_a_code(directory: Directory) -> None:
    records = [*directory.people.values(), *directory.organisations.values()]
    assert all(r.country_code for r in records if r.country)
    assert {o.country_code for o in directory.organisations.values() if o.country} == {
        "BI", "RW", "CD", "BJ", "TG", "GN", "ML", "SN", "BF", "GT", "PE", "DO", "BO",
        "ID", "KH", "IN", "NP", "BD", "BE",
    }  # fmt: skip


def test_ambiguous_congo_prefers_the_country_in_the_data(directory: Directory) -> None:
    assert directory.org("Congo").entities.countries == ("CD",)
    assert directory.org("organisations congolaises").entities.countries == ("CD",)


def test_question_reports_country_codes(directory: Directory) -> None:
    result = directory.ask("quelles organisations au Togo et au Bénin ?", limit=EVERYTHING)
    assert result.entities.countries == ("TG", "BJ")
    assert {o.country_code for o in result.organisations} == {"TG", "BJ"}


# Synonyms -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["chair", "chairperson", "président", "présidente", "presidente", "presidenta"]
)
def test_chair_synonyms(directory: Directory, written: str) -> None:
    assert [p.name for p in directory.who(written).people] == ["Bart Verstraeten"]


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("network coordinator", "network coordinator"),
        ("coordinatrice du réseau", "network coordinator"),
        ("coordinador de la red", "network coordinator"),
        ("continental coordinator", "continental coordinator"),
        ("coordonnateur continental", "continental coordinator"),
        ("coordinadora continental", "continental coordinator"),
        ("thematic coordinator", "thematic coordinator"),
        ("coordinatrice thématique", "thematic coordinator"),
        ("representative", "representative"),
        ("représentantes", "representative"),
        ("representantes", "representative"),
    ],
)
def test_role_synonyms(directory: Directory, written: str, role: str) -> None:
    assert directory.who(written).entities.role == role


@pytest.mark.parametrize(
    ("written", "network"),
    [
        ("West Africa", "West Africa"), ("Afrique de l'Ouest", "West Africa"),
        ("África Occidental", "West Africa"), ("afrique occidentale", "West Africa"),
        ("Latin America and the Caribbean", "Latin America and the Caribbean"),
        ("Amérique latine", "Latin America and the Caribbean"),
        ("América Latina", "Latin America and the Caribbean"),
        ("Latinoamérica", "Latin America and the Caribbean"),
        ("Central Africa", "Central Africa"), ("Afrique centrale", "Central Africa"),
        ("África Central", "Central Africa"), ("Asia", "Asia"), ("Asie", "Asia"),
        ("Europe", "Europe"), ("Europa", "Europe"),
    ],
)  # fmt: skip
def test_network_synonyms(directory: Directory, written: str, network: str) -> None:
    assert directory.who(written).entities.networks == (network,)


def test_africa_names_both_african_networks(directory: Directory) -> None:
    assert set(directory.who("Afrique").entities.networks) == {"Central Africa", "West Africa"}


# Matching, ambiguity, limits ----------------------------------------------------------------


@pytest.mark.parametrize("written", ["Angeles Carrion", "ÁNGELES CARRIÓN", "angeles", "Carion"])
def test_names_match_without_accents_and_with_typos(directory: Directory, written: str) -> None:
    assert [p.name for p in directory.who(written).people] == ["Ángeles Carrión"]


def test_name_prefix(directory: Directory) -> None:
    assert [p.name for p in directory.who("Sabi").people] == ["Sabine Jenifère Medetadji Degue"]


def test_ambiguous_acronym_lists_all_and_hints_the_country(directory: Directory) -> None:
    result = directory.org("CSB")
    assert result.ambiguous and result.total == 2
    assert Narrowing.COUNTRY in result.narrow_by


def test_lowercase_common_word_is_not_an_acronym(directory: Directory) -> None:
    assert directory.ask("what is AS?").organisations[0].name == "Alliance Santé"
    assert directory.ask("who is as chair?").intent == Intent.PERSON_BY_ROLE


def test_limit_truncates_but_total_counts(directory: Directory) -> None:
    result = directory.org("Bangladesh", limit=5)
    assert len(result.organisations) == 5 and result.total == 16 and result.truncated
    assert result.narrow_by


def test_no_match_suggests_close_names_and_answers_nothing(directory: Directory) -> None:
    result = directory.who("Gabriel Prudenzo Smithers")
    assert result.people and result.people[0].name == "Gabriela Prudencio"
    nothing = directory.org("Zzyzx")
    assert not nothing.found and not nothing.organisations
    unknown = directory.ask("Pedro Gómez")
    assert unknown.intent == Intent.UNKNOWN and not unknown.found


def test_custom_records_are_canonicalised() -> None:
    people = [
        PersonRecord(1, "Dr Anatole Mangala", ["Coordinateur continental"], "Afrique centrale",
                     country="RD Congo", timezone="Africa/Kinshasa"),
        PersonRecord(2, "Valère Koffi", ["coordinatrice thématique"], "West Africa", country="Togo"),
    ]  # fmt: skip
    orgs = [OrganisationRecord(1, "CSB", "Confédération Syndicale Burkinabè", "Burkina Faso")]
    directory = Directory(people, orgs)
    assert directory.people[1].country_code == "CD"
    assert [p.name for p in directory.ask("who is the continental coordinator?").people] == [
        "Dr Anatole Mangala"
    ]
    assert [p.name for p in directory.who("Central Africa").people] == ["Dr Anatole Mangala"]
    assert [p.name for p in directory.who("Mangala").people] == ["Dr Anatole Mangala"]
    assert directory.org("csb").organisations[0].country_code == "BF"
