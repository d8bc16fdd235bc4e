"""Names of party codes in English and Russian: ISO 3166 countries (pycountry) and the groups we keep as acronyms;
and the English names of language codes (ISO 639-1, pycountry)."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

# Groups and organisations keep their acronym as code (see corpus/data/gazetteer.tsv); their names here.
GROUPS: dict[str, tuple[str, str]] = {
    "EU": ("European Union", "Европейский союз"),
    "EAEU": ("Eurasian Economic Union", "Евразийский экономический союз"),
    "EURASEC": ("Eurasian Economic Community", "Евразийское экономическое сообщество"),  # 2000–2014, before the EAEU
    "CIS": ("Commonwealth of Independent States", "Содружество Независимых Государств"),
    "SCO": ("Shanghai Cooperation Organisation", "Шанхайская организация сотрудничества"),
    "CSTO": ("Collective Security Treaty Organization", "Организация Договора о коллективной безопасности"),
    "ASEAN": ("Association of Southeast Asian Nations", "Ассоциация государств Юго-Восточной Азии"),
    "NATO": ("North Atlantic Treaty Organization", "Организация Североатлантического договора"),
    "UN": ("United Nations", "Организация Объединённых Наций"),
    "G7": ("Group of Seven", "Группа семи"),
    "G8": ("Group of Eight", "Группа восьми"),
    "G20": ("Group of Twenty", "Группа двадцати"),
    "BRICS": ("BRICS", "БРИКС"),
    "QUAD": ("Quad", "Четырёхсторонний диалог (Quad)"),
    "AU": ("African Union", "Африканский союз"),
    "GCC": ("Gulf Cooperation Council", "Совет сотрудничества арабских государств Персидского залива"),
    "EFTA": ("European Free Trade Association", "Европейская ассоциация свободной торговли"),
    "OSCE": (
        "Organization for Security and Co-operation in Europe",
        "Организация по безопасности и сотрудничеству в Европе",
    ),
    "CELAC": (
        "Community of Latin American and Caribbean States",
        "Сообщество государств Латинской Америки и Карибского бассейна",
    ),
    "APEC": ("Asia-Pacific Economic Cooperation", "Азиатско-Тихоокеанское экономическое сотрудничество"),
    "ECOWAS": ("Economic Community of West African States", "Экономическое сообщество стран Западной Африки"),
    "CARICOM": ("Caribbean Community", "Карибское сообщество"),
    "NAMV": ("Non-Aligned Movement", "Движение неприсоединения"),
    "PIF": ("Pacific Islands Forum", "Форум тихоокеанских островов"),
}
# Historical states that ISO 3166-1 no longer lists but treaties name (ISO 3166-3 codes).
FORMER: dict[str, tuple[str, str]] = {
    "SUN": ("Soviet Union", "СССР"),
    "YUG": ("Yugoslavia", "Югославия"),
    "CSK": ("Czechoslovakia", "Чехословакия"),
    "DDR": ("German Democratic Republic", "ГДР"),
    "YMD": ("South Yemen", "Южный Йемен"),  # UN General Debate speeches of 1967-1989
    "ANT": ("Netherlands Antilles", "Нидерландские Антильские острова"),  # a ToTA party until 2010
    "SCG": ("Serbia and Montenegro", "Сербия и Черногория"),
}
# States without an ISO 3166-1 code, under the user-assigned code the EU and others use for them.
UNLISTED: dict[str, tuple[str, str]] = {
    "XKX": ("Kosovo", "Косово"),
}
# Short names a reader expects where ISO's official ones are long or inverted ("Korea, Republic of").
SHORT: dict[str, tuple[str, str]] = {
    "RUS": ("Russia", "Россия"),
    "USA": ("United States", "США"),
    "GBR": ("United Kingdom", "Великобритания"),
    "KOR": ("South Korea", "Республика Корея"),
    "PRK": ("North Korea", "КНДР"),
    "IRN": ("Iran", "Иран"),
    "SYR": ("Syria", "Сирия"),
    "VNM": ("Viet Nam", "Вьетнам"),
    "LAO": ("Laos", "Лаос"),
    "MDA": ("Moldova", "Молдавия"),
    "BOL": ("Bolivia", "Боливия"),
    "VEN": ("Venezuela", "Венесуэла"),
    "TZA": ("Tanzania", "Танзания"),
    "TWN": ("Taiwan", "Тайвань"),
    "PSE": ("Palestine", "Палестина"),
    "CAF": ("Central African Republic", "Центральноафриканская Республика"),
    "CZE": ("Czechia", "Чехия"),
    "BLR": ("Belarus", "Белоруссия"),
    "KGZ": ("Kyrgyzstan", "Киргизия"),
}


@cache
def _russian() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    except OSError:  # pycountry built without its translations: English names only
        return gettext.NullTranslations()


def is_state(code: str) -> bool:
    """True for a state's code (ISO 3166-1, or a former state's ISO 3166-3), False for a group's."""
    return code in FORMER or code in UNLISTED or (len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None)


def country_name(code: str, language: str = "en") -> str:
    """The name of a party code in English ("en") or Russian ("ru"); the code itself when unknown."""
    index = 1 if language == "ru" else 0
    for table in (SHORT, GROUPS, FORMER, UNLISTED):
        if code in table:
            return table[code][index]
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _russian().gettext(country.name) if index else name


def party_label(code: str) -> str:
    """A code as a reader sees it: "Russia / Россия (RUS)"."""
    en, ru = country_name(code, "en"), country_name(code, "ru")
    if en == code:
        return code
    return f"{en} / {ru} ({code})" if ru != en else f"{en} ({code})"


def party_labels() -> dict[str, str]:
    """Every party code the gazetteer knows, with its label: for facets and lists of codes."""
    return {code: party_label(code) for code in party_codes()}


@cache
def party_codes() -> tuple[str, ...]:
    """Every party code the gazetteer knows, the former and unlisted states too, in the gazetteer's order."""
    from corpus.metadata import gazetteer  # the codes are the gazetteer's

    return tuple(dict.fromkeys([e.code for e in gazetteer() if e.code != "-"] + [*FORMER, *UNLISTED]))


@cache
def language_names() -> dict[str, str]:
    """Every ISO 639-1 language code with its English name ("hu": "Hungarian"), and "und" (undetermined)."""
    names = {lang.alpha_2: lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    return {**names, "und": "undetermined"}


def language_name(code: str) -> str:
    """A language code as a reader sees it: "Hungarian"; an unknown code as it is."""
    return language_names().get(code, code)
