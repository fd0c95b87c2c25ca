# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client's rule for credentials Jira has not proven yet: an answer without a verdict is never a proof, and a call
that carried them and may have reached Jira is not sent again. The transport is scripted; the rule is the client's."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.rest import client as client_module
from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.rest.client import JiraClient
from ansible_collections.jiraops.jira.plugins.module_utils.rest.response import Response
from ansible_collections.jiraops.jira.plugins.module_utils.rest.transport import communication_error
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import (
    CommunicationError, LoginError, ResponseError,
)

URL = "https://jira.example.com"
JSON = "application/json;charset=UTF-8"
PROVEN = {"x-seraph-loginreason": "OK", "x-ausername": "fred", "content-type": JSON}
WRONG = {"x-seraph-loginreason": "AUTHENTICATED_FAILED", "content-type": "text/html"}
SIGNED = {"x-arequestid": "1158x1253552x2", "content-type": JSON}  # Jira's, without a login verdict


def answer(status, headers=None, body=b""):
    return (status, dict(headers or {}), body)


def broken(connecting):
    return ("broken", connecting)


class Scripted(JiraClient):
    """A JiraClient whose exchanges are taken from a script: (status, headers, body) or broken(connecting)."""

    def __init__(self, script, trusted=False, credentials=True):
        params = dict(url=URL, retries=3, max_retry_wait=5)
        if credentials:
            params.update(username="fred", password="wrong")
        super(Scripted, self).__init__(params, trusted=trusted)
        self.script = list(script)
        self.sent = 0

    def _send(self, method, url, data, headers):
        self.sent += 1
        step = self.script.pop(0)
        if step[0] == "broken":
            error = socket.timeout("timed out") if not step[1] else ConnectionRefusedError(111, "Connection refused")
            raise communication_error(error, step[1], method, url, 10)
        status, response_headers, body = step
        login = login_state.read_login(status, response_headers, body.decode("utf-8", "replace"),
                                       "Authorization" in headers)
        return Response(method, url, status, response_headers, body, login)


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(client_module.time, "sleep", lambda seconds: None)


@pytest.mark.parametrize("first", [
    answer(503, {"retry-after": "1"}, b"<html><title>Service Unavailable</title></html>"),
    answer(429, {"retry-after": "1"}),
    broken(connecting=False),
], ids=["503-page", "429-without-verdict", "timeout-after-sending"])
def test_unproven_credentials_are_not_sent_again(first):
    jira = Scripted([first, answer(200, PROVEN, b"{}")])
    with pytest.raises(LoginError) as raised:
        jira.request("GET", "/rest/api/2/myself")
    assert jira.sent == 1
    assert raised.value.fields["login_state"] == login_state.UNKNOWN
    assert "did not show whether it accepted the credentials" in raised.value.msg
    assert "not sent again" in raised.value.msg
    assert jira.login.outcome == login_state.UNKNOWN


@pytest.mark.parametrize("first", [
    answer(503, {"retry-after": "1"}, b"<html></html>"),
    broken(connecting=False),
], ids=["503-page", "timeout-after-sending"])
def test_credentials_proven_in_the_run_keep_their_retries(first):
    jira = Scripted([first, answer(200, PROVEN, b"{}")], trusted=True)
    assert jira.request("GET", "/rest/api/2/myself").status == 200
    assert jira.sent == 2 and jira.retries == 1
    assert jira.login.outcome == login_state.OK


def test_an_answer_that_proves_the_login_may_be_retried():
    jira = Scripted([answer(503, dict(PROVEN, **{"retry-after": "1"})), answer(200, PROVEN, b"{}")])
    assert jira.request("GET", "/rest/api/2/myself").status == 200
    assert jira.sent == 2


def test_a_connection_that_never_stood_is_retried_even_unproven():
    jira = Scripted([broken(connecting=True), answer(200, PROVEN, b"{}")])
    assert jira.request("GET", "/rest/api/2/myself").status == 200
    assert jira.sent == 2
    assert jira.login.outcome == login_state.OK


def test_without_credentials_the_usual_retries_hold():
    jira = Scripted([answer(503, {"retry-after": "1"}), broken(connecting=False), answer(200, {}, b"{}")],
                    credentials=False)
    assert jira.request("GET", "/rest/api/2/serverInfo").status == 200
    assert jira.sent == 3 and jira.login.outcome is None


def test_a_write_that_broke_after_sending_keeps_its_own_message_and_is_held_back():
    jira = Scripted([broken(connecting=False)])
    with pytest.raises(CommunicationError) as raised:
        jira.request("POST", "/rest/api/2/issue", body={"fields": {}})
    assert "may or may not have been done" in raised.value.msg
    assert raised.value.fields["request_may_have_reached_jira"] is True
    assert jira.sent == 1 and jira.login.outcome == login_state.UNKNOWN


@pytest.mark.parametrize("status, headers, body, outcome", [
    (200, {"content-type": "text/html"}, b"<html><title>Sign in</title></html>", login_state.UNKNOWN),
    (502, {"content-type": "text/html"}, b"<html><title>502 Bad Gateway</title></html>", login_state.UNKNOWN),
    (302, {"location": "https://sso.example.com/login"}, b"", login_state.UNKNOWN),
    (200, SIGNED, b"{\"name\": \"fred\"}", None),
    (404, SIGNED, b"{\"errorMessages\": []}", None),
    (200, {"content-type": JSON}, b"{\"name\": \"fred\"}", login_state.UNKNOWN),  # JSON, but no header Jira sends
    (404, {"content-type": JSON}, b"{\"errorMessages\": []}", login_state.UNKNOWN),
    (200, PROVEN, b"{}", login_state.OK),
    (401, WRONG, b"<html></html>", login_state.WRONG_CREDENTIALS),
])
def test_login_outcome_of_one_answer(status, headers, body, outcome):
    jira = Scripted([answer(status, headers, body)])
    try:
        jira.request("GET", "/rest/api/2/myself")
    except Exception:  # a redirect to another origin is refused; the outcome is what counts here
        pass
    assert jira.login.outcome == outcome


def test_a_rejection_is_never_overwritten_by_a_later_proof():
    jira = Scripted([answer(401, WRONG, b""), answer(200, PROVEN, b"{}")])
    jira.request("GET", "/rest/api/2/myself")
    jira.request("GET", "/rest/api/2/myself")
    assert jira.login.outcome == login_state.WRONG_CREDENTIALS


def test_judging_an_answer_leaves_its_json_error_to_the_caller():
    jira = Scripted([answer(200, {"content-type": JSON}, b'{"broken": ')])
    response = jira.request("GET", "/rest/api/2/myself")
    assert jira.login.outcome == login_state.UNKNOWN
    with pytest.raises(Exception) as raised:
        response.json
    assert "not valid JSON" in str(raised.value)


# ---------------------------------------------------------------- Jira's verdict ends the exchange
REDIRECT_REJECTED = answer(302, {"x-seraph-loginreason": "AUTHENTICATED_FAILED", "x-arequestid": "1x1x1",
                                 "location": URL + "/login.jsp"})


@pytest.mark.parametrize("trusted", [False, True], ids=["unproven", "proven-in-the-run"])
@pytest.mark.parametrize("first", [
    REDIRECT_REJECTED,
    answer(302, {"x-seraph-loginreason": "AUTHENTICATION_DENIED", "location": URL + "/login.jsp"}),
    answer(503, {"x-seraph-loginreason": "AUTHENTICATED_FAILED", "retry-after": "1"}),
    answer(429, {"x-seraph-loginreason": "AUTHENTICATED_FAILED", "retry-after": "1"}),
    answer(401, {"retry-after": "1"}),
], ids=["302-wrong-password", "302-captcha", "503-wrong-password", "429-wrong-password", "401"])
def test_a_rejection_is_the_last_answer_of_the_exchange(first, trusted):
    jira = Scripted([first] + [answer(200, PROVEN, b"{}")] * 6, trusted=trusted)
    response = jira.request("GET", "/secure/Dashboard.jspa")
    assert jira.sent == 1 and response.status == first[0] and response.login.rejected
    with pytest.raises(LoginError):
        jira.check_login(response)
    assert jira.login.outcome in login_state.REJECTED_STATES


# ---------------------------------------------------------------- at most once: a call that is not repeatable
MAYBE_DONE = "may or may not have been done"


@pytest.mark.parametrize("first", [
    answer(503, {"retry-after": "1"}, b"<html><title>Service Unavailable</title></html>"),
    answer(503, dict(PROVEN, **{"retry-after": "1"}), b"{}"),
    answer(500, SIGNED, b'{"errorMessages": ["boom"]}'),
    answer(429, {"retry-after": "1"}),
    answer(504, {}),
], ids=["503-proxy-page", "503-signed", "500-signed", "429-unsigned", "504"])
@pytest.mark.parametrize("trusted", [False, True], ids=["unproven", "proven-in-the-run"])
def test_a_create_whose_fate_is_unknown_is_sent_once_and_says_so(first, trusted):
    jira = Scripted([first, answer(201, PROVEN, b'{"key": "TEST-2"}')], trusted=trusted)
    with pytest.raises(ResponseError) as raised:
        jira.request("POST", "/rest/api/2/issue", body={"fields": {}})
    assert jira.sent == 1 and jira.retries == 0
    assert MAYBE_DONE in raised.value.msg and "was not sent again" in raised.value.msg
    assert "Look in Jira" in raised.value.msg
    assert raised.value.fields["request_may_have_reached_jira"] is True and raised.value.fields["status"] == first[0]


def test_jiras_own_429_is_a_refusal_before_processing_returned_as_it_came():
    limited = answer(429, dict(SIGNED, **{"retry-after": "1", "x-ratelimit-limit": "10"}), b'{"message": "Rate limit"}')
    jira = Scripted([limited, answer(201, PROVEN, b"{}")], trusted=True)
    assert jira.request("POST", "/rest/api/2/issue", body={"fields": {}}).status == 429
    assert jira.sent == 1


@pytest.mark.parametrize("repeatable", [False, None], ids=["said-so", "post-by-default"])
def test_a_call_that_is_not_repeatable_is_never_resent_after_a_timeout_even_proven(repeatable):
    jira = Scripted([broken(connecting=False), answer(204, PROVEN)], trusted=True)
    with pytest.raises(CommunicationError) as raised:
        jira.request("POST", "/rest/api/2/issue/TEST-1/transitions", body={}, repeatable=repeatable)
    assert jira.sent == 1 and MAYBE_DONE in raised.value.msg and "no answer within 10 seconds" in raised.value.msg
    assert raised.value.fields["request_may_have_reached_jira"] is True


def test_a_call_that_never_left_may_be_sent_even_when_not_repeatable():
    jira = Scripted([broken(connecting=True), answer(201, PROVEN, b"{}")], trusted=True)
    assert jira.request("POST", "/rest/api/2/issue", body={}).status == 201
    assert jira.sent == 2


def test_an_upload_under_a_503_is_sent_once_and_says_so():
    jira = Scripted([answer(503, {"retry-after": "1"}), answer(200, PROVEN, b"[{}]")], trusted=True)
    with pytest.raises(ResponseError) as raised:
        jira.request_raw("POST", "/rest/api/2/issue/TEST-1/attachments", b"--x--", "multipart/form-data; boundary=x", 5)
    assert jira.sent == 1 and MAYBE_DONE in raised.value.msg


def test_repeatable_calls_keep_their_retries_on_503_and_429():
    jira = Scripted([answer(503, {"retry-after": "1"}), answer(429, {"retry-after": "1"}), answer(200, PROVEN, b"{}")],
                    trusted=True)
    assert jira.request("POST", "/rest/api/2/search", body={"jql": ""}, repeatable=True).status == 200
    assert jira.sent == 3 and jira.retries == 2


# ---------------------------------------------------------------- hostile bodies
DEEP = b"[" * 100000 + b"]" * 100000


@pytest.mark.parametrize("headers", [SIGNED, {"content-type": JSON}], ids=["signed", "unsigned"])
def test_json_nested_too_deep_is_a_response_error_in_words(headers):
    jira = Scripted([answer(200, headers, DEEP)])
    response = jira.request("GET", "/rest/api/2/myself")
    assert jira.login.outcome == login_state.UNKNOWN
    with pytest.raises(ResponseError) as raised:
        response.json
    assert "nested deeper than can be read" in raised.value.msg and "Recursion" not in raised.value.msg


@pytest.mark.parametrize("charset", ["hex", "base64", "zlib", "no-such-codec", "idna", "undefined"])
def test_a_body_in_a_charset_that_is_not_a_text_encoding_is_refused_in_words(charset):
    body = b"\xff" + u'{"name": "fred"}'.encode("utf-8")
    jira = Scripted([answer(200, {"content-type": "application/json; charset=" + charset}, body)])
    with pytest.raises(ResponseError) as raised:
        jira.request("GET", "/rest/api/2/myself")
    assert "character set '%s', which is not a text encoding" % charset in raised.value.msg
    assert "LookupError" not in raised.value.msg and "unknown encoding" not in raised.value.msg
    assert jira.login.outcome == login_state.UNKNOWN  # credentials went out, no verdict came back: held back


def test_a_rejection_in_a_bogus_charset_is_still_a_rejection():
    jira = Scripted([answer(401, dict(WRONG, **{"content-type": "text/html; charset=hex"}), b"<html></html>")])
    response = jira.request("GET", "/rest/api/2/myself")
    assert response.login.state == login_state.WRONG_CREDENTIALS and jira.login.outcome == login_state.WRONG_CREDENTIALS
