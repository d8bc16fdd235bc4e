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
