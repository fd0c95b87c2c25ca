# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The raw floor of the bulk benchmark: every page of a Jira search with a plain requests.Session.

run_bench.py imports fetch_all() and times only the loop, in its own process. Run as a script
(``python bench/raw_floor.py URL USER PASSWORD JQL PAGE_SIZE``), the same fetch measures the floor
including the Python start and ``import requests``; it prints a JSON summary of what it fetched.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

import requests


def new_session(user, password):
    """A session as a minimal client would make it: Basic auth, JSON accepted."""
    session = requests.Session()
    session.auth = (user, password)
    session.headers["Accept"] = "application/json"
    return session


def fetch_all(session, url, jql, page_size):
    """(issues, pages): every issue of the search, page by page (startAt/maxResults/total), JSON-decoded."""
    issues = []
    pages = 0
    start = 0
    while True:
        response = session.get(url.rstrip("/") + "/rest/api/2/search",
                               params={"jql": jql, "maxResults": page_size, "startAt": start},
                               timeout=60)
        response.raise_for_status()
        page = response.json()
        pages += 1
        items = page.get("issues") or []
        issues.extend(items)
        start = int(page.get("startAt") or 0) + len(items)
        if not items or start >= int(page.get("total") or 0):
            return issues, pages


def summarize(issues):
    """count, unique keys, and whether the keys are exactly TEST-1..TEST-count."""
    keys = [issue.get("key") for issue in issues]
    unique = set(keys)
    expected = set("TEST-%d" % number for number in range(1, len(keys) + 1))
    return {"count": len(keys), "unique": len(unique), "exact": unique == expected}


def main(argv):
    url, user, password, jql, page_size = argv
    session = new_session(user, password)
    try:
        issues, pages = fetch_all(session, url, jql, int(page_size))
    finally:
        session.close()
    summary = summarize(issues)
    summary["pages"] = pages
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
