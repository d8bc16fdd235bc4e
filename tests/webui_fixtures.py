"""Hand-made documents for the web UI tests (written for these tests, not taken from any site)."""

import datetime as dt

from corpus.documents import build_document

STATEMENTS = [
    (
        "Joint statement of the Russian Federation and the Kyrgyz Republic",
        2017,
        "The Sides reaffirmed their strategic partnership.\n\nThe Sides will deepen cooperation in trade.",
        "https://mid.ru/ru/foreign_policy/news/2017001/",
    ),
    (
        "Joint statement of the Russian Federation and the Kyrgyz Republic",
        2022,
        "The Sides reaffirmed their strategic partnership and alliance.\n\nThe Sides will deepen cooperation in "
        "trade and energy.\n\nThe Sides condemn terrorism.",
        "https://mid.ru/ru/foreign_policy/news/2022001/",
    ),
    (
        "Совместное заявление Российской Федерации и Республики Казахстан",
        2019,
        "Стороны подтвердили приверженность сотрудничеству.\n\nСтороны развивают сотрудничество в энергетике.",
        "https://mid.ru/ru/foreign_policy/news/2019001/",
    ),
    (
        "Joint Declaration of the United States and India",
        2021,
        "The leaders welcomed cooperation on clean energy.",
        "https://www.whitehouse.gov/briefing-room/x/",
    ),
    (
        "Treaty between Kazakhstan and Kyrgyzstan",
        2005,
        "Article 1\n\nThe Parties shall cooperate.",
        "https://example.org/treaty",
    ),
]
HOSTILE = (
    'Joint statement <script>alert("title")</script> of Russia and Kyrgyzstan',
    'The Sides agree. <script>alert("x")</script> <img src=x onerror=alert(1)> Kyrgyz cooperation.',
)


def documents():
    docs = []
    for title, year, text, url in STATEMENTS:
        doc = build_document(
            title, text, url=url, source="mid" if "mid.ru" in url else "other", home="RUS" if "mid.ru" in url else ""
        )
        docs.append(doc.replace(date=dt.date(year, 3, 5)))
    hostile = build_document(*HOSTILE, url="https://aggregator.example/hostile/", source="aggregator")
    return [*docs, hostile.replace(date=dt.date(2020, 1, 1))]
