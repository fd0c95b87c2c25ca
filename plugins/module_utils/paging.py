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
    lists = [key for key, value in page.items() if isinstance(value, list) and key not in ("errorMessages", "warningMessages")]
    return lists[0] if len(lists) == 1 else None


def next_position(page, position):
    """The position (dict of startAt or nextPageToken) of the page after ``page``, or None at the end.

    ``position`` is the position ``page`` was fetched at.
    """
    key = items_key(page)
    if key is None:
        return None
    count = len(page[key])
    if page.get("isLast") is True or count == 0:
        return None
    if page.get("nextPageToken"):
        return {"nextPageToken": page["nextPageToken"]}
    if "nextPageToken" in position:
        return None  # token paging ends with a page that carries no token
    if "startAt" not in page:
        return None
    following = int(page.get("startAt") or 0) + count
    if "total" in page and following >= int(page["total"]):
        return None
    if "total" not in page and "isLast" not in page:
        return None
    return {"startAt": following}


def merge_pages(pages, max_items=None):
    """One answer with every page's items under the first page's key (at most max_items of them)."""
    first = pages[0]
    key = items_key(first)
    items = []
    for page in pages:
        items.extend(page.get(key) or [])
    if max_items is not None:
        items = items[:max_items]
    merged = dict(first)
    merged[key] = items
    merged.pop("nextPageToken", None)
    if "isLast" in first:
        merged["isLast"] = True
    if "maxResults" in first:
        merged["maxResults"] = len(items)
    return merged, key
