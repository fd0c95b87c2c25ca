# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/login/login_state.py, one case per row of jira-protocol.md sections 1, 2, 3 and 5,
and for login_message: what a refused login says."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state as ls

REALM = 'OAuth realm="https%3A%2F%2Fjira.example.com"'
LOGIN_URL = "https://jira.example.com/login.jsp"
HTML_401 = ("<html><head><title>Unauthorized (401)</title></head><body>Encountered a &quot;401 - Unauthorized&quot; "
            "error</body></html>")
HTML_CAPTCHA = "<html><head><title>Forbidden (403)</title></head><body>CAPTCHA_CHALLENGE</body></html>"
MYSELF_ANON = ('{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],'
               '"errors":{}}')
NO_PERMISSION = '{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}'
SERVER_INFO = '{"baseUrl":"https://jira.example.com","version":"9.12.2","deploymentType":"Server"}'
JSON = "application/json;charset=UTF-8"
HTML = "text/html;charset=UTF-8"

CLOUD_PASSWORD_HINT = ("Jira Cloud does not accept account passwords over the REST API; use an API token as the "
                       "password.")
CLOUD_BEARER_HINT = ("Jira Cloud does not take an API token as Bearer at the site URL; use username (the account "
                     "e-mail) and password (the API token) for Basic auth. A service account's token is taken as "
                     "Bearer through Atlassian's gateway only: set api_route: gateway.")
ANONYMOUS_HINT = "Jira served the request as the anonymous user, so the credentials were not accepted."

CAPTCHA_HEADERS = {
    "x-seraph-loginreason": "AUTHENTICATION_DENIED",
    "x-authentication-denied-reason": "CAPTCHA_CHALLENGE; login-url=" + LOGIN_URL,
    "www-authenticate": REALM,
    "content-type": HTML,
}

# id, status, headers, body, credentials_sent, expected state, expected reasons, expected user, expected hint
ROWS = [
    # section 3 (Server / Data Center)
    ("valid-credentials-200", 200, {"x-seraph-loginreason": "OK", "x-ausername": "fred", "content-type": JSON},
     '{"name":"fred"}', True, ls.OK, ["OK"], "fred", None),
    ("wrong-password-401", 401,
     {"x-seraph-loginreason": "AUTHENTICATED_FAILED", "www-authenticate": REALM, "content-type": HTML},
     HTML_401, True, ls.WRONG_CREDENTIALS, ["AUTHENTICATED_FAILED"], None, None),
    ("no-credentials-myself-401", 401, {"x-ausername": "anonymous", "content-type": JSON},
     MYSELF_ANON, False, ls.ANONYMOUS, [], "anonymous", None),
    ("no-credentials-anonymous-readable-200", 200, {"x-ausername": "anonymous", "content-type": JSON},
     SERVER_INFO, False, ls.ANONYMOUS, [], "anonymous", None),
    ("captcha-403-html", 403, CAPTCHA_HEADERS, HTML_CAPTCHA, True, ls.CAPTCHA, ["AUTHENTICATION_DENIED"], None, None),
    ("captcha-403-empty-body", 403, CAPTCHA_HEADERS, "", True, ls.CAPTCHA, ["AUTHENTICATION_DENIED"], None, None),
    ("captcha-403-body-none", 403, CAPTCHA_HEADERS, None, True, ls.CAPTCHA, ["AUTHENTICATION_DENIED"], None, None),
    ("captcha-rare-200-variant", 200, {"x-seraph-loginreason": "AUTHENTICATION_DENIED", "content-type": JSON},
     SERVER_INFO, True, ls.CAPTCHA, ["AUTHENTICATION_DENIED"], None, None),
    ("authenticated-not-allowed-403", 403, {"x-seraph-loginreason": "OK", "x-ausername": "fred", "content-type": JSON},
     NO_PERMISSION, True, ls.OK, ["OK"], "fred", None),
    ("authenticated-not-allowed-404", 404, {"x-seraph-loginreason": "OK", "x-ausername": "fred", "content-type": JSON},
     NO_PERMISSION, True, ls.OK, ["OK"], "fred", None),
    # No Seraph verdict (a proxy that strips headers, or not Jira at all): neither proof nor rejection.
    ("authenticated-not-allowed-403-no-seraph-headers", 403, {"content-type": JSON},
     NO_PERMISSION, True, ls.UNKNOWN, [], None, None),
    ("validation-error-400", 400, {"x-seraph-loginreason": "OK", "x-ausername": "fred", "content-type": JSON},
     '{"errorMessages":[],"errors":{"summary":"You must specify a summary of the issue."}}', True, ls.OK, ["OK"],
     "fred", None),
    ("rate-limited-429-with-credentials", 429,
     {"x-seraph-loginreason": "OK", "x-ausername": "fred", "retry-after": "5"},
     "", True, ls.OK, ["OK"], "fred", None),
    ("rate-limited-429-no-seraph-headers", 429, {"retry-after": "5"}, "", True, ls.UNKNOWN, [], None, None),
    ("user-named-without-seraph-ok", 200, {"x-ausername": "fred", "content-type": JSON}, "{}", True, ls.UNKNOWN, [],
     "fred", None),
    ("seraph-ok-without-user", 200, {"x-seraph-loginreason": "OK", "content-type": JSON}, "{}", True, ls.UNKNOWN,
     ["OK"], None, None),
    ("sso-sign-in-page-200", 200, {"content-type": HTML}, "<html><title>Sign in</title></html>", True, ls.UNKNOWN,
     [], None, None),
    ("load-balancer-502-page", 502, {"content-type": HTML}, "<html><title>502 Bad Gateway</title></html>", True,
     ls.UNKNOWN, [], None, None),
    ("authorisation-failed", 403, {"x-seraph-loginreason": "AUTHORISATION_FAILED", "x-ausername": "fred"},
     NO_PERMISSION, True, ls.NOT_AUTHORISED, ["AUTHORISATION_FAILED"], "fred", None),
    # section 7: a Cloud token without the scope the call needs (raycast/extensions#11212), through the gateway
    ("cloud-scope-does-not-match-401", 401,
     {"content-type": JSON, "atl-request-id": "3f0e1b2a-0000-4000-8000-000000000000"},
     '{"code":401,"message":"Unauthorized; scope does not match"}', True, ls.INSUFFICIENT_SCOPE, [], None, None),
    # RFC 6750 section 3: an OAuth 2.0 access token past its end
    ("bearer-invalid-token-expired-401", 401,
     {"www-authenticate": 'Bearer realm="jira", error="invalid_token", error_description="The access token expired"',
      "x-seraph-loginreason": "AUTHENTICATED_FAILED"}, "", True, ls.TOKEN_EXPIRED, ["AUTHENTICATED_FAILED"], None,
     None),
    ("bearer-invalid-token-expired-after-jiras-oauth-challenge-401", 401,
     {"www-authenticate": 'OAuth realm="https%3A%2F%2Fjira", Bearer realm="jira", error="invalid_token", '
                          'error_description="The access token expired"'}, "", True, ls.TOKEN_EXPIRED, [], None, None),
    ("bearer-invalid-token-not-expired-401", 401,
     {"www-authenticate": 'Bearer error="invalid_token", error_description="Token revoked"'}, "", True,
     ls.WRONG_CREDENTIALS, [], None, None),
    # section 1 (DC 8.16+ Basic disabled)
    ("basic-disabled-403", 403, {"content-type": JSON},
     '{"message":"Basic Authentication has been disabled on this instance."}', True, ls.BASIC_AUTH_DISABLED, [],
     None, None),
    # section 1 / 5 (Cloud)
    ("cloud-password-deprecated-401", 401, {"content-type": "text/plain"},
     "Basic authentication with passwords is deprecated.  For more information, see: "
     "https://developer.atlassian.com/cloud/",
     True, ls.WRONG_CREDENTIALS, [], None, CLOUD_PASSWORD_HINT),
    ("cloud-password-deprecated-401-with-seraph", 401, {"x-seraph-loginreason": "AUTHENTICATED_FAILED"},
     "Basic authentication with passwords is deprecated.", True, ls.WRONG_CREDENTIALS, ["AUTHENTICATED_FAILED"], None,
     CLOUD_PASSWORD_HINT),
    ("cloud-api-token-as-bearer-403", 403, {"content-type": JSON},
     '{"error": "Failed to parse Connect Session Auth Token"}', True, ls.WRONG_CREDENTIALS, [], None,
     CLOUD_BEARER_HINT),
    ("cloud-wrong-token-myself-401", 401, {"x-aaccountid": "", "content-type": JSON},
     '{"errorMessages":["Client must be authenticated to access this resource."],"errors":{}}', True,
     ls.WRONG_CREDENTIALS, [], None, None),
    ("cloud-wrong-token-served-200", 200, {"x-seraph-loginreason": "AUTHENTICATED_FAILED", "content-type": JSON},
     SERVER_INFO, True, ls.WRONG_CREDENTIALS, ["AUTHENTICATED_FAILED"], None, None),
    ("cloud-wrong-token-served-404", 404, {"x-seraph-loginreason": "AUTHENTICATED_FAILED", "content-type": JSON},
     NO_PERMISSION, True, ls.WRONG_CREDENTIALS, ["AUTHENTICATED_FAILED"], None, None),
    ("cloud-valid-200-no-x-ausername", 200, {"x-aaccountid": "5b10ac8d82e05b22cc7d4ef5", "content-type": JSON},
     '{"accountId":"5b10ac8d82e05b22cc7d4ef5"}', True, ls.OK, [], None, None),
    # section 2/3: the silent-anonymous trap
    ("credentials-sent-served-anonymous", 200, {"x-ausername": "anonymous", "content-type": JSON},
     SERVER_INFO, True, ls.WRONG_CREDENTIALS, [], "anonymous", ANONYMOUS_HINT),
    ("credentials-sent-served-anonymous-404", 404, {"x-ausername": "anonymous", "content-type": JSON},
     NO_PERMISSION, True, ls.WRONG_CREDENTIALS, [], "anonymous", ANONYMOUS_HINT),
    # section 2: multi-valued and sloppily written headers
    ("multi-value-out-ok", 200, {"x-seraph-loginreason": "OUT, OK", "x-ausername": "fred"},
     "{}", True, ls.OK, ["OUT", "OK"], "fred", None),
    ("multi-value-no-space", 200, {"x-seraph-loginreason": "OUT,OK", "x-ausername": "fred"},
     "{}", True, ls.OK, ["OUT", "OK"], "fred", None),
    ("multi-value-denied-last", 403, {"x-seraph-loginreason": "OUT, AUTHENTICATION_DENIED"},
     "", True, ls.CAPTCHA, ["OUT", "AUTHENTICATION_DENIED"], None, None),
    ("multi-value-failed-after-ok", 200, {"x-seraph-loginreason": "OK, AUTHENTICATED_FAILED"},
     "{}", True, ls.WRONG_CREDENTIALS, ["OK", "AUTHENTICATED_FAILED"], None, None),
    ("lower-case-denied-with-spaces", 403, {"x-seraph-loginreason": "  authentication_denied  "},
     "", True, ls.CAPTCHA, ["AUTHENTICATION_DENIED"], None, None),
    ("mixed-case-failed", 401, {"x-seraph-loginreason": "Authenticated_Failed"},
     "", True, ls.WRONG_CREDENTIALS, ["AUTHENTICATED_FAILED"], None, None),
    ("mixed-case-authorisation-failed-tab", 403, {"x-seraph-loginreason": "\tauthorisation_failed ,"},
     "", True, ls.NOT_AUTHORISED, ["AUTHORISATION_FAILED"], None, None),
    ("empty-values-between-commas", 200, {"x-seraph-loginreason": " , OK ,, ", "x-ausername": "fred"},
     "{}", True, ls.OK, ["OK"], "fred", None),
    ("basic-disabled-message-upper-case", 403, {},
     '{"message":"BASIC AUTHENTICATION HAS BEEN DISABLED ON THIS INSTANCE."}',
     True, ls.BASIC_AUTH_DISABLED, [], None, None),
]


@pytest.mark.parametrize("status, headers, body, sent, state, reasons, user, hint", [row[1:] for row in ROWS],
                         ids=[row[0] for row in ROWS])
def test_read_login_protocol_rows(status, headers, body, sent, state, reasons, user, hint):
    login = ls.read_login(status, headers, body, sent)
    assert login.state == state
    assert login.reasons == reasons
    assert login.user == user
    assert login.hint == hint
    assert login.captcha_triggered is (state == ls.CAPTCHA)
    assert login.rejected is (state in (ls.WRONG_CREDENTIALS, ls.CAPTCHA))


def test_captcha_carries_denied_reason_and_login_url():
    login = ls.read_login(403, CAPTCHA_HEADERS, HTML_CAPTCHA, True)
    assert login.state == "captcha"
    assert login.denied_reason == "CAPTCHA_CHALLENGE"
    assert login.login_url == LOGIN_URL
    assert login.fields() == {
        "login_state": "captcha",
        "login_reason": ["AUTHENTICATION_DENIED"],
        "captcha_triggered": True,
        "login_url": LOGIN_URL,
        "denied_reason": "CAPTCHA_CHALLENGE",
    }


def test_captcha_even_with_the_right_password_and_no_credentials():
    # Jira rejects every login of a locked user without checking the password; also report it without credentials.
    assert ls.read_login(403, CAPTCHA_HEADERS, "", False).state == ls.CAPTCHA


@pytest.mark.parametrize("denied", [
    "CAPTCHA_CHALLENGE; login-url=" + LOGIN_URL,
    "captcha_challenge;login-url=" + LOGIN_URL,
    "  CAPTCHA_CHALLENGE ;  Login-URL = " + LOGIN_URL + "  ",
])
def test_captcha_from_denied_reason_header_alone(denied):
    login = ls.read_login(403, {"x-authentication-denied-reason": denied}, "", True)
    assert login.state == ls.CAPTCHA
    assert login.reasons == []
    assert login.login_url == LOGIN_URL


def test_other_denied_reason_is_not_captcha():
    login = ls.read_login(200, {"x-seraph-loginreason": "OK", "x-authentication-denied-reason": "SOMETHING_ELSE",
                                "x-ausername": "fred"}, "", True)
    assert login.state == ls.OK
    assert login.denied_reason == "SOMETHING_ELSE"
    assert login.login_url is None


def test_connect_token_text_only_counts_on_403():
    login = ls.read_login(200, {"x-seraph-loginreason": "OK", "x-ausername": "fred"},
                          '{"note": "Failed to parse Connect Session Auth Token"}', True)
    assert login.state == ls.OK
    assert login.hint is None


def test_basic_disabled_text_only_counts_on_403():
    body = '{"message":"Basic Authentication has been disabled on this instance."}'
    login = ls.read_login(400, {"x-seraph-loginreason": "OK", "x-ausername": "fred"}, body, True)
    assert login.state == ls.OK


def test_ok_fields():
    login = ls.read_login(200, {"x-seraph-loginreason": "OK", "x-ausername": "fred"}, "{}", True)
    assert login.fields() == {
        "login_state": "ok",
        "login_reason": ["OK"],
        "captcha_triggered": False,
        "login_url": None,
        "denied_reason": None,
    }


def test_login_defaults():
    login = ls.Login(ls.UNREACHABLE)
    assert (login.state, login.reasons, login.user, login.denied_reason, login.login_url, login.hint) == (
        "unreachable", [], None, None, None, None)
    assert login.rejected is False
    assert login.captcha_triggered is False
    assert ls.REJECTED_STATES == ("wrong_credentials", "captcha")


@pytest.mark.parametrize("value, expected", [
    (None, []),
    ("", []),
    ("OK", ["OK"]),
    ("OUT, OK", ["OUT", "OK"]),
    ("out,ok", ["OUT", "OK"]),
    (" , ,", []),
    ("  AUTHENTICATION_DENIED\t", ["AUTHENTICATION_DENIED"]),
    ("OUT, AUTHENTICATED_FAILED, OK", ["OUT", "AUTHENTICATED_FAILED", "OK"]),
])
def test_split_reasons(value, expected):
    assert ls.split_reasons(value) == expected


@pytest.mark.parametrize("value, expected", [
    (None, (None, None)),
    ("", (None, None)),
    ("CAPTCHA_CHALLENGE", ("CAPTCHA_CHALLENGE", None)),
    ("CAPTCHA_CHALLENGE; login-url=https://jira/login.jsp", ("CAPTCHA_CHALLENGE", "https://jira/login.jsp")),
    ("CAPTCHA_CHALLENGE;login-url=https://jira/login.jsp?a=b", ("CAPTCHA_CHALLENGE", "https://jira/login.jsp?a=b")),
    ("CAPTCHA_CHALLENGE; LOGIN-URL = https://jira/login.jsp ", ("CAPTCHA_CHALLENGE", "https://jira/login.jsp")),
    ("CAPTCHA_CHALLENGE; other=1; login-url=https://jira/l", ("CAPTCHA_CHALLENGE", "https://jira/l")),
    ("CAPTCHA_CHALLENGE; login-url=", ("CAPTCHA_CHALLENGE", None)),
    ("CAPTCHA_CHALLENGE; login-url", ("CAPTCHA_CHALLENGE", None)),
    ("; login-url=https://jira/l", (None, "https://jira/l")),
    ("login-url=https://jira/l", ("login-url=https://jira/l", None)),
])
def test_parse_denied_reason(value, expected):
    assert ls.parse_denied_reason(value) == expected


@pytest.mark.parametrize("header", ["x-arequestid", "atl-request-id", "x-ausername"])
def test_myself_naming_the_user_proves_a_login_the_headers_did_not(header):
    unknown = ls.read_login(200, {"content-type": JSON, header: "1158x1253552x2"}, '{"name": "fred"}', True)
    assert unknown.state == ls.UNKNOWN and not unknown.proven and unknown.signed
    assert ls.proved_by_myself(unknown, 200, {"name": "fred"}).proven
    assert ls.proved_by_myself(unknown, 200, {"accountId": "5b10ac8d82e05b22cc7d4ef5"}).proven


def test_myself_naming_the_user_without_any_jira_header_proves_nothing():
    """Another JSON service at the URL can answer {"name": ...}: only an answer Jira signed is a proof."""
    unsigned = ls.read_login(200, {"content-type": JSON, "server": "nginx", "x-request-id": "abc"}, '{"name": "fred"}',
                             True)
    assert not unsigned.signed
    assert ls.proved_by_myself(unsigned, 200, {"name": "fred"}) is unsigned


@pytest.mark.parametrize("headers, signed", [
    ({}, False), ({"x-request-id": "1"}, False), ({"x-arequestid": ""}, False), ({"x-arequestid": "1x2x3"}, True),
    ({"atl-request-id": "5f0e"}, True), ({"x-aaccountid": "5b10"}, True), ({"x-seraph-loginreason": "OUT"}, True),
    ({"x-ausername": "anonymous"}, True),
])
def test_signed_by_jira(headers, signed):
    assert ls.signed_by_jira(headers) is signed


@pytest.mark.parametrize("status, me", [(200, None), (200, {}), (200, {"displayName": "Fred"}), (200, ["fred"]),
                                        (302, {"name": "fred"}), (500, {"name": "fred"})])
def test_myself_without_a_named_user_proves_nothing(status, me):
    unknown = ls.read_login(status, {}, "", True)
    assert ls.proved_by_myself(unknown, status, me) is unknown


def test_myself_never_turns_a_rejection_into_a_proof():
    rejected = ls.read_login(200, {"x-seraph-loginreason": "AUTHENTICATED_FAILED"}, "", True)
    assert ls.proved_by_myself(rejected, 200, {"name": "fred"}).state == ls.WRONG_CREDENTIALS


# ---------------------------------------------------------------- login_message: what a refused login says

URL = "https://jira.example.com/rest/api/2/issue/A-1"
WHERE = "GET " + URL


def test_login_message_captcha_with_login_url():
    login = ls.Login(ls.CAPTCHA, login_url="https://jira.example.com/login.jsp")
    assert ls.login_message(login, "GET", URL) == (
        "Jira refused the login without checking the password: CAPTCHA is triggered for this account after too many "
        "failed logins (%s). Log in once in a browser at https://jira.example.com/login.jsp and solve the CAPTCHA, "
        "or ask a Jira administrator to reset the failed login count. Do not retry with the same credentials." % WHERE)


def test_login_message_captcha_without_login_url():
    message = ls.login_message(ls.Login(ls.CAPTCHA), "GET", URL)
    assert "Log in once in a browser at Jira's login page and solve the CAPTCHA" in message


def test_login_message_wrong_credentials_with_hint():
    login = ls.Login(ls.WRONG_CREDENTIALS, hint="Use an API token.")
    assert ls.login_message(login, "POST", URL) == (
        "Jira did not accept the credentials (POST %s). Check username and password/token: each failed login brings a "
        "CAPTCHA lock closer (3 in a row by default). Use an API token." % URL)


@pytest.mark.parametrize("state, expected", [
    (ls.WRONG_CREDENTIALS,
     "Jira did not accept the credentials (%s). Check username and password/token: each failed login "
     "brings a CAPTCHA lock closer (3 in a row by default)." % WHERE),
    (ls.BASIC_AUTH_DISABLED,
     "Basic authentication is disabled on this Jira (%s). Use a personal access token (token) or OAuth 2.0 client "
     "credentials (client_id and client_secret, from an incoming application link) instead, or ask an administrator to "
     "allow Basic for this account." % WHERE),
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
    assert message.startswith("Jira Cloud did not accept the credentials (%s). Check username (the account's e-mail)"
                              % WHERE)
    assert "CAPTCHA" not in message
    data_center = ls.read_login(401, {"x-seraph-loginreason": "AUTHENTICATED_FAILED",
                                      "x-arequestid": "1158x1253552x2"}, "", True)
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


@pytest.mark.parametrize("method, url, scope", [
    ("GET", "https://j/rest/api/3/myself", "read:jira-user"),
    ("GET", "https://j/rest/api/3/user/search?query=fred", "read:jira-user"),
    ("GET", "https://j/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS", "read:jira-work"),
    ("GET", "https://j/rest/api/3/issue/TEST-1?fields=summary,myself", "read:jira-work"),
    ("POST", "https://j/rest/api/3/search/jql", "write:jira-work"),
    ("PUT", "https://j/rest/api/3/issue/TEST-1", "write:jira-work"),
])
def test_needed_scope_names_the_classic_scope_of_a_call(method, url, scope):
    assert ls.needed_scope(method, url) == scope


def test_the_new_states_are_not_rejections_and_say_what_to_do():
    for state, words in ((ls.INSUFFICIENT_SCOPE, "lacks the scope write:jira-work"), (ls.TOKEN_EXPIRED, "clock"),
                         (ls.GATEWAY_REQUIRED, "api_route: gateway")):
        login = ls.Login(state)
        assert not login.rejected and not login.proven
        assert words in ls.login_message(login, "POST", "https://j/rest/api/3/issue")


def test_a_cloud_refusal_at_the_site_names_scoped_tokens_and_at_the_gateway_does_not():
    login = ls.Login(ls.WRONG_CREDENTIALS, cloud=True)
    assert "api_route: gateway" in ls.login_message(login, "GET", "https://acme.atlassian.net/rest/api/3/myself")
    assert "api_route" not in ls.login_message(login, "GET", "https://api.atlassian.com/ex/jira/x/rest/api/3/myself")
