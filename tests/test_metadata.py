import datetime as dt

import pytest

from corpus.countries import country_name, party_label, party_labels
from corpus.metadata import (
    TYPE_RULES,
    detect_language,
    document_type,
    extract_parties,
    find_parties,
    gazetteer,
    mentions_of,
    parse_date,
    signatory_makers,
    signing_date,
    type_rule,
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
        "the results of the Uruguay Round of multilateral trade negotiations",  # a GATT round, not Uruguay
        "по итогам Уругвайского раунда переговоров",
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


def test_a_title_naming_its_makers_is_not_outdone_by_an_opening_about_others():
    """A White House title naming twelve makers, the European Union among them, had the opening's "situation
    between Lebanon and Israel" added; a list the title's "on Support for" begins is a topic to its end."""
    title = "Joint Statement by the United States, Australia, Canada, European Union, France, Germany, Italy, Japan"
    text = "The situation between Lebanon and Israel since October 8th, 2023 is intolerable."
    assert extract_parties(title, text, home="USA", doc_type="joint_statement") == (
        "AUS", "CAN", "DEU", "EU", "FRA", "ITA", "JPN", "USA"
    )  # fmt: skip
    title = "Joint Statement from the United States and the European Union on Support for Angola, Zambia, and Congo"
    text = "They back a new rail line between Zambia and Angola."
    assert extract_parties(title, text, home="USA", doc_type="joint_statement") == ("EU", "USA")
    quad = "We, the Leaders of Australia, India, Japan, and the United States, met today."
    assert extract_parties("Quad Leaders' Joint Statement", quad, home="USA", doc_type="joint_statement") == (
        "AUS", "IND", "JPN", "QUAD", "USA"
    )  # fmt: skip


def test_an_efta_agreement_has_the_efta_states_as_parties_too():
    """The EFTA states sign its agreements each: 'party=NOR' had missed eight whose title names only 'the EFTA
    States' and the partner, while the others listed the four."""
    text = (
        "PREAMBLE The Republic of Iceland, the Principality of Liechtenstein, the Kingdom of Norway and the Swiss "
        "Confederation (hereinafter called the EFTA States) and the Republic of Singapore, Have agreed"
    )
    title = "AGREEMENT BETWEEN THE EFTA STATES AND SINGAPORE"
    assert extract_parties(title, text) == ("CHE", "EFTA", "ISL", "LIE", "NOR", "SGP")


def test_a_first_paragraph_listing_a_groups_members_has_the_european_union_among_them():
    members = "Albania, Australia, Austria, Belgium, Brazil, Bulgaria, Canada, Colombia, Croatia, Estonia"
    text = f"The 50 members of the Initiative—{members}, the European Union, France and Germany—met in Washington."
    assert "EU" in extract_parties("Initiative 2023 Joint Statement", text, home="USA", doc_type="joint_statement")
    topic = "Albania and Austria discussed the European Union's enlargement."  # two states: the union is a topic
    assert "EU" not in extract_parties("Joint Statement", topic, home="USA", doc_type="joint_statement")


def test_extract_parties_reads_the_opening_when_the_title_names_none():
    text = "The Republic of Belarus, the Republic of Kazakhstan, the Russian Federation, and Ukraine, hereinafter"
    assert extract_parties("Common Economic Zone", text) == ("BLR", "KAZ", "RUS", "UKR")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # each side named, then called something: the list goes on after the first side's "(hereinafter …)"
            "PREAMBLE The Republic of Iceland, the Kingdom of Norway, the Swiss Confederation (hereinafter called the "
            "EFTA States) and the State of Israel (hereinafter called Israel), Having regard to the Convention",
            ("CHE", "EFTA", "ISL", "ISR", "NOR"),
        ),
        (
            'Iceland and the Swiss Confederation (hereinafter referred to as the "EFTA States"), and The Republic of '
            'Indonesia, hereinafter each individually referred to as a "Party", RECOGNISING',
            ("CHE", "EFTA", "IDN", "ISL"),
        ),
        (  # a state named after the list, by a later "hereinafter", is no maker
            "The Governments of Australia and Pakistan and the Bank (hereinafter called the Bank).whereas the "
            "government of india (india) and pakistan have concluded the treaty (hereinafter called the Treaty)",
            ("AUS", "PAK"),
        ),
        (
            "The Government of the Republic of China (hereinafter referred to as the ROC) and the Government of the "
            "Republic of Panama (hereinafter referred to as Panama), resolved to",
            ("PAN", "TWN"),  # the Republic of China is Taiwan, not the People's Republic
        ),
    ],
)
def test_extract_parties_reads_every_side_of_an_opening_that_names_each(text, expected):
    assert extract_parties("Free Trade Agreement", text) == expected


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
        ("Telephone conversation with President of Kyrgyzstan", "news"),
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
        # languages the stop-word counts knew nothing of (the manytreaties originals were told as Spanish)
        ("A Magyar Köztársaság Kormánya és a Szlovák Köztársaság Kormánya megállapodtak az együttműködésről.", "hu"),
        ("Il Governo della Repubblica Italiana e il Governo della Repubblica di San Marino hanno convenuto.", "it"),
        ("Lietuvos Respublikos Vyriausybė ir Rusijos Federacijos Vyriausybė susitarė dėl bendradarbiavimo.", "lt"),
        ("中华人民共和国政府和大韩民国政府", "zh"),
        # the model is unsure of these: English, not Nigerian Pidgin; a title, not Bulgarian
        ("President Vladimir Putin met with President of Vneshtorgbank Andrei Kostin.", "en"),
        ("Заявление", "ru"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("rule", TYPE_RULES, ids=lambda r: f"{r.doc_type}:{r.example[:40]}")
def test_each_type_rule_decides_its_example(rule):
    url = "http://kremlin.ru/events/president/news/1" if rule.url else "https://example.org/statement"
    assert type_rule(rule.example, url) is rule


@pytest.mark.parametrize(
    ("title", "url", "expected"),
    [
        (
            "Telephone conversation with President of Kyrgyzstan",
            "http://en.kremlin.ru/events/president/news/62529",
            "news",
        ),
        ("Russia to provide humanitarian aid to Kyrgyzstan", "http://en.kremlin.ru/events/president/news/1", "news"),
        (
            "Joint news conference with President of Kyrgyzstan",
            "http://en.kremlin.ru/events/president/news/1",
            "speech",
        ),
        ("The Jeddah Communique: A Joint Statement Between the United States and Saudi Arabia", "", "communique"),
        ("C5+1 Leaders’ Joint Statement", "", "joint_statement"),
        ("Law on ratifying the agreement on Russian-Kyrgyzstani cooperation", "", "news"),
        (
            "Statement by President of Russia Vladimir Putin, Federal Chancellor of Germany Angela Merkel",
            "",
            "joint_statement",
        ),
        (
            "Statement by President of Russia Vladimir Putin on Russia’s proposal, with Germany and Iran",
            "",
            "press_release",
        ),
        (
            "Договор о всеобъемлющем стратегическом партнёрстве между Российской Федерацией и Ираном",
            "http://kremlin.ru/supplement/6258",
            "treaty",
        ),
        ("Список документов, подписанных по итогам переговоров", "http://kremlin.ru/supplement/6274", "other"),
    ],
)
def test_document_type_reads_the_document_not_only_title_words(title, url, expected):
    assert document_type(title, url) == expected


@pytest.mark.parametrize(
    ("title", "text", "home", "doc_type", "expected"),
    [
        (
            "Joint Statement by the G7 Announcing Further Economic Costs on Russia",
            "",
            "USA",
            "joint_statement",
            ("G7", "USA"),
        ),
        ("G7 Leaders’ Statement on Ukraine", "", "USA", "joint_statement", ("G7", "USA")),
        ("Joint Statement by President Biden and President von der Leyen", "", "USA", "joint_statement", ("EU", "USA")),
        (
            "Joint Statement on U.S.-China Economic and Trade Meeting in Geneva",
            "",
            "USA",
            "joint_statement",
            ("CHN", "USA"),
        ),
        (
            "Quad Leaders’ Joint Statement",
            "We, the Leaders of Australia, India, Japan, and the United States, met today to discuss Russia.",
            "USA",
            "joint_statement",
            ("AUS", "IND", "JPN", "QUAD", "USA"),
        ),
        (
            "Joint Statement on Brazil",
            "Canada, Mexico, and the United States condemn the attacks on Brazil’s democracy.",
            "USA",
            "joint_statement",
            ("CAN", "MEX", "USA"),
        ),
        ("Russian-Chinese talks", "Vladimir Putin met the President of China.", "RUS", "news", ("RUS",)),
        (
            "Участники российско-центральноафриканских переговоров",
            "Президент Центральноафриканской Республики",
            "RUS",
            "other",
            ("RUS",),
        ),
        (
            "Agreement on trade",
            "The Parties agree.\n\nFor the Government of the Russian Federation\n\nFor the Government of Mongolia",
            "",
            "treaty",
            ("MNG", "RUS"),
        ),
        (  # the Antarctic Treaty had Antarctica as a party: a continent named in a treaty's opening signs nothing
            "The Antarctic Treaty",
            "The Governments of Argentina, Australia and Chile, recognizing that Antarctica shall be used for "
            "peaceful purposes only, have agreed as follows:",
            "",
            "treaty",
            ("ARG", "AUS", "CHL"),
        ),
    ],
)
def test_parties_are_the_makers_not_the_countries_named(title, text, home, doc_type, expected):
    assert extract_parties(title, text, home=home, doc_type=doc_type) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # wrapped prose that starts a line with "for" or "on behalf of" signs nothing
        ("We stand together, as we always have,\nfor the people of Ukraine, Europe and the world.", []),
        ("For the purposes of interpretation of this Agreement the text in the\nRussian language shall prevail.", []),
        (
            "The event was co-led by Japan\non behalf of the G7 and its partners,\nincluding Canada.",
            [],
        ),
        (
            "They will work towards an arrangement\nfor the United States with the agency, as decided at\nthe summit.",
            [],
        ),
        # signature lines: one after another, a name wrapped onto the next line, a typo in «the»
        ("for the Republic of Uganda: A. Bee, President\nfor the Republic of Kenya: C. Dee, President", ["UGA", "KEN"]),
        (
            "For the United Kingdom of Great Britain\nand Northern Ireland: (signed) A. Bee\nFor thr French Republic",
            ["GBR", "FRA"],
        ),
        (
            "Совершено в Москве.\nЗа Правительство Российской Федерации\nЗа Правительство Республики Казахстан",
            ["RUS", "KAZ"],
        ),
    ],
)
def test_signature_lines_are_told_from_prose_that_starts_with_for(text, expected):
    assert signatory_makers(text) == expected


def test_mentions_are_the_other_parties_named_with_counts():
    text = "Президент Центральноафриканской Республики. Центральноафриканская Республика и Франция. Франция."
    assert mentions_of("Беседа", text, ("RUS",)) == (("CAF", 2), ("FRA", 2))
    assert find_parties("the G8 summit") == ["G8"]
    # the Eurasian Economic Community (2000-2014) is not the Eurasian Economic Union that followed it
    assert find_parties("Договор об учреждении Евразийского экономического сообщества (ЕврАзЭС)") == ["EURASEC"]
    # a language named after a party is no mention of it (every bilingual treaty had mentioned France)
    done = "Done in duplicate in the English and French languages. France and Spain agreed; the Spanish text prevails."
    assert mentions_of("Agreement", done, ("USA",)) == (("ESP", 1), ("FRA", 1))
    assert mentions_of("Соглашение", "Совершено на русском и английском языках.", ("KAZ",)) == ()
    # an amount in US dollars, an inter-American bank, a Latin American state: no mention of the United States
    money = "A loan of US$1,000 from the Inter-American Development Bank to Latin American and Pan American bodies."
    assert mentions_of("Agreement", money, ("CHN",)) == ()


def test_country_names_in_english_and_russian():
    assert (country_name("CAF"), country_name("CAF", "ru")) == (
        "Central African Republic",
        "Центральноафриканская Республика",
    )
    assert country_name("DEU", "ru") == "Германия" and country_name("G8") == "Group of Eight"
    assert party_label("RUS") == "Russia / Россия (RUS)" and party_label("XYZ") == "XYZ"
    # former states the sources give as parties (South Yemen speaks in the UN General Debate until 1989)
    assert party_label("YMD") == "South Yemen / Южный Йемен (YMD)" and party_label("ANT").startswith("Netherlands")
    assert party_labels()["SUN"] == "Soviet Union / СССР (SUN)" and "YMD" in party_labels()


def test_no_group_code_is_a_country_code():
    """A group's acronym that is also an ISO code (NAM: Namibia and the Non-Aligned Movement) would make one
    party of two: the facet, the widening and the parties would mix them."""
    import pycountry

    from corpus.countries import FORMER, GROUPS, UNLISTED, is_state

    countries = {c.alpha_3 for c in pycountry.countries}
    assert not (set(GROUPS) | set(FORMER) | set(UNLISTED)) & countries
    codes = {e.code for e in gazetteer()} - {"-"}
    assert not (codes - countries - set(GROUPS) - set(FORMER) - set(UNLISTED))  # every code has a name
    assert is_state("XKX") and party_label("XKX") == "Kosovo / Косово (XKX)"


def test_no_name_stands_for_two_parties():
    codes: dict[str, set[str]] = {}
    for entry in gazetteer():
        codes.setdefault(entry.pattern.lower(), set()).add(entry.code)
    assert not {name: found for name, found in codes.items() if len(found) > 1}  # «Виргинские острова» was two
