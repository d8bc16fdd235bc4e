import datetime as dt

import pytest

from corpus.metadata import (
    detect_language,
    document_type,
    extract_parties,
    find_parties,
    parse_date,
    signing_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian-Kyrgyz cooperation", ["RUS", "KGZ"]),
        ("Sino-Russian relations", ["CHN", "RUS"]),
        ("U.S.-India Joint Leaders' Statement", ["USA", "IND"]),
        ("российско-киргизские отношения", ["RUS", "KGZ"]),
        ("Президент Республики Казахстан", ["KAZ"]),
        ("с Кыргызстаном и Киргизией", ["KGZ"]),
        ("переговоры с Ираном", ["IRN"]),
        ("визит в Иран", ["IRN"]),
        ("Исламской Республикой Иран", ["IRN"]),
        ("Соединенными Штатами Америки", ["USA"]),
        ("Federal Republic of Germany and the Republic of Korea", ["DEU", "KOR"]),
        ("Democratic People's Republic of Korea", ["PRK"]),
        ("the Eurasian Economic Union and the CSTO", ["EAEU", "CSTO"]),
        ("ЕАЭС, ОДКБ и ШОС", ["EAEU", "CSTO", "SCO"]),
        ("Papua New Guinea and Guinea-Bissau and Guinea", ["PNG", "GNB", "GIN"]),
        ("Niger and Nigeria", ["NER", "NGA"]),
        ("Türkiye, Turkey and Côte d'Ivoire", ["TUR", "CIV"]),
    ],
)
def test_find_parties_in_names_adjectives_and_inflected_forms(text, expected):
    assert find_parties(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "let us work for peace",  # "us" is a pronoun; only "US" in capitals is the country
        "индекс цен и индустрия",  # not India
        "в Латинской Америке и Южной Америке",  # regions are not parties
        "Latin American and Central American states",
        "Герман Греф и самой малой из задач",  # a first name, not Germany; 'самой' is not Samoa
        "the Indian Ocean and the Korean Peninsula",
    ],
)
def test_find_parties_ignores_look_alikes(text):
    assert find_parties(text) == []


def test_extract_parties_trusts_a_title_naming_two_parties():
    title = "Joint statement of the Russian Federation and the Kyrgyz Republic"
    assert extract_parties(title, "They discussed Ukraine, China and Iran.") == ("KGZ", "RUS")


def test_extract_parties_adds_the_home_party_when_the_title_names_the_other_side():
    assert extract_parties("United States-India Joint Statement", home="USA") == ("IND", "USA")
    assert extract_parties("Joint statement with Kazakhstan", home="RUS") == ("KAZ", "RUS")


def test_extract_parties_reads_the_opening_when_the_title_names_none():
    text = "The Republic of Belarus, the Republic of Kazakhstan, the Russian Federation, and Ukraine, hereinafter"
    assert extract_parties("Common Economic Zone", text) == ("BLR", "KAZ", "RUS", "UKR")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Joint statement by the Ministers of Foreign Affairs", "joint_statement"),
        ("United States-Japan Joint Leaders' Statement", "joint_statement"),
        ("G7 Leaders' Statement on Gaza", "joint_statement"),
        ("Совместное заявление Президента Российской Федерации и Президента Республики Беларусь", "joint_statement"),
        ("Joint Declaration on the international order", "joint_declaration"),
        ("Московская декларация", "joint_declaration"),
        ("Joint Communiqué of the meeting", "communique"),
        ("Совместное коммюнике", "communique"),
        ("Memorandum of Understanding on biosafety", "memorandum"),
        ("Меморандум о взаимопонимании", "memorandum"),
        ("Treaty on a Free Trade Area", "treaty"),
        ("Соглашение между Правительством Российской Федерации и Правительством Монголии", "treaty"),
        ("Договор о всеобъемлющем стратегическом партнёрстве", "treaty"),
        ("Telephone conversation with President of Kyrgyzstan", "other"),
    ],
)
def test_document_type_from_title(title, expected):
    assert document_type(title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paid an official visit on March 3-5, 2022.", dt.date(2022, 3, 3)),
        ("March 3, 2022", dt.date(2022, 3, 3)),
        ("on 3 March 2022", dt.date(2022, 3, 3)),
        ("signed 24 апреля 2022 г. in Moscow", dt.date(2022, 4, 24)),
        ("13\u00a0–\u00a014\u00a0марта 2025\u00a0г.", dt.date(2025, 3, 13)),
        ("8 мая 2025 года", dt.date(2025, 5, 8)),
        ("05.03.2022 15:37", dt.date(2022, 3, 5)),
        ("published 2021-06-16T13:58", dt.date(2021, 6, 16)),
        ("el 12 de julio de 1994", dt.date(1994, 7, 12)),
        ("Sept. 24, 2021", dt.date(2021, 9, 24)),
        ("Wednesday, April 24", None),
        ("on 31 February 2022", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_signing_date_reads_the_closing_formula():
    text = "Recalling the Agreement signed on 10 June 1992 … " + "text " * 50 + "Done at Moscow on 12 July 1994."
    assert signing_date(text) == dt.date(1994, 7, 12)
    assert signing_date("Совершено в Пекине 18 июля 2000 года в двух экземплярах") == dt.date(2000, 7, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Parties agree that the cooperation of the two States will be developed.", "en"),
        ("Стороны договорились о развитии сотрудничества в области культуры.", "ru"),
        ("Совместное заявление", "ru"),
        ("Сторони домовилися про співпрацю і розвиток відносин та культури.", "uk"),
        ("Las Partes acuerdan que la cooperación de los Estados se desarrollará por el bien común.", "es"),
        ("Les Parties conviennent que la coopération des États sera développée dans le respect.", "fr"),
        ("Acordo entre o Governo da Republica e o Governo da Federacao para cooperação", "pt"),
        ("12345 !!!", "und"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected
