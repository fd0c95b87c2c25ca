# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/rest/values.py: Retry-After, URLs with a query, a body's charset."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.rest import values

# Wed, 21 Oct 2015 07:28:00 GMT
WHEN = 1445412480


# ---------------------------------------------------------------- parse_retry_after

@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("0", 0.0),
    ("5", 5.0),
    ("120", 120.0),
    (" 7 ", 7.0),
    ("007", 7.0),
    ("", None),
    ("   ", None),
    ("soon", None),
    ("1.5", None),
    ("-3", None),
    ("5 seconds", None),
])
def test_parse_retry_after_seconds(value, expected):
    result = values.parse_retry_after(value, now=WHEN)
    assert result == expected
    if expected is not None:
        assert isinstance(result, float)


@pytest.mark.parametrize("value, now, expected", [
    ("Wed, 21 Oct 2015 07:28:00 GMT", WHEN - 30, 30.0),
    ("Wed, 21 Oct 2015 07:28:00 GMT", WHEN, 0.0),
    ("Wed, 21 Oct 2015 07:28:00 GMT", WHEN + 3600, 0.0),
    ("Wed, 21 Oct 2015 08:28:00 GMT", WHEN, 3600.0),
    ("Wed, 21 Oct 2015 09:28:00 +0200", WHEN, 0.0),
    ("Wed, 21 Oct 2015 07:28:00 +0000", WHEN - 1.5, 1.5),
    ("  Wed, 21 Oct 2015 07:28:10 GMT  ", WHEN, 10.0),
])
def test_parse_retry_after_http_date(value, now, expected):
    assert values.parse_retry_after(value, now=now) == pytest.approx(expected)


def test_parse_retry_after_date_uses_the_clock_without_now(monkeypatch):
    monkeypatch.setattr(values.time, "time", lambda: WHEN - 42)
    assert values.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == pytest.approx(42.0)


def test_parse_retry_after_superscript_digit_is_unreadable():
    # http.client decodes header bytes as latin-1, so a 0xB2 byte arrives as u'\xb2'
    assert values.parse_retry_after(u"\xb2", now=WHEN) is None


# ---------------------------------------------------------------- requoted, with_query

@pytest.mark.parametrize("url, expected", [
    ("https://jira.example.com/rest/api/2/issue/A-1", "https://jira.example.com/rest/api/2/issue/A-1"),
    ("https://jira.example.com/rest/api/2/issue/a b", "https://jira.example.com/rest/api/2/issue/a%20b"),
    ("https://jira.example.com/rest/api/2/issue/A%2F1", "https://jira.example.com/rest/api/2/issue/A%2F1"),  # kept
    (u"https://jira.example.com/p/\u00fc", "https://jira.example.com/p/%C3%BC"),
    ("https://jira.example.com/p?\r\nX: 1", "https://jira.example.com/p?%0D%0AX:%201"),
    ("https://jira.example.com/p?a=1&b=[2]~", "https://jira.example.com/p?a=1&b=[2]~"),
])
def test_requoted(url, expected):
    assert values.requoted(url) == expected


@pytest.mark.parametrize("url, params, expected", [
    ("https://j/rest/api/2/search", {"jql": "project = TEST", "maxResults": 50},
     "https://j/rest/api/2/search?jql=project+%3D+TEST&maxResults=50"),
    ("https://j/rest/api/2/search?expand=names", {"startAt": 0}, "https://j/rest/api/2/search?expand=names&startAt=0"),
    ("https://j/rest/api/2/search", {"fields": ["summary", "status"]},
     "https://j/rest/api/2/search?fields=summary&fields=status"),
    ("https://j/rest/api/2/search", {"jql": None, "validate": True}, "https://j/rest/api/2/search?validate=True"),
    ("https://j/rest/api/2/search", {"jql": None}, "https://j/rest/api/2/search"),
    ("https://j/rest/api/2/search", None, "https://j/rest/api/2/search"),
    ("https://j/a b", {}, "https://j/a%20b"),
])
def test_with_query(url, params, expected):
    assert values.with_query(url, params) == expected


# ---------------------------------------------------------------- declared_charset, decoded_text

@pytest.mark.parametrize("content_type, expected", [
    ("application/json;charset=UTF-8", "UTF-8"),
    ("text/html; charset = \"ISO-8859-1\"", "ISO-8859-1"),
    ("text/plain; CHARSET='windows-1252'; format=flowed", "windows-1252"),
    ("application/json", None),
    ("", None),
    (None, None),
])
def test_declared_charset(content_type, expected):
    assert values.declared_charset(content_type) == expected


@pytest.mark.parametrize("content, content_type, expected", [
    (u"gr\u00fc\u00df".encode("utf-8"), "application/json", (u"gr\u00fc\u00df", None)),
    (u"gr\u00fc\u00df".encode("latin-1"), "text/plain; charset=ISO-8859-1", (u"gr\u00fc\u00df", None)),
    (b"\xff ok", None, (u"\ufffd ok", None)),  # UTF-8 when none is declared, undecodable bytes replaced
])
def test_decoded_text(content, content_type, expected):
    assert values.decoded_text(content, content_type) == expected


@pytest.mark.parametrize("charset", ["no-such-charset", "hex", "idna"])
def test_decoded_text_with_a_charset_that_is_no_text_encoding_says_so(charset):
    text, problem = values.decoded_text(u"\u00fc ok".encode("utf-8"), "text/plain; charset=%s" % charset)
    assert text == u"\u00fc ok"
    assert problem == "the character set '%s', which is not a text encoding Python can read" % charset
