from corpus.clauses import is_boilerplate, plain, segment, split_paragraphs


def test_paragraphs_become_numbered_clauses_and_noise_is_dropped():
    text = (
        "Wednesday, April 24\n\nJoint statement of A and B\n\nGoogle+ Pinterest LinkedIn Tumblr +\n\n"
        "First paragraph of the text.\n\nSecond paragraph\nwrapped over two lines.\n\n"
        "Source: https://www.mid.ru/ru/foreign_policy/news/1803158/\n\nShare.\n\nLeave A Reply"
    )
    clauses = segment(text, title="Joint statement of A and B")
    assert [c.text for c in clauses] == ["First paragraph of the text.", "Second paragraph wrapped over two lines."]
    assert [c.number for c in clauses] == [1, 2]


def test_numbering_seen_in_the_original_is_kept_as_label():
    text = "Preamble.\n\n1\\. The Sides agree.\n\n2. They note.\n(a) a sub-item\n\n3) Third."
    clauses = segment(text.replace("\\.", "."))
    assert [(c.number, c.label) for c in clauses] == [(1, ""), (2, "1"), (3, "2"), (4, "(a)"), (5, "3")]
    assert clauses[1].text == "The Sides agree."


def test_article_headings_label_the_following_paragraph():
    clauses = segment("Article 1\nThe Parties shall cooperate.\n\nСтатья 2\n\nСтороны сотрудничают.")
    assert [(c.label, c.text) for c in clauses] == [
        ("Article 1", "The Parties shall cooperate."),
        ("Статья 2", "Стороны сотрудничают."),
    ]


def test_a_sentence_starting_with_article_is_not_a_heading():
    (clause,) = segment("Article 5 of the Treaty provides otherwise.")
    assert clause.label == "" and clause.text.startswith("Article 5 of")


def test_markdown_headings_become_the_heading_of_the_clauses_below():
    clauses = segment("## Security\n\nWe agree.\n\n**Trade**\n\nWe trade.\n\n###")
    assert [(c.heading, c.text) for c in clauses] == [("Security", "We agree."), ("Trade", "We trade.")]


def test_a_treaty_flattened_onto_one_line_is_cut_at_each_article():
    body = " ".join(f"ARTICLE {n} The Parties shall do thing number {n}. " + "More words. " * 60 for n in (1, 2, 3))
    clauses = segment("AGREEMENT BETWEEN A AND B " + body)
    assert [c.label for c in clauses] == ["ARTICLE 1", "ARTICLE 2", "ARTICLE 3"]
    assert {c.heading for c in clauses} == {"AGREEMENT BETWEEN A AND B"}  # the title line heads the articles


def test_single_newline_texts_split_per_line():
    assert split_paragraphs("one\ntwo\nthree") == ["one", "two", "three"]


def test_boilerplate_lines():
    for line in (
        "Share.",
        "Leave A Reply",
        "Source: https://x.org/a",
        "Источник: https://mid.ru/1",
        "###",
        "Назад к оглавлению",
        "1345-28-06-2022",
        "05.03.2022 15:37",
        "Facebook Twitter",
    ):
        assert is_boilerplate(line), line
    assert not is_boilerplate("The Sides share the view that peace matters.")


def test_markdown_emphasis_and_links_are_rendered_as_plain_text():
    (clause,) = segment("The **Sides** welcome the *new* [agreement](https://example.org/a) and __its__ aims.")
    assert clause.text == "The Sides welcome the new agreement and its aims."
    assert plain("*TRADE: * The leaders agree.") == "TRADE: The leaders agree."


def test_plain_headings_head_the_clauses_below_and_are_not_clauses():
    text = "Economic Security\n\nThe leaders agree to work together on supply chains.\n\nThey meet again next year."
    clauses = segment(text)
    assert [(c.heading, c.text[:10]) for c in clauses] == [
        ("Economic Security", "The leader"),
        ("Economic Security", "They meet "),
    ]


def test_every_bullet_is_a_clause_also_without_blank_lines():
    text = (
        "The Sides agreed to:\n- expand trade;\n- build roads;\n* open consulates.\n\n1. First point.\n2. Second point."
    )
    clauses = segment(text)
    assert [c.text for c in clauses] == [
        "The Sides agreed to:",
        "expand trade;",
        "build roads;",
        "open consulates.",
        "First point.",
        "Second point.",
    ]


def test_places_dates_and_signatures_are_formal_clauses():
    text = (
        "The Parties shall cooperate.\n\nDone at Moscow on 12 July 1994 in two copies.\n\n"
        "For the Government of the Russian Federation\n\nFor the Government of Mongolia"
    )
    assert [c.kind for c in segment(text)] == ["content", "formal", "formal", "formal"]
    assert all(c.is_content for c in segment("The Parties shall cooperate.\n\nThey agree on the following."))


def test_a_date_glued_to_the_first_paragraph_becomes_a_formal_clause_of_its_own():
    clauses = segment("13 марта 2025 года По приглашению Президента Российской Федерации состоялся визит.")
    assert [(c.kind, c.text) for c in clauses] == [
        ("formal", "13 марта 2025 года"),
        ("content", "По приглашению Президента Российской Федерации состоялся визит."),
    ]


def test_transcript_cut_markers_are_dropped():
    assert [c.text for c in segment("В.Путин: Добрый день.\n\n‹…›\n\nСпасибо.\n\n<…>")] == [
        "В.Путин: Добрый день.",
        "Спасибо.",
    ]


# Clauses of over 1,000 words (issue 12): each class found in the corpus, on hand-written text of its shape

WRAPPED_SPEECH = """May I first congratulate you, Sir, on your election
to the presidency of this session of the Assembly,
and assure you of the co-operation of my delegation
in the work that lies ahead of all of us here, in
a year of new hopes.
The past year has seen new hopes and old dangers
in every region of the world, and the Organization
has been called upon to act as never before, in
the Middle East, in southern Africa, in Asia and
in the Americas, where conflicts still go on and
where the peoples ask of us more than words.
Our delegation will speak today of three matters,
disarmament, development and the rights of peoples
to decide their own future without interference.
"""


def test_a_hard_wrapped_speech_is_cut_at_its_short_sentence_final_lines():
    """UN speeches are wrapped at ~50 characters with no blank lines; a paragraph ends on a line that the next
    line's first word would have fitted on. A blank line at the end must not join them all into one."""
    for text in (WRAPPED_SPEECH, WRAPPED_SPEECH + "\n\n"):
        assert [c.text.split()[:3] for c in segment(text)] == [
            ["May", "I", "first"],
            ["The", "past", "year"],
            ["Our", "delegation", "will"],
        ]


WRAPPED_TREATY = """\
СОГЛАШЕНИЕ
между Правительством Первой Республики и
Правительством Второй Республики о сотрудничестве
Правительство Первой Республики и Правительство Второй
Республики, именуемые в дальнейшем Сторонами,
стремясь к дальнейшему расширению и укреплению
экономического сотрудничества между обеими странами,
учитывая заинтересованность обеих стран,
договорились о нижеследующем:
Статья 1
Стороны осуществляют сотрудничество в области водного
хозяйства, рыболовства, охраны окружающей среды,
на основе равенства и взаимной выгоды.
Статья 2
Стороны назначают уполномоченные органы, которые
ежегодно проводят консультации и обмениваются
информацией о ходе выполнения настоящего Соглашения.
"""


def test_a_treaty_typed_with_short_heading_lines_is_cut_at_its_articles_not_at_each_line():
    """manytreaties' Raw texts are typed at 60-100 characters, with «Статья 1» and title lines among them, so
    fewer of their lines are full, and many end in a comma; their lines go on in lower case on the next
    (AFG-RUS 1958 had 64 clauses, one a line, where it has 12; the 1935 locust agreement 93 where it has 32)."""
    clauses = segment(WRAPPED_TREATY)
    assert [c.label for c in clauses][-2:] == ["Статья 1", "Статья 2"]
    assert clauses[-2].text.startswith("Стороны осуществляют") and clauses[-2].text.endswith("взаимной выгоды.")
    assert len(clauses) <= 5


def test_lines_that_each_end_a_sentence_are_paragraphs_also_in_a_block():
    """A list or a speech with one paragraph a line and a single blank line in it: not two clauses of all lines;
    a short block's lines stay one paragraph."""
    lines = [f"Point {n} of the programme is set out here in a sentence of its own." for n in range(1, 17)]
    second = [*lines[8:11], lines[11][:-1] + ",", "wrapped onto a line of its own.", *lines[12:]]
    text = "\n".join(lines[:8]) + "\n\n" + "\n".join(second) + "\n\nA short block by Donald J.\nTrump, wrapped."
    clauses = [c.text for c in segment(text)]
    assert clauses[:11] == lines[:11] and clauses[11] == lines[11][:-1] + ", wrapped onto a line of its own."
    assert clauses[12:] == [*lines[12:], "A short block by Donald J. Trump, wrapped."]


def test_a_markdown_list_item_wrapped_in_a_long_block_stays_one_clause():
    """A list of items with no blank lines between them, each wrapped onto lines indented under its dash, is a
    long block read as hard-wrapped text: a sentence that ends on a short line inside an item does not end it."""
    item = [
        "-   We deplore that many islands were hurt by the storms.",
        "    The harbours were closed for weeks, and the ferries that link the",
        "    islands to the mainland stopped running for most of the winter.",
    ]
    others = [
        [
            f"-   Item {n} of the list says what the Parties will do over the coming",
            "    year together with their partners and the relevant organisations",
            "    of the region, in a sentence that is wrapped over three lines.",
        ]
        for n in range(1, 12)
    ]
    block = [*others[0], *item, *(line for lines in others[1:] for line in lines)]
    clauses = [c.text for c in segment("An opening paragraph of the statement.\n\n" + "\n".join(block))]
    assert len(clauses) == 13
    assert clauses[2].startswith("We deplore") and clauses[2].endswith("most of the winter.")


def test_a_lower_case_treaty_on_one_line_is_cut_at_its_capital_article_headings():
    """manytreaties' Raw texts: a whole treaty in lower case on one line, only ARTICLE N in capitals."""
    preamble = "convention on liability source: the governments of a and b, considering " + "that things matter, " * 120
    text = (
        f"{preamble}have agreed as follows: ARTICLE 1 for the purposes of this convention: a. an incident means"
        " an occurrence pursuant to article 4 of the protocol. ARTICLE 2a. the operator shall be liable."
        " ARTICLE III nothing in this convention affects the rights of a party."
        " ARTICLE ivsettlement of disputes1. disputes shall be settled. ANNEX 1 list of states"
    )
    clauses = segment(text)
    assert [(c.label, c.text.split()[:2]) for c in clauses] == [
        ("", ["convention", "on"]),
        ("ARTICLE 1", ["for", "the"]),
        ("ARTICLE 2", ["a.", "the"]),
        ("ARTICLE III", ["nothing", "in"]),
        ("ARTICLE iv", ["settlement", "of"]),  # its number in lower case, glued to its title
        ("", ["ANNEX", "1"]),
    ]


def test_without_reflow_paragraphs_are_found_as_the_first_imports_found_them():
    """An importer taking a text's title from its first paragraph must keep the same body on a re-import."""
    lines = WRAPPED_SPEECH.strip().split("\n")
    assert split_paragraphs(WRAPPED_SPEECH, reflow=False) == lines
    assert len(split_paragraphs(WRAPPED_SPEECH)) == 3


def test_a_long_wrapped_block_is_cut_too_but_not_after_an_abbreviation():
    """A speech with one blank line in it is blocks of wrapped lines: a block of 30 lines or more is no one
    paragraph. A line ending "U.S." is no paragraph's end, whatever fits after it."""
    speech = WRAPPED_SPEECH.strip().replace("where the peoples ask of us", "where the U.S.\nand others ask of us")
    text = "\n".join([speech] * 3) + "\n\nThank you."
    clauses = [c.text for c in segment(text)]
    assert len(clauses) == 8 and clauses[-1] == "Thank you."  # a full last line runs on into the next speech
    assert all("U.S. and others" in c for c in clauses if "U.S." in c)
