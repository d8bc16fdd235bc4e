"""Paging arithmetic: the pages and days a listing's own pager and calendar offer (hand-made markup)."""

import dataclasses
import datetime as dt

from bs4 import BeautifulSoup

from crawler.paging import calendar_day, decode_until, encode_until, page_number, read_calendar, read_pager
from crawler.profiles import load_profiles

PROFILES = load_profiles()
KREMLIN_LISTING = (
    '<div class="entry-content lister-page" data-url-template="/events/president/news/page/PAGE" data-pages="1198">'
    '<a class="dateblock" data-date-url="/events/president/news/by-date/DATE" data-min="1999-12-31" '
    'data-max="2020-08-28" href="#">August, 2020</a><a class="more-next" href="/events/president/news/page/3">'
    "</a></div>"
)


def test_the_last_page_and_the_calendar_come_from_the_listing_itself():
    soup = BeautifulSoup(KREMLIN_LISTING, "lxml")
    page = "http://en.kremlin.ru/events/president/news/page/2"
    pager = read_pager(soup, page, PROFILES["kremlin"])
    assert pager.last == 1198 and pager.url(7) == "http://en.kremlin.ru/events/president/news/page/7"
    assert pager.number(page) == 2 and pager.number("http://en.kremlin.ru/events/president/news") is None
    calendar = read_calendar(soup, page, PROFILES["kremlin"])
    assert (calendar.first, calendar.last) == (dt.date(1999, 12, 31), dt.date(2020, 8, 28))
    assert calendar.url(dt.date(2020, 8, 5)) == "http://en.kremlin.ru/events/president/news/by-date/05.08.2020"
    assert calendar.day("http://en.kremlin.ru/events/president/news/by-date/05.08.2020") == dt.date(2020, 8, 5)
    assert calendar.day(page) is None


def test_without_a_declared_count_the_last_page_is_the_highest_a_pager_link_names():
    mid = dataclasses.replace(PROFILES["mid"], listing={**PROFILES["mid"].listing, "pager": ""})
    html = (
        '<div class="pagination"><a href="?PAGEN_1=2">2</a><a href="?PAGEN_1=3">3</a><a href="?PAGEN_1=57">57</a></div>'
    )
    pager = read_pager(BeautifulSoup(html, "lxml"), "https://mid.ru/ru/foreign_policy/news/", mid)
    assert pager.last == 57 and pager.url(4) == "https://mid.ru/ru/foreign_policy/news/?PAGEN_1=4"
    assert read_pager(BeautifulSoup("<p>no pager</p>", "lxml"), "https://mid.ru/ru/foreign_policy/news/", mid) is None


def test_a_calendar_that_offers_no_day_and_the_frontier_encoding_of_a_paging_end():
    broken = KREMLIN_LISTING.replace('data-min="1999-12-31"', 'data-min="2021-01-01"')
    assert read_calendar(BeautifulSoup(broken, "lxml"), "http://en.kremlin.ru/", PROFILES["kremlin"]) is None
    assert calendar_day("/by-date/{date}", "%d.%m.%Y", "/by-date/31.02.2020") is None
    assert page_number("/page/{page}", "/page/12/") == 12
    assert decode_until(encode_until(1198)) == 1198 and decode_until(encode_until(dt.date(2000, 1, 1))) == dt.date(
        2000, 1, 1
    )
    assert decode_until("") is None
