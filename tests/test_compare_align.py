"""Alignment of two documents: unit cases, and a gold set of real statement pairs drawn by hand."""

import json
from pathlib import Path

import numpy as np
import pytest

from compare.align import (
    AlignmentError,
    Block,
    BudgetExceeded,
    Options,
    Scorer,
    align,
    content,
    normalize,
    word_diff,
)
from compare.redline import block_label
from compare.units import person, units
from corpus.clauses import segment
from corpus.importers import READERS, read_file
from corpus.model import Document

GOLD = json.loads((Path(__file__).parent / "golden" / "alignment.json").read_text("utf-8"))
BASE = [
    "The Sides reaffirmed their commitment to strategic partnership and alliance between the two countries.",
    "The Sides will deepen cooperation in trade, investment and energy within the Eurasian Economic Union.",
    "The Sides condemn terrorism in all its forms and manifestations and will counter extremism together.",
    "The Sides support the holding of regular consultations between the foreign ministries of the two states.",
    "The Sides welcome the cross Year of culture and will hold joint events to mark the anniversary.",
]


def doc(paragraphs, language="en", name="a"):
    text = "\n\n".join(paragraphs)
    return Document(
        source="test", url=f"http://x/{name}", language=language, title=name, text=text, clauses=segment(text)
    )


def kinds(alignment):
    return [(p.a, p.b, p.kind) for p in alignment.pairs]


def test_identical_documents():
    result = align(doc(BASE), doc(BASE, name="b"))
    assert kinds(result) == [((n,), (n,), "identical") for n in range(1, 6)]
    assert result.summary.kept == 1.0 and result.summary.counts["identical"] == 5


def test_reworded_added_and_removed():
    b = [
        BASE[0],
        BASE[1].replace("trade, investment and energy", "trade and energy"),
        BASE[2],
        BASE[4],
        "The Sides agreed to open a new consulate general in Osh to serve their citizens better.",
    ]
    result = align(doc(BASE), doc(b, name="b"))
    assert ((2,), (2,), "reworded") in kinds(result)
    assert ((4,), (), "removed") in kinds(result) and ((), (5,), "added") in kinds(result)
    reworded = next(p for p in result.pairs if p.kind == "reworded")
    assert ("delete", "investment", "") in reworded.diff
    assert 0 < reworded.score < 100 and 0 < reworded.shared_words < 1
    assert result.summary.counts == {
        "identical": 3,
        "reworded": 1,
        "moved": 0,
        "split": 0,
        "merged": 0,
        "formal": 0,
        "added": 1,
        "removed": 1,
    }


def test_reordered_clauses_are_moved_not_removed():
    b = [BASE[0], BASE[3], BASE[1], BASE[2], BASE[4]]
    result = align(doc(BASE), doc(b, name="b"))
    moved = [p for p in result.pairs if p.moved]
    assert [(p.a, p.b, p.kind) for p in moved] == [((4,), (2,), "moved")]
    assert not [p for p in result.pairs if p.kind in ("added", "removed")]


def test_split_and_merge():
    first, second = BASE[1].split(" within ")
    split = [BASE[0], first + ".", "Cooperation will be pursued within " + second, BASE[2]]
    result = align(doc(BASE[:3]), doc(split, name="b"))
    assert ((2,), (2, 3), "split") in kinds(result)
    merged = align(doc(split, name="b"), doc(BASE[:3]))
    assert ((2, 3), (2,), "merged") in kinds(merged)


def test_russian_case_endings_alone_are_not_a_rewording():
    a = doc(["Стороны подтвердили приверженность развитию сотрудничества в области культуры."], "ru")
    b = doc(["Стороны подтвердили приверженность развитию сотрудничеству в области культуры."], "ru", "b")
    assert kinds(align(a, b)) == [((1,), (1,), "identical")]
    assert kinds(align(a, b, Options(stems=False)))[0][2] == "reworded"


def test_case_and_punctuation_options():
    a = doc(["The Sides agree, on trade and energy cooperation in the region."])
    b = doc(["the sides agree on trade and energy cooperation in the region"], name="b")
    assert align(a, b).pairs[0].kind == "identical"
    assert align(a, b, Options(ignore_case=False, ignore_punctuation=False, stems=False)).pairs[0].kind == "reworded"


def test_empty_documents():
    empty = doc([], name="empty")
    result = align(empty, doc(BASE[:2], name="b"))
    assert [p.kind for p in result.pairs] == ["added", "added"] and result.summary.clauses_a == 0
    assert align(empty, doc([], name="e2")).pairs == ()


def test_documents_in_different_languages_are_refused_with_a_reason():
    with pytest.raises(AlignmentError, match="different languages"):
        align(doc(BASE), doc(["Стороны подтвердили приверженность сотрудничеству."], "ru", "b"))


def test_word_diff_keeps_original_words():
    assert word_diff("The Sides agree on trade.", "THE SIDES agree on trade and energy.") == (
        ("equal", "The Sides agree on trade.", "THE SIDES agree on trade"),
        ("insert", "", "and energy."),
    )
    assert word_diff("Стороны согласились.", "Стороны не согласились.") == (
        ("equal", "Стороны", "Стороны"),
        ("insert", "", "не"),
        ("equal", "согласились.", "согласились."),
    )


def load(corpus_dir, path):
    return read_file(str(corpus_dir / path), (corpus_dir / path).read_bytes(), READERS)[0]


def test_the_gold_set_is_six_real_pairs():
    assert len(GOLD) >= 6 and all(len(g["pairs"]) >= 5 for g in GOLD)


def test_alignment_precision_and_recall_on_the_gold_set(corpus_dir):
    tp = fp = fn = 0
    for entry in GOLD:
        result = align(load(corpus_dir, entry["a"]), load(corpus_dir, entry["b"]))
        ua, ub = result.units_a, result.units_b
        got = {(ua[a - 1].clause, ub[b - 1].clause) for p in result.pairs for a in p.a for b in p.b}
        want = {tuple(p) for p in entry["pairs"]}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.9


def test_different_language_versions_of_a_treaty(corpus_dir):
    raw = load(corpus_dir, "manytreaties/treaty texts/Raw/RUS-TJK[GSR]_1993A.txt")
    formatted = load(corpus_dir, "manytreaties/treaty texts/Formatted/RUS-TJK[GSR]_1993A.txt")
    assert (raw.language, formatted.language) == ("ru", "en")
    with pytest.raises(AlignmentError, match=r"different languages \(ru and en\)"):
        align(raw, formatted)


def test_each_column_shows_its_own_documents_words():
    a = doc(["THE GOVERNMENT OF THE Russian Federation and the Kyrgyz Republic agree on trade, energy and culture."])
    b = doc(["The Government of the Russian Federation and the Kyrgyz Republic agree on trade and culture."], name="b")
    result = align(a, b)
    pair = result.pairs[0]
    assert pair.kind == "reworded"
    assert " ".join(x for op, x, _ in pair.diff if x) == a.clauses[0].text
    assert " ".join(y for op, _, y in pair.diff if y) == b.clauses[0].text


def test_a_rewording_that_keeps_half_its_words_is_paired_not_removed_and_added():
    a = doc(
        [*BASE[:2], "Over the past year the group of nations has grown and built its capacity to counter ransomware."]
    )
    b = doc(
        [*BASE[:2], "Over the past year this coalition has grown and continues to build capacity against ransomware."],
        name="b",
    )
    assert ((3,), (3,), "reworded") in kinds(align(a, b))


def test_shared_common_words_alone_do_not_pair_unrelated_clauses():
    common = "The Parties shall cooperate in accordance with this Agreement and their national laws on"
    a = doc([BASE[0], f"{common} public procurement of goods and services by central government entities."])
    b = doc([BASE[0], f"{common} the protection of migratory birds and their habitats along the coast."], name="b")
    everywhere = {stem: 8_000 for stem in normalize(f"{common} {BASE[0]} and their of by", Options())}
    result = align(a, b, frequencies=(10_000, everywhere))
    assert ((2,), (), "removed") in kinds(result) and ((), (2,), "added") in kinds(result)


def test_a_paragraph_moved_and_rewritten_around_a_sentence_it_kept_is_paired():
    kept = "The customs data exchange platform will open to every member state by the end of next year."
    a = doc(
        [
            *BASE[:4],
            "The ministers met in Geneva to review the work of the past twelve months. They welcomed the progress "
            f"made by the working groups on standards and on training. {kept}",
        ]
    )
    b = doc(
        [
            "Its funding comes from a trust fund that donors replenish every autumn. A board of five oversees the "
            "budget and the hiring of staff, and reports twice a year to the plenary. Observers from three regional "
            f"banks attend its meetings. {kept}",
            *BASE[:4],
        ],
        name="b",
    )
    only_the_move_bar = Options(mutual_min=1.0)  # no mutual-best rescue: the move bar alone decides
    assert ((5,), (1,), "moved") in kinds(align(a, b, only_the_move_bar))
    assert ((5,), (), "removed") in kinds(align(a, b, Options(mutual_min=1.0, sentence_weight=0.0)))


def test_a_block_moved_to_the_front_is_reported_as_one_block():
    extra = [f"The Sides noted item {n} of the joint programme on {topic}." for n, topic in enumerate("abcdef")]
    moved = [
        "The Sides agreed to hold consultations on cybersecurity and on the security of information technologies.",
        "The Sides agreed to expand direct flights between their capitals and to simplify visa procedures for youth.",
        "The Sides agreed to jointly develop the deposits of rare earth metals in the eastern region of the country.",
    ]
    result = align(doc(BASE + extra + moved), doc([*moved, *BASE], name="b"))
    assert [p.kind for p in result.pairs[:3]] == ["moved"] * 3
    (block,) = result.summary.moved_blocks
    assert block.a == (12, 14) and block.b == (1, 3) and block.where == "to the front" and block.size == 3
    assert block.units_a == (12, 13, 14) and block_label(block, result) == "12–14"


def test_a_moved_merge_of_clauses_that_are_not_neighbours_is_named_by_each():
    """CRI 2023 against 2024 showed "A 4–19 moved to the end" for A 4 and A 19 merged into one clause."""
    block = Block((4, 19), (9, 9), 2, "to the end", (4, 19))
    result = align(doc([f"The Sides noted item {n}." for n in range(20)]), doc(BASE, name="b"))
    assert block_label(block, result) == "4, 19"


def test_a_merge_of_clauses_that_are_not_neighbours():
    a = doc(
        [
            "The Sides will deepen cooperation in trade and investment between the two countries.",
            BASE[2],
            "The Sides will expand cooperation in energy, including nuclear energy and renewable sources.",
        ]
    )
    merged = (
        "The Sides will deepen cooperation in trade and investment between the two countries and will expand "
        "cooperation in energy, including nuclear energy and renewable sources."
    )
    result = align(a, doc([merged, BASE[2]], name="b"))
    assert ((1, 3), (1,), "merged") in kinds(result)


def test_a_paragraph_merged_into_a_longer_one_joins_it_by_the_sentence_it_kept():
    a = doc(
        [
            BASE[0],
            "The Parties will establish a joint commission on hydrology to monitor the shared river basin.",
            BASE[3],
            "The Parties will fund scholarships for engineering students from rural districts. "
            "A joint fund for glacier research shall be created in Almaty. "
            "Each Party will appoint a coordinator for the scholarship programme at its universities.",
        ]
    )
    longer = (
        "The Parties will establish a joint commission on hydrology to monitor the shared river basin. It will "
        "publish yearly reports on water levels, sediment and pollution, and advise both ministries on irrigation "
        "quotas, flood warnings and dam safety. A fund for research on glaciers will also be set up in Almaty."
    )
    b = doc([BASE[0], longer, BASE[3]], name="b")
    assert ((2, 4), (2,), "merged") in kinds(align(a, b))
    # the glacier sentences are each other's one best: they tie the two paragraphs even without the sentence join
    assert ((2, 4), (2,), "merged") in kinds(align(a, b, Options(part_sentence=1.1)))
    # too little of the scholarships paragraph is in the longer one for a join by its words as a whole
    assert ((4,), (), "removed") in kinds(align(a, b, Options(part_sentence=1.1, sentence_link=1.1)))


def test_two_leftover_paragraphs_tied_by_a_sentence_each_other_best_are_paired():
    a = doc(
        [
            *BASE[:4],
            "The ministers met in Geneva to review the work of the past twelve months. They welcomed the progress "
            "made by the working groups on standards and on training. The customs data exchange platform will open "
            "to every member state by the end of next year.",
        ]
    )
    b = doc(
        [
            "Its funding comes from a trust fund that donors replenish every autumn. A board of five oversees the "
            "budget and the hiring of staff, and reports twice a year to the plenary. Member states will be able to "
            "use the new customs data service from next year.",
            *BASE[:4],
        ],
        name="b",
    )
    no_rescue = Options(mutual_min=1.0)  # too weak for the move bar, and no mutual-best rescue: the sentence decides
    assert ((5,), (1,), "moved") in kinds(align(a, b, no_rescue))
    assert ((5,), (), "removed") in kinds(align(a, b, Options(mutual_min=1.0, sentence_link=1.1)))


def scorer_of(texts: tuple[list[str], list[str]]) -> Scorer:
    """A scorer of two lists of unit texts, every stem weighing the same."""
    words = [[normalize(t, Options()) for t in side] for side in texts]
    return Scorer(words[0], words[1], lambda _: 1.0, Options(), texts)


def test_a_clause_placed_by_a_sentence_does_not_place_another():
    texts = (["Wheat exports grew. Rail tariffs fell."], ["Wheat exports grew fast.", "Rail tariffs fell again."])
    scorer = scorer_of(texts)
    scorer.kin = np.ones((1, 2), bool)
    assert scorer.sentence_links() == [(0, 1), (0, 0)]  # the strongest tie first ("again" is a stop word)
    groups = [((0,), (0,))]
    assert scorer._link(groups, 0, 1, set()) == [((0,), (0, 1))]
    assert scorer._link(groups, 0, 1, {(0, 0)}) == groups  # A 1 was itself joined by a sentence: no second tie
    placed: set[tuple[int, int]] = set()
    assert scorer._link([], 0, 0, placed) == [((0,), (0,))] and placed == {(0, 0), (1, 0)}


def test_units_sharing_one_word_are_not_paired_for_being_each_other_best():
    # one shared word makes these two list items each other's best: too little for a counterpart
    a = doc(["Studies of ways to improve the technology of coal mining;", *BASE])
    b = doc([*BASE, "Energy saving technologies;"], name="b")
    assert ((1,), (6,), "moved") in kinds(align(a, b, Options(mutual_shared=0)))
    result = kinds(align(a, b))
    assert ((1,), (), "removed") in result and ((), (6,), "added") in result


def test_a_fragment_of_stop_words_after_a_semicolon_is_no_sentence():
    # list items ending "; and" once shared a whole sentence, "and", and scored as if they had a sentence in common
    a = doc([*BASE, "Disrupt the smuggling of cultural property across the northern border; and"])
    b = doc([*BASE, "Encourage the reporting of wildlife trafficking to the police; and"], name="b")
    result = align(a, b)
    assert ((6,), (), "removed") in kinds(result) and ((), (6,), "added") in kinds(result)
    texts = ([a.clauses[-1].text], [b.clauses[-1].text])
    scorer = scorer_of(texts)
    assert scorer.sentence_dice[0, 0] < 0.2


def test_a_weak_pair_whose_units_each_have_a_better_counterpart_is_not_made():
    line = "The Parties will build a railway line from the port of Aktau to the border crossing at Khorgos by 2030"
    a = doc(
        [
            BASE[0],
            f"{line}, for grain and containers cleared by customs.",
            "The railway line from the port of Aktau will carry grain and containers powered by solar farms.",
            BASE[4],
        ]
    )
    b = doc(
        [
            BASE[0],
            f"{line}, for grain and containers cleared by customs.",
            "Grain and containers will be "
            "cleared by customs at the border crossing at Khorgos with scanners fed by solar farms.",
            BASE[4],
        ],
        name="b",
    )
    # the third clauses share enough to pass the bar in order, but each is nearer the second clause of the other
    found = kinds(align(a, b))
    assert ((3,), (), "removed") in found and ((), (3,), "added") in found


def test_bullet_items_joined_into_one_clause_are_aligned_one_by_one():
    items = [
        f"- The Sides will {verb} cooperation on {topic} within the framework of the programme of the two "
        "ministries for the years to come"
        for verb, topic in (
            ("deepen", "energy"),
            ("expand", "health care"),
            ("strengthen", "education"),
            ("renew", "transport"),
        )
    ]
    lead = "The Sides agreed on the following steps for the coming years, which they will report on every year:"
    a = doc([" ".join([lead, *items])])
    b = doc([" ".join([lead, items[0], items[2], items[3]])], name="b")
    result = align(a, b)
    assert len(result.units_a) == 5 and {u.clause for u in result.units_a} == {1}
    assert ((3,), (), "removed") in kinds(result)
    assert [p.kind for p in result.pairs].count("identical") == 4


def test_a_pair_of_dashes_is_an_aside_not_a_list():
    aside = (
        "The Cabinet of Ministers – the Government of the Republic and the Government of the Federation, "
        "hereinafter the Parties – striving to develop trade and economic cooperation between the two states on "
        "the basis of equality and mutual benefit, guided by the wish to create favourable conditions for trade "
        "in goods and services, and seeking to bring their customs rules and the levels of their duties closer "
        "to each other over the years to come, have agreed as follows, in the interest of both peoples."
    )
    assert len(units(doc([aside]))) == 1
    listed = aside.replace(", guided", " – guided").replace(", and seeking", " – seeking")
    assert len(units(doc([listed]))) == 5


def test_an_entry_of_a_list_of_people_pairs_only_with_the_same_person():
    lead = "Президент провёл совещание с постоянными членами Совета Безопасности, в нём приняли участие:"
    same = [
        "ВАЙНО Антон Эдуардович – Руководитель Администрации Президента Российской Федерации",
        "ЛАВРОВ Сергей Викторович – Министр иностранных дел Российской Федерации",
    ]
    gone = "КОЗЛОВ Александр Александрович – Министр природных ресурсов Российской Федерации"
    a = doc([lead, " ".join([*same, gone])])
    other = "КОЛОКОЛЬЦЕВ Владимир Александрович – Министр внутренних дел Российской Федерации"
    result = align(a, doc([lead, " ".join([*same, other])], name="b"))
    assert [u.person for u in result.units_a] == ["", "ВАЙНО", "ЛАВРОВ", "КОЗЛОВ"]
    assert person("СНГ Стороны подтвердили приверженность Уставу") == ""  # an abbreviation, not a surname
    assert ((4,), (), "removed") in kinds(result) and ((), (4,), "added") in kinds(result)
    new_post = "КОЗЛОВ Александр Александрович – помощник Президента Российской Федерации"
    assert ((4,), (4,), "reworded") in kinds(align(a, doc([lead, " ".join([*same, new_post])], name="c")))


def test_stop_words_and_item_numbers_carry_no_weight_in_shared_stems():
    options = Options()
    item = normalize("б) техническое сотрудничество в газовой промышленности", options)
    assert content(item, options) == {"технический", "сотрудничество", "газовый", "промышленность"}
    assert content(normalize("(iii) The Parties and the Commission", options), options) == {"parti", "commiss"}
    assert content(normalize("1. Of the", options), options) == {"1", "of", "the"}  # nothing else: all kept
    assert "2030" in content(normalize("2030 Agenda", options), options)  # a year opening a clause is no number
    assert "в" in content(item, Options(stop_words=False))


def test_formal_parts_align_with_each_other_only():
    a = doc([BASE[0], BASE[1], "Done at Moscow on 12 May 2019 in two copies, in Russian and English."])
    b = doc(
        [BASE[0], BASE[1], "Done at Bishkek on 3 June 2022 in two originals, each in Kyrgyz and Russian."], name="b"
    )
    result = align(a, b)
    assert ((3,), (3,), "formal") in kinds(result)
    assert result.units_a[2].formal and not result.units_a[0].formal


def test_weak_pairs_are_marked_and_counted():
    a = doc([BASE[0], "The Sides will consider opening a trade mission in Osh to support small firms in the south."])
    b = doc(
        [BASE[0], "The Sides will open a trade house in Osh for small and medium firms of the southern regions."],
        name="b",
    )
    result = align(a, b)
    pair = result.pairs[1]
    assert pair.a == (2,) and pair.b == (2,) and pair.confidence == "weak"
    assert result.pairs[0].confidence == "strong" and result.summary.weak == 1


def test_a_leftover_joins_a_pair_by_two_shared_stems_at_least():
    """A 1,500-clause treaty's "government procurement; or" joined a statement's clause on reporting incidents "to
    relevant government authorities" by "government" alone."""
    a = doc(
        [
            "The parties shall cooperate on customs valuation of imported goods under the agreement.",
            "contact information of relevant competent authorities;",
            "government procurement; or",
            "Each Party shall publish its laws on customs procedures promptly.",
        ]
    )
    b = doc(["Encouraging reporting of ransomware incidents to relevant government authorities; and"], name="b")
    assert ((2, 3), (1,), "merged") in kinds(align(a, b, Options(part_shared=1)))
    assert [p.a for p in align(a, b).pairs if p.b] == [(2,)]


def test_two_leftovers_tied_by_a_sentence_are_a_pair_only_from_link_min():
    """A 19-clause statement against a 1,500-clause treaty: "be capable of identification when imported and
    exported;" was tied by its one sentence to a clause it shares nothing else with, at score 0.13."""
    texts = (
        ["Goods shall be capable of identification when imported and exported; quotas follow the annexes."],
        ["Ransomware actors are capable of identification when funds are exported to mixers and wallets."],
    )
    for link_min, paired in ((0.0, True), (0.9, False)):
        options = Options(link_min=link_min)
        na, nb = ([normalize(t, options) for t in side] for side in texts)
        scorer = Scorer(na, nb, lambda stem: 1.0, options, texts)
        scorer.kin = np.ones((1, 1), dtype=bool)
        assert (scorer._link([], 0, 0, set()) == [((0,), (0,))]) is paired
        assert scorer.group_score((0,), (0,))[0] < 0.9


def test_the_summary_explains_every_threshold():
    options = Options()
    for value in (
        options.pair_min,
        options.move_min,
        options.strong,
        options.shared_min,
        options.part_gain,
        options.link_min,
    ):
        assert f"{value:g}" in align(doc(BASE), doc(BASE, name="b")).summary.method


def test_the_budget_cuts_long_documents_and_says_so():
    result = align(doc(BASE), doc(BASE, name="b"), Options(max_units=3))
    assert len(result.units_a) == 3 and result.summary.clauses_a == 3
    assert result.summary.cut == (
        "only the first 3 of 5 clauses of A were compared; only the first 3 of 5 clauses of B were compared"
    )
    with pytest.raises(BudgetExceeded, match="longer than its limit of 0 s"):
        align(doc(BASE), doc(BASE, name="b"), Options(time_limit=0))


def test_index_frequencies_weigh_rare_stems(tmp_path):
    from compare.align import corpus_frequencies

    class Index:
        def document_frequencies(self, words):
            return 100, {w: (90 if w in ("the", "sides") else 1) for w in words}

    total, df = corpus_frequencies(Index(), Options(), doc(BASE))
    assert total == 100 and df["side"] == 90 and df["terror"] == 1
