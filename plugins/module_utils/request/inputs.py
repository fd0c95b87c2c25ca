# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""jira_request's own input checks: the validated Call, its query values, headers and body, refused before anything is
sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError
from ansible_collections.jiraops.jira.plugins.module_utils.rest.transport import MAX_CONNECTIONS
from ansible_collections.jiraops.jira.plugins.module_utils.rest.urls import check_path
from ansible_collections.jiraops.jira.plugins.module_utils.request.dest import check_dest, parse_mode

# POSTs that only read: Jira's JQL searches.
READ_ONLY_POST = re.compile(r"/search(/jql)?/?$")
READS = "only applies to reads (GET, or a search sent as POST)"

# Headers the collection sets itself, or that frame the message (a Transfer-Encoding or Content-Length of the task's
# would send the body unframed or cut it).
FORBIDDEN_HEADERS = ("authorization", "cookie", "proxy-authorization", "host", "content-length", "transfer-encoding",
                     "connection", "te", "upgrade", "expect")
# RFC 9110 token characters: what a header name may be made of.
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# Controls other than horizontal tab: never in a header value.
HEADER_VALUE_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def query_value(value):
    """A query parameter as Jira expects it: booleans as true/false, lists joined with commas."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return value


def checked_headers(headers):
    """The task's extra headers as strings; an InputError for one that cannot or must not be sent."""
    checked = {}
    for name, value in headers.items():
        name, value = str(name), str(value)
        if not HEADER_NAME.match(name):
            raise InputError("headers", "has a header name that is not an HTTP token (empty, or with white space, "
                             "':' or other separators, or non-ASCII)",
                             "Give names such as X-ExperimentalApi; put values after them.")
        if name.lower() in FORBIDDEN_HEADERS:
            raise InputError("headers", "sets %s, which the collection manages" % name,
                             "Remove it; use username/password or token for authentication, and body for the content.")
        if HEADER_VALUE_CONTROLS.search(value):
            raise InputError("headers", "header %s has a line break or another control character in its value" % name,
                             "Remove it (a value read from a file often ends with a line break; use '| trim').")
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise InputError("headers", "header %s has characters in its value that HTTP headers cannot carry (beyond "
                             "Latin-1)" % name, "Percent-encode the value, or send the text in the body.")
        if name.lower() in (other.lower() for other in checked):
            raise InputError("headers", "sets %s twice (header names ignore case)" % name, "Keep one of them.")
        checked[name] = value
    return checked


def checked_body(body):
    """The body to send as JSON (a string is parsed as JSON text); an InputError for one that cannot be sent."""
    if isinstance(body, str):
        try:
            return json.loads(body)
        except ValueError as exc:
            raise InputError("body", "is a string that is not valid JSON (%s)" % exc,
                             "Give the body as a YAML/JSON mapping or list, or as valid JSON text.")
    if body is None:
        return None
    try:
        json.dumps(body)
    except (TypeError, ValueError) as exc:
        raise InputError("body", "cannot be sent as JSON (%s)" % exc,
                         "Give mappings, lists, strings, numbers, booleans and nulls only.")
    return body


class Call:
    """The validated description of one call; every input error is raised here, before anything is sent."""

    def __init__(self, params):
        self.method = params["method"].upper()
        self.path = params["path"]
        self.params = dict((str(k), query_value(v)) for k, v in (params.get("params") or {}).items())
        self.headers = checked_headers(params.get("headers") or {})
        self.body = checked_body(params.get("body"))
        self.accepted = params.get("status_code")
        self.is_read = self.method in ("GET", "HEAD") or (
            self.method == "POST" and bool(READ_ONLY_POST.search(self.path)))
        self.read_before_write = params["read_before_write"]
        self.read_path = params.get("read_path")
        self.guard_jql = params.get("guard_jql")
        self.guard_path = params.get("guard_path")
        self.paginate = params["paginate"]
        self.page_size = params.get("page_size")
        self.max_items = params.get("max_items")
        self.concurrent_pages = 1 if params.get("concurrent_pages") is None else params["concurrent_pages"]
        self.max_pages = 1000 if params.get("max_pages") is None else params["max_pages"]
        self.dest = params.get("dest")
        self.mode = parse_mode(params.get("mode"))
        self._check_paths()
        self._check_method_options()
        self._check_read_options()

    def _check_paths(self):
        for option in ("path", "read_path", "guard_path"):
            if option == "path" or getattr(self, option):
                check_path(getattr(self, option), option)

    def _check_method_options(self):
        """The options that only apply to writes."""
        if (self.guard_jql or self.guard_path) and (self.method != "POST" or self.is_read):
            raise InputError("guard_jql" if self.guard_jql else "guard_path", "only applies to creates (method POST)",
                             "Remove it, or use method: POST.")
        if self.read_path and self.method not in ("PUT", "PATCH", "DELETE"):
            raise InputError("read_path", "only applies to PUT, PATCH and DELETE",
                             "Remove it for method %s." % self.method)

    def _check_read_options(self):
        """The options of a read: where it is saved, how it is paged, and that it sends no body."""
        if self.dest and not self.is_read:
            raise InputError("dest", READS, "Remove it for method %s." % self.method)
        if self.mode is not None and not self.dest:
            raise InputError("mode", "only applies with dest", "Remove it, or set dest.")
        if self.dest:
            check_dest(self.dest)
        if self.paginate and not self.is_read:
            raise InputError("paginate", READS, "Remove it for method %s." % self.method)
        if not 1 <= self.concurrent_pages <= MAX_CONNECTIONS:
            raise InputError("concurrent_pages", "must be between 1 and %d" % MAX_CONNECTIONS,
                             "Give 1 to fetch one page at a time, or a small number (the default is 4).")
        if self.body is not None and self.method in ("GET", "HEAD"):
            raise InputError("body", "is set for method %s, which sends no body" % self.method,
                             "Use params for a query, or another method.")

    def accepts(self, status):
        if self.accepted:
            return status in self.accepted
        return 200 <= status < 300
