from corpus.clauses import is_boilerplate, segment, split_paragraphs


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
    assert [c.label for c in clauses] == ["", "ARTICLE 1", "ARTICLE 2", "ARTICLE 3"]


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
