# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""jira_request's reads: the first answer and, when paged, every page after it; where each page is asked for, and
what the read reports.

- The page size: the task's page_size, else a maxResults the task put in params or body, else the largest page the
  endpoint family allows (below). Paging then follows what Jira sent, never what was asked for.
- The pages after the first, in order, up to concurrent_pages of them requested at once when the first page tells
  where every later page starts.
- A Tally of pages, items, bytes and seconds; on the controller path, a progress line now and then while a long read
  runs (a module returns only once, so there is nobody to tell on the module path).
- A warning when the answer is too large to go through Ansible's result comfortably.

The page size asked for when the task gives none: the largest page each endpoint family allows.

Jira's own default is 50 items a page, which makes a bulk read take several times longer than it needs to. Jira
caps every page at what the endpoint allows and says in each page how many it sent, so asking for more than an
endpoint gives is harmless: paging follows what Jira sent, never what was asked for.

family (paths): maxResults asked for, and why
- search, Data Center (/rest/api/2/search, /rest/api/latest/search): 1000, Jira's jira.search.views.default.max
  (1000 unless an administrator changed it).
- search/jql, Cloud (/rest/api/3/search/jql) asking for no fields, or for id and key only: 5000, the maximum Atlassian
  documents for ids and keys.
- search/jql asking for other fields: 100. Jira trims pages of whole issues (to 100, as seen); asking for more would
  only allow larger pages.
- agile issue lists (/rest/agile/1.0/.../issue, .../backlog): 1000, bounded by jira.search.views.default.max like
  search.
- other agile lists (/rest/agile/1.0/...: boards, sprints, epics): 50, Jira Software's cap.
- comments and worklogs (/rest/api/N/issue/KEY/comment, .../worklog): 5000, never a smaller page than Jira's own
  default (Data Center sends every comment of an issue unless asked for fewer, JRASERVER-74572; Cloud caps them itself).
- anything else: 100, twice Jira's usual default of 50; an endpoint that allows less caps it, and paging follows.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible_collections.jiraops.jira.plugins.module_utils.rest import pager

# A progress line every PROGRESS_PAGES pages, or when PROGRESS_SECONDS passed since the last line, whichever comes
# first.
PROGRESS_PAGES = 20
PROGRESS_SECONDS = 5.0
# Above these, a result without dest gets a warning naming dest and fields.
LARGE_ITEMS = 10000
LARGE_BYTES = 10 * 1000 * 1000

SEARCH = 1000
JQL_SEARCH_IDS = 5000
JQL_SEARCH_FIELDS = 100
AGILE_ISSUES = 1000
AGILE = 50
COMMENTS_AND_WORKLOGS = 5000
FALLBACK = 100

# What Cloud's search/jql returns most of a page for: the issue's id, or its key too.
_IDS_ONLY = frozenset(("id", "key"))

# (family, the end of the path, size) in the order they are tried; the first that matches decides.
_FAMILIES = (
    ("search/jql", re.compile(r"/rest/api/[^/]+/search/jql/?$"), None),  # the size depends on fields: see below
    ("search", re.compile(r"/rest/api/[^/]+/search/?$"), SEARCH),
    ("agile issue list", re.compile(r"/rest/agile/[^/]+/.+/(issue|backlog)/?$"), AGILE_ISSUES),
    ("agile", re.compile(r"/rest/agile/"), AGILE),
    ("comments", re.compile(r"/rest/api/[^/]+/issue/[^/]+/comment/?$"), COMMENTS_AND_WORKLOGS),
    ("worklogs", re.compile(r"/rest/api/[^/]+/issue/[^/]+/worklog/?$"), COMMENTS_AND_WORKLOGS),
)


def pages_in_body(call, body):
    """A search sent as POST carries its position in the JSON body; everything else in the query."""
    return call.method == "POST" and isinstance(body, dict)


def position_of(call, body, params):
    """The position (startAt, nextPageToken) the call asks for, read where at_position puts it."""
    where = body if pages_in_body(call, body) else params
    return dict((k, v) for k, v in (where or {}).items() if k in ("startAt", "nextPageToken"))


def at_position(call, body, params, position):
    """(body, params) asking for the page at ``position`` (and, when it holds one, for its maxResults)."""
    in_body = pages_in_body(call, body)
    moved = dict(body if in_body else params)
    moved.pop("startAt", None)
    moved.pop("nextPageToken", None)
    moved.update(position)
    return (moved, params) if in_body else (body, moved)


def with_page_size(call, body, params):
    """(body, params) of the first page of a paged read, with the maxResults to ask for.

    The task's page_size wins; a maxResults the task put in params or body is its own choice and stays; otherwise
    the endpoint family's largest page (default_page_size). The position the task asked for is kept.
    """
    where = body if pages_in_body(call, body) else params
    if call.page_size is None and "maxResults" in (where or {}):
        return body, params
    size = call.page_size or default_page_size(call.path, (where or {}).get("fields"))[1]
    position = position_of(call, body, params)
    position["maxResults"] = size
    return at_position(call, body, params, position)


class PagedRead:
    """One read of jira_request (a GET, or a search sent as POST): the first answer and, when the task pages and the
    answer is a page of items, every page after it merged. It sends every page itself, with the task's client."""

    def __init__(self, client, call, progress=None):
        """``call``: the validated request/inputs.Call; ``progress``: the task context's progress (None: nowhere)."""
        self.client = client
        self.call = call
        self.tally = Tally("%s %s" % (call.method, call.path), progress)

    def read(self):
        """(first answer, merged pages or None when the answer is not paged)."""
        call = self.call
        body, params = call.body, dict(call.params)
        if call.paginate:
            body, params = with_page_size(call, body, params)
        response = self._send(body, params)
        first, text, spans = self._decoded(response)
        if not call.paginate or pager.items_key(first) is None:
            return response, None
        # With dest, each page's items are kept as the JSON text Jira sent, and the page is dropped.
        merged = pager.MergedPages(first, call.max_items, as_json=bool(call.dest), text=text, spans=spans)
        self.tally.add(merged.count, len(response.content))
        for page, text, spans, size in self._following(merged, body, params):
            merged.add(page, text, spans)
            self.tally.add(merged.count, size)
        self.tally.finish()
        return response, merged

    def _send(self, body, params):
        # A read is safe to send again, a search sent as POST too.
        call = self.call
        return self.client.call(call.method, call.path, accept=call.accepts, params=params, body=body,
                                headers=call.headers, option="path", repeatable=True)

    def _decoded(self, response):
        """(page, text, spans): for pages written to dest, also the text Jira sent and where each member sits in it,
        so that the items can be written as they came instead of being encoded again."""
        if self.call.dest and self.call.paginate:
            page, spans = response.json_with_spans(pager.decode_with_spans)
            return page, response.text, spans
        return response.json, None, None

    def _fetch_at(self, body, params, position):
        """(page, text, spans, size) of the page at ``position``."""
        answer = self._send(*at_position(self.call, body, params, position))
        return self._decoded(answer) + (len(answer.content),)

    def _following(self, merged, body, params):
        """What _fetch_at gives for every page after the first, in order, exactly as fetching them one by one would
        give it.

        When the first page tells where every later page starts (startAt and total), up to concurrent_pages of them
        are requested at once: Jira prepares them in parallel while this process decodes the ones that arrived.
        A page that does not end where the plan expects (items were added or removed meanwhile, or Jira sent fewer
        than the first page held) ends the plan, and paging goes on one page at a time from where that page really
        ended.
        """
        call = self.call
        position = position_of(call, body, params)
        progress = pager.Progress(merged.first, position, call.max_pages, "%s %s" % (call.method, call.path))
        plan = None
        if call.concurrent_pages > 1:
            plan = pager.planned_positions(merged.first, position, call.max_items, call.max_pages - 1)

        def fetch_at(at):
            return self._fetch_at(body, params, at)

        prefetched = _prefetched(call.concurrent_pages, fetch_at, plan)

        def fetch_planned(at):
            planned = next(prefetched, None)
            if planned is not None and planned[0] == at:
                return planned[1].result()
            prefetched.close()
            return fetch_at(at)

        try:
            yield from pager.bounded_pages(merged.first, position, fetch_planned, progress, lambda: merged.full)
        finally:
            prefetched.close()


def _prefetched(concurrent_pages, fetch_at, positions):
    """(position, future page) for each of ``positions`` in order, with at most concurrent_pages requests in flight."""
    if positions is None:
        return
    from concurrent.futures import ThreadPoolExecutor  # only paging needs threads: no import cost for other calls

    pool = ThreadPoolExecutor(max_workers=concurrent_pages)
    window = []
    try:
        for position in positions:
            window.append((position, pool.submit(fetch_at, position)))
            if len(window) >= concurrent_pages:
                yield window.pop(0)
        while window:
            yield window.pop(0)
    finally:
        for dummy, future in window:
            future.cancel()
        pool.shutdown(wait=True)


class Tally:
    """Pages, items, bytes and wall time of one paged read; ``report`` (controller path only) gets a progress line
    now and then while it runs, and a last one when it showed any."""

    def __init__(self, where, report=None, clock=time.monotonic):
        self.where = where
        self.report = report
        self.clock = clock
        self.started = clock()
        self.pages = self.items = self.size = 0
        self.lines = 0
        self._last_line = (self.started, 0)

    def add(self, items, size):
        """One more page: ``items`` is the count merged so far, ``size`` the bytes of the page as Jira sent it."""
        self.pages += 1
        self.items = items
        self.size += size
        if self.report is not None and self._line_due():
            self._show()

    def finish(self):
        """The last line, when the read was long enough to show any."""
        if self.report is not None and self.lines and self._last_line[1] != self.pages:
            self._show()

    @property
    def seconds(self):
        return round(self.clock() - self.started, 2)

    def fields(self):
        """What a paged read reports in its result. Not ``items``: in a playbook, ``result.items`` is the dict's
        items() method, so the count could only be read as ``result['items']``."""
        return dict(item_count=self.items, seconds=self.seconds)

    def _line_due(self):
        at, pages = self._last_line
        return self.pages - pages >= PROGRESS_PAGES or self.clock() - at >= PROGRESS_SECONDS

    def _show(self):
        now = self.clock()
        elapsed = now - self.started
        rate = "%s items/s" % _thousands(self.items / elapsed) if elapsed > 0 else "items/s not known yet"
        # Counts and the endpoint only: nothing of the answer, no header, no parameter.
        self.report("jira_request: %s pages, %s items, %s (%s)"
                    % (_thousands(self.pages), _thousands(self.items), rate, self.where))
        self.lines += 1
        self._last_line = (now, self.pages)


def _thousands(number):
    return "{:,}".format(int(round(number)))


def size_warning(items, size):
    """The warning for an answer returned into the task result that is large enough to hurt, or None.

    Ansible copies a task's result several times (to the main process, into the registered variable, to every
    output callback), and an ad hoc command prints all of it: for a bulk read those copies cost more than fetching.
    """
    if (items or 0) <= LARGE_ITEMS and size <= LARGE_BYTES:
        return None
    what = "%s of JSON" % _megabytes(size)
    if items is not None:
        what = "%s items, %s" % (_thousands(items), what)
    return ("jira_request returned a large answer (%s) in the task result, which Ansible copies several times (into "
            "the registered variable, to every output callback). Set dest to stream it to a file instead, and fields "
            "to ask Jira for fewer fields." % what)


def _megabytes(size):
    return "%.1f MB" % (size / 1e6)


def default_page_size(path, fields=None):
    """(family, maxResults to ask for) of a paged read of ``path`` that gives no page size.

    ``fields`` is what the call asks for (a comma-separated string or a list; None when it asks for none): only
    Cloud's search/jql answers differently for ids alone.
    """
    bare = path.split("?", 1)[0]
    for family, pattern, size in _FAMILIES:
        if pattern.search(bare):
            if size is None:
                if ids_only(fields):
                    return family + " (ids)", JQL_SEARCH_IDS
                return family + " (fields)", JQL_SEARCH_FIELDS
            return family, size
    return "other", FALLBACK


def ids_only(fields):
    """Whether ``fields`` asks for nothing beyond the issue's id and key (no fields at all: search/jql's default,
    id)."""
    if fields is None:
        return True
    names = fields.split(",") if isinstance(fields, str) else fields
    if not isinstance(names, (list, tuple)):
        return False
    wanted = set(str(name).strip() for name in names) - set([""])
    return wanted <= _IDS_ONLY
