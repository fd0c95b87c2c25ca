# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for the pure parts of module_utils/client.py: Retry-After, Response, error_summary, login_message."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.http import answers, client
from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state as ls
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError

URL = "https://jira.example.com/rest/api/2/issue/A-1"
JSON = {"content-type": "application/json;charset=UTF-8"}
HTML = {"content-type": "text/html;charset=UTF-8"}
# Wed, 21 Oct 2015 07:28:00 GMT
WHEN = 1445412480


def response(content, headers=None, status=400, method="GET", url=URL):
    if not isinstance(content, bytes):
        content = json.dumps(content).encode("utf-8") if not isinstance(content, str) else content.encode("utf-8")
    return client.Response(method, url, status, JSON if headers is None else headers, content, ls.Login(ls.OK))


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
    result = client.parse_retry_after(value, now=WHEN)
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
    assert client.parse_retry_after(value, now=now) == pytest.approx(expected)


def test_parse_retry_after_date_uses_the_clock_without_now(monkeypatch):
    monkeypatch.setattr(client.time, "time", lambda: WHEN - 42)
    assert client.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == pytest.approx(42.0)


def test_parse_retry_after_superscript_digit_is_unreadable():
    # http.client decodes header bytes as latin-1, so a 0xB2 byte arrives as u'\xb2'
    assert client.parse_retry_after(u"\xb2", now=WHEN) is None


# ---------------------------------------------------------------- Response

def test_response_json_and_text():
    resp = response({"key": "A-1"}, status=200)
    assert resp.is_json is True
    assert resp.json == {"key": "A-1"}
    assert resp.text == '{"key": "A-1"}'


@pytest.mark.parametrize("headers, content", [(JSON, b""), (JSON, b"  \n"), (HTML, b'{"a": 1}'), ({}, b'{"a": 1}')])
def test_response_not_json(headers, content):
    resp = response(content, headers=headers)
    assert resp.is_json is False
    assert resp.json is None


def test_response_invalid_json_raises_response_error():
    resp = response(b'{"broken', status=502)
    with pytest.raises(ResponseError) as err:
        resp.json
    assert err.value.msg == ("Jira answered GET %s with a body that is declared as JSON but is not valid JSON (8 bytes)." % URL)
    assert err.value.fields == {"status": 502, "url": URL}
    # read once: the second access does not raise again
    assert resp.json is None


def test_response_text_replaces_invalid_utf8():
    assert response(b"\xff oops", headers=HTML).text == u"\ufffd oops"


# ---------------------------------------------------------------- error_summary

@pytest.mark.parametrize("body, expected", [
    ({"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}},
     "Issue does not exist or you do not have permission to see it."),
    ({"errorMessages": [], "errors": {"summary": "You must specify a summary of the issue.", "project": "project is required"}},
     "project: project is required; summary: You must specify a summary of the issue."),
    ({"errorMessages": ["First.", "Second."], "errors": {"labels": "bad"}, "message": "Old style."},
     "First.; Second.; labels: bad; Old style."),
    ({"message": "Basic Authentication has been disabled on this instance."}, "Basic Authentication has been disabled on this instance."),
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
    ("Service Unavailable\n\n  try later", {"content-type": "text/plain"}, "(32 bytes of text/plain, in the result's content)"),
    ("", HTML, "(empty body)"),
    (" \n\t ", {}, "(empty body)"),
    (b'{"broken', JSON, "(8 bytes of application/json, in the result's json)"),
    (b"", JSON, "(empty body)"),
    (b"\xff oops", {}, "(6 bytes of no content type, in the result's content)"),
    # An echoed Authorization header is never cut into the message (a cut piece would escape masking).
    ("Authorization: Basic " + "QWxhZGRpbjpvcGVuIHNlc2FtZQ==" * 20, {}, "(581 bytes of no content type, in the result's content)"),
])
def test_error_summary_text(content, headers, expected):
    assert answers.error_summary(response(content, headers=headers)) == expected


# ---------------------------------------------------------------- login_message

WHERE = "GET " + URL


def test_login_message_captcha_with_login_url():
    login = ls.Login(ls.CAPTCHA, login_url="https://jira.example.com/login.jsp")
    assert ls.login_message(login, "GET", URL) == (
        "Jira refused the login without checking the password: CAPTCHA is triggered for this account after too many "
        "failed logins (%s). Log in once in a browser at https://jira.example.com/login.jsp and solve the CAPTCHA, or ask "
        "a Jira administrator to reset the failed login count. Do not retry with the same credentials." % WHERE)


def test_login_message_captcha_without_login_url():
    message = ls.login_message(ls.Login(ls.CAPTCHA), "GET", URL)
    assert "Log in once in a browser at Jira's login page and solve the CAPTCHA" in message


def test_login_message_wrong_credentials_with_hint():
    login = ls.Login(ls.WRONG_CREDENTIALS, hint="Use an API token.")
    assert ls.login_message(login, "POST", URL) == (
        "Jira did not accept the credentials (POST %s). Check username and password/token: each failed login brings a "
        "CAPTCHA lock closer (3 in a row by default). Use an API token." % URL)


@pytest.mark.parametrize("state, expected", [
    (ls.WRONG_CREDENTIALS, "Jira did not accept the credentials (%s). Check username and password/token: each failed login "
                           "brings a CAPTCHA lock closer (3 in a row by default)." % WHERE),
    (ls.BASIC_AUTH_DISABLED, "Basic authentication is disabled on this Jira (%s). Use a personal access token (token) instead." % WHERE),
    (ls.ANONYMOUS, "Jira served %s to the anonymous user." % WHERE),
    (ls.UNREACHABLE, "Jira could not be reached (%s)." % WHERE),
    (ls.NOT_AUTHORISED, "Jira answered %s with login state not_authorised." % WHERE),
    (ls.OK, "Jira answered %s with login state ok." % WHERE),
])
def test_login_message_states(state, expected):
    assert ls.login_message(ls.Login(state), "GET", URL) == expected


def test_login_message_on_cloud_does_not_mention_a_captcha_lock():
    login = ls.read_login(401, {"x-arequestid": "3c1b1d5e-7f7a-4b8e-9a55-0c2f3e6b9d11"},
                          '{"errorMessages":["Client must be authenticated to access this resource."]}', True)
    message = ls.login_message(login, "GET", URL)
    assert message.startswith("Jira Cloud did not accept the credentials (%s). Check username (the account's e-mail)" % WHERE)
    assert "CAPTCHA" not in message
    data_center = ls.read_login(401, {"x-seraph-loginreason": "AUTHENTICATED_FAILED", "x-arequestid": "1158x1253552x2"}, "", True)
    assert "CAPTCHA lock closer" in ls.login_message(data_center, "GET", URL)


def test_login_message_hints_at_a_personal_access_token_given_as_password():
    from ansible_collections.jiraops.jira.plugins.module_utils.login import auth
    pat = "NzYyNjE4NDEyMzY2OkFCQ0RFRkdISUpLTE1OT1BRUlNU"  # base64 of '762618412366:ABCDEFGHIJKLMNOPQRST'
    login = ls.read_login(401, {"x-seraph-loginreason": "AUTHENTICATED_FAILED"}, "", True)
    assert ls.login_message(login, "GET", URL, auth.basic_credentials("fred", pat)).endswith(
        "The password has the form of a Data Center personal access token: give it as token (it is sent as Bearer), "
        "not as password.")
    assert "personal access token" not in ls.login_message(login, "GET", URL, auth.basic_credentials("fred", "fred"))
    assert not auth.looks_like_pat("QWxhZGRpbjpvcGVuIHNlc2FtZQ==")  # base64, but of 'Aladdin:open sesame'


def test_error_summary_explains_jerseys_null_for_uri():
    summary = answers.error_summary(response({"message": "null for uri: https://jira.example.com/rest/api/2/nothing",
                                             "status-code": 404}))
    assert summary.startswith("Jira has no REST resource at this path (Jersey: 'null for uri: https://jira.example.com/")
    assert summary.endswith("check the path and the API version (Data Center serves /rest/api/2 only)")


# ---------------------------------------------------------------- checked: the one check of every call

DEAD_LINK = "<html><head><title>Oops, you've found a dead link. - JIRA</title></head><body></body></html>"
SIGNED_HTML = dict(HTML, **{"x-arequestid": "1x2x3"})


def test_server_info_at_a_wrong_context_path_says_so():
    """The serverInfo read (Deployment's send is the checked call): Jira's own 404 page names the context path."""
    jira = client.JiraClient({"url": "https://jira.example.com/jira"})
    answer = response(DEAD_LINK, SIGNED_HTML, status=404, url="https://jira.example.com/jira/rest/api/2/serverInfo")
    with pytest.raises(ResponseError, match="Check the context path in url"):
        jira.checked(answer)


@pytest.mark.parametrize("accept", [(200,), lambda status: status == 200])
def test_a_status_outside_accept_is_refused_in_jiras_words(accept):
    jira = client.JiraClient({"url": "https://jira.example.com"})
    answer = response({"errorMessages": ["Issue does not exist"]}, dict(JSON, **{"x-arequestid": "1"}), status=404)
    with pytest.raises(ResponseError) as raised:
        jira.checked(answer, accept, role="issue read")
    assert raised.value.msg == "The issue read failed. Jira answered GET /rest/api/2/issue/A-1 with 404: Issue does not exist"
    assert raised.value.result()["status"] == 404 and raised.value.result()["changed"] is False


def test_an_accepted_status_returns_the_answer():
    jira = client.JiraClient({"url": "https://jira.example.com"})
    answer = response({"key": "A-1"}, dict(JSON, **{"x-arequestid": "1"}), status=200)
    assert jira.checked(answer) is answer
