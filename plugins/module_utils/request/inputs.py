# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""jira_request's own input checks: its query values, headers and body, refused before anything is sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError

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
            raise InputError("headers", "has a header name that is not an HTTP token (empty, or with white space, ':' or "
                             "other separators, or non-ASCII)", "Give names such as X-ExperimentalApi; put values after them.")
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
        raise InputError("body", "cannot be sent as JSON (%s)" % exc, "Give mappings, lists, strings, numbers, booleans and nulls only.")
    return body
