# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/rest/answers.py: whether an answer can be Jira's, and what it said, in words."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.rest import answers
from ansible_collections.jiraops.jira.plugins.module_utils.rest.response import Response
from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state as ls
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError

URL = "https://jira.example.com/rest/api/2/issue/A-1"
JSON = {"content-type": "application/json;charset=UTF-8"}
HTML = {"content-type": "text/html;charset=UTF-8"}
SIGNED = dict(JSON, **{"x-arequestid": "1158x1253552x2"})
SIGNED_HTML = dict(HTML, **{"x-arequestid": "1158x1253552x2"})


def response(content, headers=None, status=400, method="GET", url=URL, login=None):
    if not isinstance(content, bytes):
        content = json.dumps(content).encode("utf-8") if not isinstance(content, str) else content.encode("utf-8")
    return Response(method, url, status, JSON if headers is None else headers, content, login or ls.Login(ls.OK))


# ---------------------------------------------------------------- error_summary

@pytest.mark.parametrize("body, expected", [
    ({"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}},
     "Issue does not exist or you do not have permission to see it."),
    ({"errorMessages": [],
      "errors": {"summary": "You must specify a summary of the issue.", "project": "project is required"}},
     "project: project is required; summary: You must specify a summary of the issue."),
    ({"errorMessages": ["First.", "Second."], "errors": {"labels": "bad"}, "message": "Old style."},
     "First.; Second.; labels: bad; Old style."),
    ({"message": "Basic Authentication has been disabled on this instance."},
     "Basic Authentication has been disabled on this instance."),
    ({"error": "Failed to parse Connect Session Auth Token"}, "Failed to parse Connect Session Auth Token"),
    ({"errorMessage": "Site temporarily unavailable"}, "Site temporarily unavailable"),
    ({"errorMessages": ["Login failed"], "warningMessages": ["ignored"]}, "Login failed"),
    ({"errorMessages": [42]}, "42"),
    ({"errorMessages": None, "errors": None, "message": "m"}, "m"),
    # Without Jira's error words nothing of the body goes into the message: it stays in the result, masked whole.
    ({"message": {"not": "a string"}}, "(32 bytes of application/json, in the result's json)"),
    ({"errorMessages": [], "errors": {}}, "(35 bytes of application/json, in the result's json)"),
    ({"foo": 1}, "(10 bytes of application/json, in the result's json)"),
    (["a", "b"], "(10 bytes of application/json, in the result's json)"),
])
def test_error_summary_json(body, expected):
    assert answers.error_summary(response(body)) == expected


@pytest.mark.parametrize("content, headers, expected", [
    ("<html><head><title>Unauthorized (401)</title></head><body>x</body></html>", HTML, "Unauthorized (401)"),
    ("<HTML><TITLE lang='en'>\n  Oops -\n   Jira\t</TITLE></HTML>", HTML, "Oops - Jira"),
    ("Service Unavailable\n\n  try later", {"content-type": "text/plain"},
     "(32 bytes of text/plain, in the result's content)"),
    ("", HTML, "(empty body)"),
    (" \n\t ", {}, "(empty body)"),
    (b'{"broken', JSON, "(8 bytes of application/json, in the result's json)"),
    (b"", JSON, "(empty body)"),
    (b"\xff oops", {}, "(6 bytes of no content type, in the result's content)"),
    # An echoed Authorization header is never cut into the message (a cut piece would escape masking).
    ("Authorization: Basic " + "QWxhZGRpbjpvcGVuIHNlc2FtZQ==" * 20, {},
     "(581 bytes of no content type, in the result's content)"),
])
def test_error_summary_text(content, headers, expected):
    assert answers.error_summary(response(content, headers=headers)) == expected


def test_error_summary_explains_jerseys_null_for_uri():
    summary = answers.error_summary(response({"message": "null for uri: https://jira.example.com/rest/api/2/nothing",
                                             "status-code": 404}))
    assert summary.startswith("Jira has no REST resource at this path (Jersey: 'null for uri: https://jira.example.com/")
    assert summary.endswith("check the path and the API version (Data Center serves /rest/api/2 only)")


# ---------------------------------------------------------------- speaks_jira: the form of Jira's REST API

@pytest.mark.parametrize("content, headers, status, expected", [
    ({"key": "A-1"}, SIGNED, 200, True),
    ({"errorMessages": ["Issue does not exist"]}, SIGNED, 404, True),
    (b"", SIGNED, 204, True),
    (b"  ", dict(HTML, **{"x-arequestid": "1"}), 200, True),  # no body: nothing that could be another's page
    ({"key": "A-1"}, dict(JSON, **{"x-seraph-loginreason": "OK"}), 200, True),
    ({"key": "A-1"}, JSON, 200, False),  # JSON without any header Jira sends: another service
    ({"errorMessages": ["x"]}, SIGNED, 500, False),  # a 5xx may be a proxy's, even signed
    ({"errorMessages": ["x"]}, SIGNED, 302, False),
    ("<html><title>Sign in</title></html>", SIGNED_HTML, 200, False),
    (b'{"broken', SIGNED, 200, False),
    (b"[" * 100000 + b"]" * 100000, SIGNED, 200, False),  # nested deeper than Python's stack
])
def test_speaks_jira(content, headers, status, expected):
    assert answers.speaks_jira(response(content, headers, status=status)) is expected


# ---------------------------------------------------------------- could_be_jira: a 2xx that may be taken as done

@pytest.mark.parametrize("content, headers, url, raw, expected", [
    ({"key": "A-1"}, SIGNED, URL, False, True),
    (b"", SIGNED, URL, False, True),
    ({"key": "A-1"}, JSON, URL, False, False),  # unsigned
    ("<html><title>SSO</title></html>", SIGNED_HTML, URL, False, False),
    (b"  <!DOCTYPE html><html></html>", dict(SIGNED, **{"content-type": "text/plain"}), URL, False, False),
    (b"<html></html>", dict(SIGNED, **{"content-type": "text/plain"}), "https://jira.example.com/x", False, False),
    (b"plain text", dict(SIGNED, **{"content-type": "text/plain"}), URL, False, False),  # under /rest/: JSON or nothing
    (b"plain text", dict(SIGNED, **{"content-type": "text/plain"}), URL, True, True),  # a file's bytes (raw)
    (b"plain text", dict(SIGNED, **{"content-type": "text/plain"}), "https://jira.example.com/secure/x", False, True),
    (b'{"broken', SIGNED, URL, False, True),  # its JSON is checked where it is decoded, once
])
def test_could_be_jira(content, headers, url, raw, expected):
    assert answers.could_be_jira(response(content, headers, status=200, url=url), raw=raw) is expected


# ---------------------------------------------------------------- fate_unknown: whether Jira may have done it

@pytest.mark.parametrize("status, headers, expected", [
    (500, SIGNED, True),
    (502, JSON, True),
    (503, SIGNED, True),
    (429, JSON, True),  # a proxy's 429 may stand after Jira
    (429, SIGNED, False),  # Jira's rate limiter answers before the call is processed
    (404, JSON, False),
    (400, SIGNED, False),
    (201, SIGNED, False),
])
def test_fate_unknown(status, headers, expected):
    assert answers.fate_unknown(response({}, headers, status=status)) is expected


# ---------------------------------------------------------------- refusal: a status the caller does not accept

def test_refusal_in_jiras_words_with_the_role_and_the_decoded_query():
    url = "https://jira.example.com/rest/api/2/search?jql=project+%3D+TEST+AND+summary+~+%22x%22"
    error = answers.refusal(response({"errorMessages": ["The value 'TEST' does not exist."]}, SIGNED, url=url),
                            role="guard search")
    assert isinstance(error, ResponseError)
    assert error.msg == ("The guard search failed. Jira answered GET /rest/api/2/search?jql=project = TEST AND "
                         "summary ~ \"x\" with 400: The value 'TEST' does not exist.")
    assert error.result()["changed"] is False and error.result()["status"] == 400


def test_refusal_without_a_role_names_only_the_call():
    error = answers.refusal(response({"errorMessages": ["No."]}, SIGNED, status=403))
    assert error.msg == "Jira answered GET /rest/api/2/issue/A-1 with 403: No."


def test_refusal_of_a_removed_search_endpoint_says_what_to_use():
    error = answers.refusal(response({"errorMessages": ["Gone"]}, SIGNED, status=410,
                                     url="https://x.atlassian.net/rest/api/3/search?jql=a"))
    assert error.msg.startswith("Jira answered GET /rest/api/3/search?jql=a with 410: Gone Jira Cloud removed this "
                                "search endpoint (Atlassian change CHANGE-2046).")


def test_refusal_of_a_404_to_the_anonymous_user_says_to_give_credentials():
    anonymous = answers.refusal(response({"errorMessages": ["Issue does not exist"]}, SIGNED, status=404,
                                         login=ls.Login(ls.ANONYMOUS)))
    assert anonymous.msg.endswith("No credentials were sent, so Jira answered as the anonymous user, who may not see "
                                  "it: set username and password (or token).")
    logged_in = answers.refusal(response({"errorMessages": ["Issue does not exist"]}, SIGNED, status=404))
    assert "anonymous" not in logged_in.msg
    other_status = answers.refusal(response({"errorMessages": ["No"]}, SIGNED, status=403,
                                            login=ls.Login(ls.ANONYMOUS)))
    assert "anonymous" not in other_status.msg


# ---------------------------------------------------------------- not_at_this_path: a wrong context path

DEAD_LINK = "<html><head><title>Oops, you've found a dead link. - JIRA</title></head><body></body></html>"


def test_an_html_404_under_rest_names_the_context_path():
    error = answers.not_at_this_path(response(DEAD_LINK, SIGNED_HTML, status=404,
                                              url="https://jira.example.com/jira/rest/api/2/myself"))
    assert error.msg.startswith("Jira answered GET https://jira.example.com/jira/rest/api/2/myself with 404 and an "
                                "HTML page instead of its REST API's JSON")
    assert "Check the context path in url (https://jira.example.com/jira)" in error.msg
    assert error.result()["status"] == 404 and error.result()["changed"] is False


@pytest.mark.parametrize("content, headers, status, url", [
    ({"errorMessages": ["Issue does not exist"]}, SIGNED, 404, URL),  # Jira's REST API answers 404 in JSON
    (DEAD_LINK, SIGNED_HTML, 500, URL),
    (DEAD_LINK, SIGNED_HTML, 404, "https://jira.example.com/secure/Dashboard.jspa"),  # not under /rest/
    (b"not found", {"content-type": "text/plain"}, 404, URL),
])
def test_other_answers_are_not_a_wrong_context_path(content, headers, status, url):
    assert answers.not_at_this_path(response(content, headers, status=status, url=url)) is None


# ---------------------------------------------------------------- response_fields, path_of, readable

def test_response_fields_json_answer():
    headers = dict(SIGNED, **{"set-cookie": "JSESSIONID=secret"})
    fields = answers.response_fields(response({"key": "A-1"}, headers, status=200), changed=True)
    assert fields["status"] == 200 and fields["url"] == URL and fields["method"] == "GET"
    assert fields["headers"] == SIGNED  # no cookies
    assert fields["json"] == {"key": "A-1"} and "content" not in fields
    assert fields["changed"] is True
    assert fields["login_state"] == ls.OK and fields["captcha_triggered"] is False


def test_response_fields_text_answer_and_empty_answer():
    text = answers.response_fields(response(b"hello", {"content-type": "text/plain"}))
    assert text["content"] == "hello" and "json" not in text
    empty = answers.response_fields(response(b"", {}))
    assert "content" not in empty and "json" not in empty


@pytest.mark.parametrize("url, expected", [
    ("https://jira.example.com/rest/api/2/issue/A-1", "/rest/api/2/issue/A-1"),
    ("http://127.0.0.1:8080/jira/rest/api/2/myself?expand=groups", "/jira/rest/api/2/myself?expand=groups"),
    ("https://jira.example.com", ""),
    ("/rest/api/2/myself", "/rest/api/2/myself"),
])
def test_path_of(url, expected):
    assert answers.path_of(url) == expected


@pytest.mark.parametrize("path, expected", [
    ("/rest/api/2/search?jql=project+%3D+TEST&maxResults=50", "/rest/api/2/search?jql=project = TEST&maxResults=50"),
    ("/rest/api/2/issue/A%2B1", "/rest/api/2/issue/A%2B1"),  # only the query is decoded
    ("/rest/api/2/myself", "/rest/api/2/myself"),
    ("/rest/api/2/search?", "/rest/api/2/search?"),
])
def test_readable(path, expected):
    assert answers.readable(path) == expected
