"""The /_jirasim/ control API: stats, reset, users, config, faults, and the rate limit."""

import email.utils
import http.client
import json
import time

import pytest

from conftest import FRED, Client, basic

MYSELF = "/rest/api/2/myself"


def arm(sim, **spec):
    reply = sim.control("POST", "faults", spec)
    assert reply.status == 201, reply.text
    return reply.json()["id"]


def test_stats_counters_and_log(sim):
    sim.get(MYSELF, auth=FRED)
    sim.get(MYSELF, auth=("fred", "Sup3r-Secret-Pw"))
    sim.get("/rest/api/2/issue/TEST-3")
    sim.get("/rest/api/2/search?jql=project%3DTEST&os_password=hunter2")
    stats = sim.stats()
    assert stats["requests"] == 4
    assert stats["requests_by_status"] == {"200": 3, "401": 1}
    assert stats["requests_by_route"] == {"GET /rest/api/2/myself": 2, "GET /rest/api/2/issue/{key}": 1,
                                          "GET /rest/api/2/search": 1}
    assert stats["auth_headers_seen"] == 2 and stats["writes"] == 0
    assert stats["failed_logins"] == {"fred": 1} and stats["failed_logins_total"] == {"fred": 1}
    first = stats["log"][0]
    assert first == {"method": "GET", "path": MYSELF, "query": "", "status": 200, "auth": "basic", "user": "fred",
                     "login": "OK", "fault": None, "agent": None, "origin": "site", "credential": "password"}
    assert stats["log"][2]["auth"] is None and stats["log"][2]["user"] is None
    text = json.dumps(stats)
    assert "Sup3r-Secret-Pw" not in text and "hunter2" not in text and "ZnJlZDpmcmVk" not in text


def test_reset_restores_seed(sim):
    sim.post("/rest/api/2/issue", {"fields": {"project": {"key": "TEST"}, "summary": "x",
                                              "issuetype": {"name": "Task"}}}, auth=FRED)
    sim.delete("/rest/api/2/issue/TEST-1", auth=FRED)
    for dummy in range(3):
        sim.get(MYSELF, auth=("fred", "bad"))
    sim.control("POST", "config", {"max_results_cap": 5})
    arm(sim, action="status", status=500, count=0)
    assert sim.control("POST", "reset").status == 200
    assert sim.get("/rest/api/2/issue/TEST-1", auth=FRED).status == 200
    assert sim.get("/rest/api/2/issue/TEST-26", auth=FRED).status == 404
    stats = sim.stats()
    assert stats["requests"] == 2 and stats["captcha_locked"] == [] and stats["issues_created"] == 0
    assert sim.control("GET", "config").json()["max_results_cap"] == 1000
    assert sim.control("GET", "faults").json() == {"faults": []}


def test_control_errors(sim):
    assert sim.control("POST", "faults", {"action": "explode"}).status == 400
    assert sim.control("POST", "config", {"nope": 1}).status == 400
    assert sim.control("POST", "users", {"name": "a:b", "password": "x"}).status == 400
    assert sim.control("GET", "nothing").status == 404
    assert sim.control("GET", "reset").status == 405


def test_fault_status_with_retry_after_and_count(sim):
    arm(sim, match={"method": "GET", "path": "/rest/api/2/myself"}, action="status", status=503, retry_after="2",
        count=2)
    for dummy in range(2):
        reply = sim.get(MYSELF, auth=FRED)
        assert reply.status == 503 and reply.header("Retry-After") == "2"
        assert reply.json()["errorMessages"]
    assert sim.get("/rest/api/2/serverInfo").status == 200
    assert sim.get(MYSELF, auth=FRED).status == 200
    stats = sim.stats()
    assert stats["faults_fired"] == 2 and stats["log"][0]["fault"] == "status"


def test_fault_status_http_date_and_html_body(sim):
    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    arm(sim, action="status", status=429, retry_after=date, body="<html><title>Slow down</title></html>")
    reply = sim.get(MYSELF, auth=FRED)
    assert reply.status == 429 and reply.header("Retry-After") == date
    assert reply.header("Content-Type").startswith("text/html")


def test_fault_matches_auth_kind(sim):
    arm(sim, match={"auth": "bearer"}, action="status", status=418)
    assert sim.get(MYSELF, auth=FRED).status == 200
    assert sim.get(MYSELF, bearer="x").status == 418


def test_fault_delay(sim):
    arm(sim, action="delay", seconds=0.3)
    started = time.monotonic()
    assert sim.get(MYSELF, auth=FRED).status == 200
    assert time.monotonic() - started >= 0.3


def test_fault_reset_before(sim):
    arm(sim, match={"path": "/rest/api/2/myself"}, action="reset")
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        sim.get(MYSELF, auth=FRED)
    fresh = Client(sim.url)
    assert fresh.get(MYSELF, auth=FRED).status == 200


def test_fault_reset_after_processing(sim):
    arm(sim, match={"method": "POST", "path": "/rest/api/2/issue"}, action="reset", after=True)
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        sim.post("/rest/api/2/issue", {"fields": {"project": {"key": "TEST"}, "summary": "ghost",
                                                  "issuetype": {"name": "Task"}}}, auth=FRED)
    fresh = Client(sim.url)
    assert fresh.get("/rest/api/2/issue/TEST-26", auth=FRED).json()["fields"]["summary"] == "ghost"
    assert sim.stats()["issues_created"] == 1


def test_fault_truncate(sim):
    arm(sim, action="truncate")
    conn = sim.connect()
    conn.request("GET", "/rest/api/2/search?jql=", headers={"Authorization": "Basic ZnJlZDpmcmVk"})
    response = conn.getresponse()
    assert response.status == 200 and int(response.getheader("Content-Length")) > 0
    with pytest.raises(http.client.IncompleteRead):
        response.read()


def test_fault_html_invalid_json_redirect(sim):
    arm(sim, action="html")
    page = sim.get(MYSELF, auth=FRED)
    assert page.status == 500 and "<title>" in page.text and page.header("Content-Type").startswith("text/html")
    arm(sim, action="invalid_json")
    broken = sim.get(MYSELF, auth=FRED)
    assert broken.status == 200 and broken.header("Content-Type").startswith("application/json")
    with pytest.raises(ValueError):
        broken.json()
    arm(sim, action="redirect", status=307, location="https://elsewhere.example/rest/api/2/myself")
    moved = sim.get(MYSELF, auth=FRED)
    assert moved.status == 307 and moved.header("Location") == "https://elsewhere.example/rest/api/2/myself"


def test_fault_listing_and_clearing(sim):
    first = arm(sim, action="status", status=500, count=0)
    listed = sim.control("GET", "faults").json()["faults"]
    assert listed[0]["id"] == first and listed[0]["remaining"] is None
    for dummy in range(3):
        assert sim.get(MYSELF, auth=FRED).status == 500
    assert sim.control("DELETE", "faults").status == 204
    assert sim.get(MYSELF, auth=FRED).status == 200


def test_rate_limit_429_headers(make_sim):
    _running, client = make_sim(rate_limit=3)
    statuses = [client.get(MYSELF, auth=FRED) for dummy in range(5)]
    assert [r.status for r in statuses[:3]] == [200, 200, 200]
    limited = statuses[3]
    assert limited.status == 429
    assert int(limited.header("Retry-After")) >= 1
    assert limited.header("X-RateLimit-Limit") == "3"
    assert limited.header("X-RateLimit-Remaining") == "0"
    assert limited.header("X-RateLimit-Interval-Seconds") == "1"
    assert limited.header("X-RateLimit-FillRate") == "3"
    assert client.stats()["failed_logins"] == {}
    time.sleep(0.4)
    assert client.get(MYSELF, auth=FRED).status == 200


def test_rate_limit_at_runtime(sim):
    sim.control("POST", "config", {"rate_limit": 1})
    assert sim.get(MYSELF, auth=FRED).status == 200
    assert sim.get(MYSELF, auth=FRED).status == 429
    sim.control("POST", "config", {"rate_limit": 0})
    assert sim.get(MYSELF, auth=FRED).status == 200


def test_fault_late_processes_then_answers_after_the_client_gave_up(sim):
    # A Jira that is slow to answer still did the work: the wrong password was counted as a failed login
    # before the client's timeout, as Seraph counts it when the request is processed, not when it is answered.
    arm(sim, match={"path": MYSELF}, action="late", seconds=1.0)
    conn = sim.connect()
    conn.timeout = 0.3
    conn.request("GET", MYSELF, headers={"Authorization": basic("fred", "wrong")})
    conn.sock.settimeout(0.3)
    with pytest.raises(OSError):
        conn.getresponse()
    stats = sim.stats()
    assert stats["failed_logins_total"] == {"fred": 1} and stats["log"][0]["fault"] == "late"
    time.sleep(0.8)  # the late answer goes to a closed socket; jirasim carries on
    assert Client(sim.url).get(MYSELF, auth=FRED).status == 200


def test_fault_sso_page_and_redirect_answer_every_path_without_seraph(sim):
    arm(sim, action="sso", count=0)
    page = sim.get(MYSELF, auth=FRED)
    assert page.status == 200 and "<title>Sign in" in page.text and page.header("Content-Type").startswith("text/html")
    assert page.header("X-Seraph-LoginReason") is None and page.header("X-AUSERNAME") is None
    assert sim.get("/rest/api/2/serverInfo").status == 200
    sim.control("DELETE", "faults")
    arm(sim, action="sso", redirect=True, count=0)
    moved = sim.get(MYSELF, auth=FRED)
    assert moved.status == 302 and moved.header("Location").startswith(sim.url + "/plugins/servlet/samlsso?redirectTo=")
    assert sim.get("/plugins/servlet/samlsso?redirectTo=x").status == 200
    assert sim.stats()["failed_logins_total"] == {} and sim.stats()["logins_ok"] == 0
