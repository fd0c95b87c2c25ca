# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jira's three paging styles, as pure functions.

- startAt / maxResults / total (most of REST v2, e.g. search, comments)
- startAt / maxResults / isLast / values (newer and agile endpoints)
- nextPageToken / isLast (Cloud's /rest/api/3/search/jql)

The position of the next page goes where the first page's came from: the query, or, for a search
sent as POST, the JSON body.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import itertools
import json
import os
import re
import time

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import (
    ResponseError, answer_field, answer_object,
)

# Keys under which Jira puts a page's items, most specific first.
ITEMS_KEYS = ("issues", "values", "comments", "worklogs", "histories", "users", "projects", "transitions")
PAGE_MARKERS = ("startAt", "maxResults", "total", "isLast", "nextPageToken")


def items_key(page):
    """The key holding the page's items, or None when the answer is not a page."""
    if not isinstance(page, dict):
        return None
    for key in ITEMS_KEYS:
        if isinstance(page.get(key), list):
            return key
    # Otherwise only an answer that says it is a page: a single resource may hold one list too
    # (a filter's sharePermissions), and its items must not be taken for search results.
    if not any(marker in page for marker in PAGE_MARKERS):
        return None
    lists = [key for key, value in page.items()
             if isinstance(value, list) and key not in ("errorMessages", "warningMessages")]
    return lists[0] if len(lists) == 1 else None


def next_position(page, position):
    """The position (dict of startAt or nextPageToken) of the page after ``page``, or None at the end.

    ``position`` is the position ``page`` was fetched at. A startAt, total or maxResults that is not a whole number
    is a ResponseError.
    """
    key = items_key(page)
    if key is None:
        return None
    count = len(page[key])
    start, total = _whole_number(page, "startAt"), _whole_number(page, "total")
    _whole_number(page, "maxResults")
    if page.get("isLast") is True or count == 0:
        return None
    if page.get("nextPageToken"):
        return {"nextPageToken": page["nextPageToken"]}
    if "nextPageToken" in position:
        return None  # token paging ends with a page that carries no token
    if "startAt" not in page:
        return None
    following = (start or 0) + count
    if total is not None and following >= total:
        return None
    if total is None and "isLast" not in page:
        return None
    return {"startAt": following}


def _whole_number(page, key):
    """A paging number of Jira's page (None when absent); anything but a whole number is a ResponseError."""
    value = page.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    negative = isinstance(value, int) and not isinstance(value, bool)
    what = "a negative number" if negative else "a JSON %s" % _JSON_TYPES.get(type(value), "value")
    raise ResponseError("Jira's page has a %s that is not a whole number (%s); paging stopped. The endpoint does not "
                        "page the way Jira's REST API does: call it without paginate." % (key, what))


_JSON_TYPES = {str: "string", float: "number with a fraction", bool: "boolean", list: "array", dict: "object"}


def planned_positions(page, position, max_items=None, limit=None):
    """The position of every page after ``page``, lazily, when ``page`` tells them all in advance; otherwise None.

    Only startAt paging with a total does: each page holds as many items as the first one, up to the total (and at
    most ``limit`` pages). Pages fetched at these positions must still be checked against next_position, which follows
    what Jira really answered (items added or removed meanwhile change where a page ends).
    """
    key = items_key(page)
    if key is None or "total" not in page or "startAt" not in page or "nextPageToken" in position:
        return None
    if page.get("isLast") is True or page.get("nextPageToken"):
        return None
    step = len(page[key])
    if step == 0:
        return None
    start, end = _whole_number(page, "startAt") or 0, _whole_number(page, "total")
    if max_items is not None:
        end = min(end, start + max_items)
    # A generator: a total of 10^12 plans nothing ahead of what is fetched (at most concurrent_pages at a time).
    return itertools.islice(({"startAt": at} for at in range(start + step, end, step)), limit)


STUCK_HINT = "Call it without paginate, or page it yourself."
MAX_PAGES_HINT = "Raise max_pages, set max_items for a part of the answer, a larger page_size, or narrow the query."


class Progress:
    """Stops paging that would not end, or would not end soon: a page asking for a position already fetched (a
    server that ignores startAt, or repeats its nextPageToken), a page with the same items as the one before, an
    empty nextPageToken without isLast, more than ``max_pages`` pages, more than ``max_bytes`` of pages, or paging
    past ``deadline`` (a time of ``clock``). ``hint`` says what to do when a bound stops a read that does advance,
    ``stuck_hint`` when the server does not advance. ``first_size``: the bytes of the first page."""

    def __init__(self, first, position, max_pages, where, hint=MAX_PAGES_HINT, max_bytes=None, deadline=None,
                 clock=time.monotonic, stuck_hint=STUCK_HINT, first_size=0):
        self.key = items_key(first)
        self.stuck_hint = stuck_hint
        self.max_pages = max_pages
        self.where = where
        self.hint = hint
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.clock = clock
        self.pages = 1
        self.size = first_size
        self.seen = set([_position_key(position)])
        self.last_items = first.get(self.key)

    def check(self, page, following):
        """Raise ResponseError unless ``following`` (next_position of ``page``) moves on, within the bounds."""
        if following is None:
            if page.get("nextPageToken") == "" and page.get("isLast") is not True:
                self._stuck("page %d carries an empty nextPageToken and does not say isLast" % self.pages)
            return
        if _position_key(following) in self.seen:
            self._stuck("page %d asks for %s again" % (self.pages, _described(following)))
        if self.pages >= self.max_pages:
            self._bounded("after %d pages (max_pages)" % self.pages)
        if self.deadline is not None and self.clock() > self.deadline:
            self._bounded("after %d pages, at its time limit" % self.pages)
        self.seen.add(_position_key(following))

    def fetched(self, page, size=0):
        """Count ``page`` (fetched at the position check allowed, ``size`` bytes as Jira sent it) and compare its items
        with the page before."""
        self.pages += 1
        self.size += size
        items = page.get(self.key) if isinstance(page, dict) else None
        if items and items == self.last_items:
            self._stuck("page %d holds the same items as page %d" % (self.pages, self.pages - 1))
        self.last_items = items
        if self.max_bytes is not None and self.size > self.max_bytes:
            self._bounded("after %d pages, past %d bytes of answers" % (self.pages, self.max_bytes))

    def _bounded(self, when):
        raise ResponseError("Paging %s stopped %s with more to come. %s" % (self.where, when, self.hint))

    def _stuck(self, what):
        raise ResponseError("Paging %s does not advance: %s (the server ignores startAt, or repeats its "
                            "nextPageToken); stopped after %d pages. %s"
                            % (self.where, what, self.pages, self.stuck_hint))


def bounded_pages(first, position, fetch_at, progress, full=lambda: False):
    """What ``fetch_at(position)`` gives for each page after ``first`` (fetched at ``position``), in order, until the
    last page or until ``full()``: the one pager of the collection. ``fetch_at`` returns a tuple whose first member is
    the decoded page and whose last is its size in bytes; ``progress`` (a Progress) raises when paging does not advance
    or passes a bound."""
    page = first
    while not full():
        following = next_position(page, position)
        progress.check(page, following)
        if following is None:
            return
        position = following
        fetched = fetch_at(position)
        page = fetched[0]
        progress.fetched(page, fetched[-1])
        yield fetched


def _position_key(position):
    return tuple(sorted((key, str(value)) for key, value in position.items() if key in ("startAt", "nextPageToken")))


def _described(position):
    if "nextPageToken" in position:
        return "the same nextPageToken"
    return "startAt=%s" % position.get("startAt")


class MergedPages:
    """The pages of one answer merged as they arrive, under the first page's key.

    With ``as_json``, each page's items are kept as JSON text instead, and the page itself can be dropped:
    the text Jira sent when add() gets the page's ``text`` and ``spans`` (see decode_with_spans), otherwise
    the items encoded again. json_bytes() then gives the merged answer as JSON, equal to value() once decoded.
    """

    def __init__(self, first, max_items=None, as_json=False, text=None, spans=None):
        self.first = first
        self.key = items_key(first)
        self.max_items = max_items
        self.as_json = as_json
        self.count = 0
        self.pages = 0
        self._items = []
        self._texts = []
        self.add(first, text, spans)

    def add(self, page, text=None, spans=None):
        self.pages += 1
        items = page.get(self.key) or []
        complete = self.max_items is None or len(items) <= self.max_items - self.count
        if not complete:
            items = items[:max(0, self.max_items - self.count)]
        self.count += len(items)
        if not self.as_json:
            self._items.extend(items)
        elif items and complete and spans and self.key in spans:
            start, end = spans[self.key]
            self._texts.append(text[start + 1:end - 1].strip(" \t\n\r"))  # inside the brackets, as Jira wrote it
        elif items:
            self._texts.append(json.dumps(items, ensure_ascii=False)[1:-1])

    @property
    def full(self):
        return self.max_items is not None and self.count >= self.max_items

    def value(self):
        """One answer with every item (requires as_json false)."""
        return self._around(self._items)

    def json_bytes(self):
        """The merged answer as UTF-8 JSON text (requires as_json true)."""
        # The items go where a marker stands in the small rest of the answer; the marker cannot occur in
        # Jira's data (a NUL is escaped in JSON text, and the rest is random).
        marker = "\0jiraops-items-%s\0" % binascii.hexlify(os.urandom(8)).decode("ascii")
        before, after = json.dumps(self._around(marker), ensure_ascii=False).split(json.dumps(marker), 1)
        return "".join([before, "[", ", ".join(self._texts), "]", after]).encode("utf-8")

    def _around(self, items):
        merged = dict(self.first)
        merged[self.key] = items
        merged.pop("nextPageToken", None)
        if "isLast" in self.first:
            merged["isLast"] = True
        if "maxResults" in self.first:
            merged["maxResults"] = self.count
        return merged


_WHITE_SPACE = re.compile(r"[ \t\n\r]*")


def decode_with_spans(text):
    """(value, spans): ``text`` decoded as json.loads does, and for an object, {key: (start, end)} of each member's
    value in ``text``.

    It decodes member by member with json's own scanner, so it costs what json.loads costs, and a page's items
    can then be copied as Jira wrote them instead of being encoded again. Raises ValueError for invalid JSON.
    """
    decoder = json.JSONDecoder()
    index = _WHITE_SPACE.match(text).end()
    if not text.startswith("{", index):
        return decoder.decode(text), None
    value, spans = {}, {}
    index = _WHITE_SPACE.match(text, index + 1).end()
    while not text.startswith("}", index):
        if not text.startswith('"', index):
            raise ValueError("Expecting a property name at %d" % index)
        key, index = json.decoder.scanstring(text, index + 1)
        index = _WHITE_SPACE.match(text, index).end()
        if not text.startswith(":", index):
            raise ValueError("Expecting ':' at %d" % index)
        start = _WHITE_SPACE.match(text, index + 1).end()
        value[key], index = decoder.raw_decode(text, start)
        spans[key] = (start, index)
        index = _WHITE_SPACE.match(text, index).end()
        if text.startswith(",", index):
            index = _WHITE_SPACE.match(text, index + 1).end()
            if text.startswith("}", index):
                raise ValueError("Expecting a property name at %d" % index)
        elif not text.startswith("}", index):
            raise ValueError("Expecting ',' or '}' at %d" % index)
    if _WHITE_SPACE.match(text, index + 1).end() != len(text):
        raise ValueError("Extra data at %d" % (index + 1))
    return value, spans


def merge_pages(pages, max_items=None):
    """One answer with every page's items under the first page's key (at most max_items of them)."""
    merged = MergedPages(pages[0], max_items)
    for page in pages[1:]:
        merged.add(page)
    return merged.value(), merged.key


# What one lookup of a paged list (an issue's comments) may cost: far more than a real issue holds (Jira Cloud caps an
# issue at 5000 comments), yet bounded in requests, seconds and memory (the task's max_response_bytes for all pages).
LOOKUP_PAGE_SIZE = 100
LOOKUP_MAX_PAGES = 200
LOOKUP_SECONDS = 300
LOOKUP_HINT = ("The resource modules read at most %d items (%d pages of %d) within %d seconds and max_response_bytes "
               "in one lookup. Check what answers at url, or read the list with jira_request (paginate)."
               % (LOOKUP_PAGE_SIZE * LOOKUP_MAX_PAGES, LOOKUP_MAX_PAGES, LOOKUP_PAGE_SIZE, LOOKUP_SECONDS))
LOOKUP_STUCK = "Jira's REST API pages by startAt: check what answers at url."


def all_items(client, path, query, key):
    """Every item (a JSON object) of the paged list ``key`` at ``path``, through the one pager (bounded_pages):
    a server that does not advance, or a list past the LOOKUP bounds, fails the task in words naming the endpoint."""
    where = "GET %s" % path

    def fetch_at(position):
        response = client.call("GET", path, params=dict(query, maxResults=LOOKUP_PAGE_SIZE, **position))
        page = answer_object(response.json, where)
        items = answer_field(page, key, (list,), where)
        for item in items:
            answer_object(item, "%s (an item of %s)" % (where, key))
        return page, len(response.content)

    start = {"startAt": 0}
    first, size = fetch_at(start)
    progress = Progress(first, start, LOOKUP_MAX_PAGES, where, hint=LOOKUP_HINT, max_bytes=client.max_response_bytes,
                        deadline=time.monotonic() + LOOKUP_SECONDS, stuck_hint=LOOKUP_STUCK, first_size=size)
    items = list(first[key])
    for page, dummy in bounded_pages(first, start, fetch_at, progress):
        items.extend(page[key])
    return items
