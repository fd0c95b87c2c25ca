# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether an answer can be Jira's REST API at all, and what came back, in words, when it is not.

Jira's REST API answers JSON (or nothing), and every answer of Jira's carries a header Jira itself sends (the request
id, Seraph's headers: login_state.signed_by_jira). A 200 HTML page comes from an SSO front, a portal or a wrong base
URL; a 5xx page from a proxy or a load balancer; JSON without Jira's headers from another service. None of them says
anything about the login or the work asked for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from urllib.parse import unquote_plus, urlsplit

from ansible_collections.jiraops.jira.plugins.module_utils.common.deployment import replacement_hint
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError
from ansible_collections.jiraops.jira.plugins.module_utils.rest.values import declared_charset
from ansible_collections.jiraops.jira.plugins.module_utils.login.login_state import ANONYMOUS, signed_by_jira

_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TITLE_SNIFF_CHARS = 16384
_ORIGIN = re.compile(r"^[a-z]+://[^/]+")


def speaks_jira(response):
    """Whether an answer has the form of Jira's REST API: signed by Jira, a 2xx or 4xx with a JSON body, or with none.
    A 5xx, a redirect, an HTML page, broken JSON or an answer without Jira's headers may come from anything in front of
    Jira (a proxy, an SSO portal, another service)."""
    if not signed_by_jira(response.headers) or response.status >= 500 or 300 <= response.status < 400:
        return False
    if not response.content.strip():
        return True
    return response.is_json and _valid_json(response)


def _valid_json(response):
    try:
        json.loads(response.text)  # not response.json: its one error belongs to the caller that decodes the answer
    except (ValueError, RecursionError):  # JSON nested deeper than Python's stack
        return False
    return True


def could_be_jira(response, raw=False):
    """Whether a 2xx answer can be Jira's: signed by Jira, never an HTML page, and under /rest/ declared JSON or no body
    at all (``raw``: a file's bytes, such as an attachment's content, which Cloud serves under /rest/). Whether the JSON
    is valid is checked where it is decoded, once: a page can be megabytes."""
    if not signed_by_jira(response.headers):
        return False
    head = response.content[:4096]
    if not head.strip() and not response.content.strip():
        return True
    if "html" in response.headers.get("content-type", "") or head.lstrip()[:1] == b"<":
        return False
    return raw or response.is_json or "/rest/" not in urlsplit(response.url).path


def without_verdict(response):
    """Why an answer is no verdict on the login, in words."""
    if response.login.reasons:
        return " with login reason %s" % ", ".join(response.login.reasons)
    if not signed_by_jira(response.headers):
        return ", without any header Jira sends"
    return ", without Jira's login headers"


def answer_description(response):
    """What came back, in words, for an answer that is not Jira's: status, content type, an HTML page's title, and the
    URL it came from after redirects."""
    content_type = (response.headers.get("content-type") or "no content type").split(";")[0].strip()
    title = _HTML_TITLE.search(response.text[:_TITLE_SNIFF_CHARS])
    if not response.content:
        body = "an empty body"
    elif response.is_json and response.status < 300 and not _valid_json(response):
        body = "a body of %d bytes that is declared as JSON but is not valid JSON" % len(response.content)
    else:
        page = " titled '%s'" % " ".join(title.group(1).split()) if title else ""
        body = "%d bytes of %s%s" % (len(response.content), content_type, page)
    unsigned = "" if signed_by_jira(response.headers) else ", without any header Jira sends (X-AREQUESTID, Seraph's)"
    return "status %s, %s%s, from %s" % (response.status, body, unsigned, response.url)


def unreadable(response):
    """The error for an answer whose body cannot be read as text as it declares (a character set that is unknown or not
    a text encoding), or None. Jira declares UTF-8."""
    charset = declared_charset(response.headers.get("content-type")) or "utf-8"
    if charset.lower().replace("_", "-") in ("utf-8", "utf8"):
        return None  # no need to decode a body (a download can be large) to know that it can be
    if response.text_problem is None:
        return None
    return ResponseError(
        "The answer to %s %s declares its body in %s; it was not read. Jira's REST API answers in UTF-8 and signs its "
        "answers (X-AREQUESTID): check that url is Jira's base URL and what answers in front of it (a proxy, a portal, "
        "another service)." % (response.method, response.url, response.text_problem),
        status=response.status, url=response.url, login_state=response.login.state, changed=False)


def not_jira_error(response, what):
    """The error for a 2xx answer that is not Jira's (an SSO sign-in page, a portal, a proxy's page)."""
    return ResponseError(
        "%s did not come from Jira's REST API (%s). Check that url is Jira's base URL (the address before /rest/api), "
        "not an SSO sign-in page or a portal in front of it; nothing was taken as done."
        % (what, answer_description(response)),
        status=response.status, url=response.url, login_state=response.login.state, changed=False)


def fate_unknown(response):
    """Whether an answer leaves open whether Jira did what was asked: a 5xx (Jira may have failed after doing it, or a
    proxy gave up waiting on it), or a 429 that Jira did not sign (a proxy's, which may stand after Jira). Jira's own
    429 comes from its rate limiter, before the call is processed."""
    return response.status >= 500 or (response.status == 429 and not signed_by_jira(response.headers))


def not_at_this_path(response):
    """The error for an HTML 404 page where Jira's REST API should answer (its REST API answers 404 in JSON): the
    context path in url is wrong (Jira at http://host/ asked at http://host/jira/rest/...). None for any other
    answer."""
    base, rest, dummy = response.url.partition("/rest/")
    if response.status != 404 or response.is_json or not rest:
        return None
    if "html" not in response.headers.get("content-type", "") and response.content.lstrip()[:1] != b"<":
        return None
    return ResponseError("Jira answered %s %s with 404 and an HTML page instead of its REST API's JSON: its REST API "
                         "is not at that path. Check the context path in url (%s): it must be Jira's base URL, the "
                         "address before /rest/api (Jira served at http://host/ is not at http://host/jira)."
                         % (response.method, response.url, base), **response_fields(response, changed=False))


def error_summary(response):
    """Jira's own words for a failed call: errorMessages and errors joined, or an HTML page's title; otherwise only
    the size and type of the body. Never a Python repr, never a piece of a body."""
    body = response.json_or_none
    if isinstance(body, dict):
        parts = [str(m) for m in body.get("errorMessages") or []]
        errors = body.get("errors")
        if isinstance(errors, dict):
            parts.extend("%s: %s" % (field, message) for field, message in sorted(errors.items()))
        for key in ("message", "error", "errorMessage"):
            if isinstance(body.get(key), str):
                parts.append(_jersey_404(body[key]))
        if parts:
            return "; ".join(parts)
    title = _HTML_TITLE.search(response.text)
    if title:
        return " ".join(title.group(1).split())
    if not response.content.strip():
        return "(empty body)"
    # Nothing else of the body goes into a message: it would have to be cut, and a cut can split an echoed secret
    # past recognition by masking. The whole body is in the result's json or content, masked.
    content_type = (response.headers.get("content-type") or "no content type").split(";")[0].strip()
    where = "json" if response.is_json else "content"
    return "(%d bytes of %s, in the result's %s)" % (len(response.content), content_type, where)


def _jersey_404(message):
    """Jersey's 'null for uri: ...' (Jira has no REST resource at the path) in words a user can act on."""
    if not message.startswith("null for uri"):
        return message
    return ("Jira has no REST resource at this path (Jersey: '%s'); check the path and the API version (Data Center "
            "serves /rest/api/2 only)" % message)


def refusal(response, role=None):
    """The error for an answer of Jira's whose status the caller does not accept, in Jira's own words, with what to do
    where the status says it (an endpoint Atlassian removed, a 404 seen by the anonymous user). ``role`` names the
    task's call that failed (a guard's search)."""
    path = path_of(response.url)
    msg = "%sJira answered %s %s with %s: %s" % ("The %s failed. " % role if role else "", response.method,
                                                 readable(path), response.status, error_summary(response))
    hints = [replacement_hint(response.status, path)]
    if response.status == 404 and response.login.state == ANONYMOUS:
        hints.append("No credentials were sent, so Jira answered as the anonymous user, who may not see it: set "
                     "username and password (or token).")
    return ResponseError(" ".join([msg] + [hint for hint in hints if hint]), **response_fields(response, changed=False))


def response_fields(response, **extra):
    """What a result (or a failure) shows of an answer: status, url, method, headers (no cookies), the login, the
    body."""
    fields = dict(status=response.status, url=response.url, method=response.method,
                  headers=dict((k, v) for k, v in response.headers.items() if k != "set-cookie"))
    fields.update(response.login.fields())
    if response.is_json:
        fields["json"] = response.json
    elif response.content:
        fields["content"] = response.text
    fields.update(extra)
    return fields


def path_of(url):
    """A URL without its origin (scheme, host and port), for messages."""
    return _ORIGIN.sub("", url)


def readable(path):
    """A path with its query decoded, for messages: JQL reads as it was written, not percent-encoded."""
    base, sep, query = path.partition("?")
    return base + sep + unquote_plus(query) if sep else path
