"""Jira's signature: every answer jirasim gives as Jira carries X-AREQUESTID; a fault (a proxy, a portal or another
service in front of Jira) carries none of Jira's headers. The faults that act after Jira served the request."""

import pytest

from conftest import FRED, basic
from test_control import arm

MYSELF = "/rest/api/2/myself"
JIRA_HEADERS = ("X-AREQUESTID", "X-Seraph-LoginReason", "X-AUSERNAME", "Atl-Request-Id", "x-aaccountid", "X-ASESSIONID")
NEW_ISSUE = {"fields": {"project": {"key": "TEST"}, "summary": "served behind a proxy", "issuetype": {"name": "Task"}}}


def _jira_headers(reply):
    return [name for name in JIRA_HEADERS if reply.header(name) is not None]


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("GET", MYSELF, {"auth": FRED}, 200),
    ("GET", MYSELF, {"auth": ("fred", "wrong")}, 401),
    ("GET", MYSELF, {}, 401),
    ("GET", "/rest/api/2/nothing-here", {"auth": FRED}, 404),
    ("GET", "/secure/NoSuchPage.jspa", {"auth": FRED}, 404),
    ("PATCH", "/rest/api/2/serverInfo", {"auth": FRED}, 405),
    ("POST", "/rest/api/2/issue/TEST-1/attachments", {"auth": FRED, "body": b"x", "headers": {
        "X-Atlassian-Token": "no-check", "Content-Type": "text/plain"}}, 415),
    ("POST", "/rest/api/2/issue/TEST-1/attachments", {"auth": FRED, "body": b"x"}, 403),
    ("GET", "/rest/api/2/search?jql=nonsense%20%3D%3D", {"auth": FRED}, 400),
    ("GET", "/login.jsp", {}, 200),
    ("DELETE", "/rest/api/2/issue/TEST-2", {"auth": FRED}, 204),
])
def test_every_answer_of_jira_carries_a_request_id(sim, method, path, kwargs, status):
    reply = sim.call(method, path, **kwargs)
    assert reply.status == status, reply.body[:200]
    assert reply.header("X-AREQUESTID"), (status, dict(reply.headers))


def test_the_captcha_page_and_the_gone_search_carry_a_request_id(sim, cloud):
    for dummy in range(3):
        sim.get(MYSELF, auth=("fred", "wrong"))
    locked = sim.get(MYSELF, auth=FRED)
    assert locked.status == 403 and locked.header("X-Seraph-LoginReason") == "AUTHENTICATION_DENIED"
    assert locked.header("X-AREQUESTID")
    gone = cloud.get("/rest/api/2/search?jql=project%3DTEST")
    assert gone.status == 410 and gone.header("X-AREQUESTID")


def test_a_rate_limited_answer_carries_a_request_id(sim):
    sim.control("POST", "config", {"rate_limit": 1})
    sim.get(MYSELF, auth=FRED)
    limited = sim.get(MYSELF, auth=FRED)
    assert limited.status == 429 and limited.header("X-AREQUESTID")


@pytest.mark.parametrize("spec", [
    {"action": "status", "status": 503, "retry_after": "1"},
    {"action": "status", "status": 503, "after": True},
    {"action": "status", "status": 200, "body": {"name": "fred", "displayName": "Not Jira"}},
    {"action": "html", "status": 502},
    {"action": "invalid_json"},
    {"action": "redirect", "status": 302},
    {"action": "sso"},
], ids=["status", "status-after", "foreign-json-api", "html", "invalid-json", "redirect", "sso"])
def test_a_fault_carries_none_of_jiras_headers(sim, spec):
    arm(sim, **spec)
    reply = sim.get(MYSELF, auth=FRED)
    assert _jira_headers(reply) == [], dict(reply.headers)


def test_status_after_processing_creates_the_issue_and_answers_the_proxys_status(sim):
    arm(sim, match={"method": "POST", "path": "/rest/api/2/issue"}, action="status", status=503, retry_after="2",
        after=True)
    reply = sim.post("/rest/api/2/issue", NEW_ISSUE, auth=FRED)
    assert reply.status == 503 and reply.header("Retry-After") == "2" and _jira_headers(reply) == []
    stats = sim.stats()
    assert stats["issues_created"] == 1 and stats["log"][-1]["status"] == 503 and stats["log"][-1]["fault"] == "status"
    assert sim.get("/rest/api/2/issue/TEST-26", auth=FRED).json()["fields"]["summary"] == "served behind a proxy"


def test_status_fault_may_declare_its_own_content_type(sim):
    arm(sim, action="status", status=200, body={"name": "fred"}, content_type="application/json; charset=hex")
    reply = sim.get(MYSELF, auth=FRED)
    assert reply.status == 200 and reply.header("Content-Type") == "application/json; charset=hex"
    assert reply.json() == {"name": "fred"}


def test_login_redirect_counts_the_failed_login_then_sends_to_the_login_page(sim):
    arm(sim, action="login_redirect", count=0)
    moved = sim.get("/secure/Dashboard.jspa", auth=("fred", "wrong"))
    assert moved.status == 302 and moved.header("Location") == sim.url + "/login.jsp"
    assert moved.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED" and moved.header("X-AREQUESTID")
    assert moved.body == b"" and moved.header("WWW-Authenticate") is None
    assert sim.stats()["failed_logins_total"] == {"fred": 1}
    served = sim.get(MYSELF, auth=FRED)
    assert served.status == 200 and served.header("X-Seraph-LoginReason") == "OK"
    assert sim.call("GET", MYSELF, headers={"Authorization": basic("fred", "wrong")}).status == 302
    assert sim.stats()["failed_logins_total"] == {"fred": 2}
