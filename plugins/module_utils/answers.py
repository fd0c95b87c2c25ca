# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether an answer can be Jira's REST API at all, and what came back, in words, when it is not.

Jira's REST API answers JSON (or nothing). A 200 HTML page comes from an SSO front, a portal or a wrong base URL;
a 5xx page from a proxy or a load balancer. Neither says anything about the login or the work asked for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from urllib.parse import urlsplit

from ansible_collections.jiraops.jira.plugins.module_utils.errors import ResponseError

_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TITLE_SNIFF_CHARS = 16384


def speaks_jira(response):
    """Whether an answer has the form of Jira's REST API: a 2xx or 4xx with a JSON body, or with none. A 5xx, a
    redirect, an HTML page or broken JSON may come from anything in front of Jira (a proxy, an SSO portal)."""
    if response.status >= 500 or 300 <= response.status < 400:
        return False
    if not response.content.strip():
        return True
    if not response.is_json:
        return False
    try:
        json.loads(response.text)  # not response.json: its one error belongs to the caller that decodes the answer
    except ValueError:
        return False
    return True


def could_be_jira(response):
    """Whether a 2xx answer can be Jira's: never an HTML page, and under /rest/ declared JSON or no body at all. Whether
    the JSON is valid is checked where it is decoded, once: a page can be megabytes."""
    head = response.content[:4096]
    if not head.strip() and not response.content.strip():
        return True
    if "html" in response.headers.get("content-type", "") or head.lstrip()[:1] == b"<":
        return False
    return response.is_json or "/rest/" not in urlsplit(response.url).path


def without_verdict(response):
    """Why an answer is no verdict on the login, in words."""
    if response.login.reasons:
        return " with login reason %s" % ", ".join(response.login.reasons)
    return ", without Jira's login headers"


def answer_description(response):
    """What came back, in words, for an answer that is not Jira's: status, content type, an HTML page's title, and the
    URL it came from after redirects."""
    content_type = (response.headers.get("content-type") or "no content type").split(";")[0].strip()
    title = _HTML_TITLE.search(response.text[:_TITLE_SNIFF_CHARS])
    if not response.content:
        body = "an empty body"
    elif response.is_json and not speaks_jira(response) and response.status < 300:
        body = "a body of %d bytes that is declared as JSON but is not valid JSON" % len(response.content)
    else:
        page = " titled '%s'" % " ".join(title.group(1).split()) if title else ""
        body = "%d bytes of %s%s" % (len(response.content), content_type, page)
    return "status %s, %s, from %s" % (response.status, body, response.url)


def not_jira_error(response, what):
    """The error for a 2xx answer that is not Jira's (an SSO sign-in page, a portal, a proxy's page)."""
    return ResponseError(
        "%s did not come from Jira's REST API (%s). Check that url is Jira's base URL (the address before /rest/api), not "
        "an SSO sign-in page or a portal in front of it; nothing was taken as done." % (what, answer_description(response)),
        status=response.status, url=response.url, login_state=response.login.state, changed=False)
