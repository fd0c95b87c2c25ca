"""Server/DC authentication: Seraph headers, anonymous access, PATs, CAPTCHA, cookies, Basic disabled."""

import base64
import re

from conftest import FRED, basic

from jirasim import FRED_PAT

MYSELF = "/rest/api/2/myself"
INFO = "/rest/api/2/serverInfo"
OAUTH_REALM = re.compile(r'^OAuth realm="http%3A%2F%2F127\.0\.0\.1%3A\d+"$')


def assert_never_basic_challenge(reply):
    assert "basic" not in (reply.header("WWW-Authenticate") or "").lower()


def test_basic_ok_sets_every_header(sim):
    reply = sim.get(MYSELF, auth=FRED)
    assert reply.status == 200
    assert reply.header("X-Seraph-LoginReason") == "OK"
    assert reply.header("X-AUSERNAME") == "fred"
    assert re.match(r"^\d+x\d+x\d+$", reply.header("X-AREQUESTID"))
    assert reply.header("X-ASESSIONID")
    assert re.match(r"^JSESSIONID=[0-9A-F]+; Path=/; HttpOnly$", reply.header("Set-Cookie"))
    assert reply.header("WWW-Authenticate") is None
    data = reply.json()
    assert data["name"] == "fred" and data["key"] == "JIRAUSER10000"
    assert data["displayName"] == "Fred Flintstone" and data["emailAddress"] == "fred@example.com"
    assert {"self", "active", "timeZone", "locale", "groups", "applicationRoles", "avatarUrls"} <= set(data)


def test_wrong_password_is_401_html_with_seraph_header(sim):
    reply = sim.get(MYSELF, auth=("fred", "nope"))
    assert reply.status == 401
    assert reply.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"
    assert reply.header("Content-Type").startswith("text/html")
    assert "Unauthorized (401)" in reply.text
    assert OAUTH_REALM.match(reply.header("WWW-Authenticate"))
    assert_never_basic_challenge(reply)
    assert sim.stats()["failed_logins"] == {"fred": 1}


def test_wrong_password_on_anonymous_readable_url_is_still_401(sim):
    reply = sim.get(INFO, auth=("fred", "nope"))
    assert reply.status == 401
    assert reply.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"


def test_unknown_user_is_401_and_counted(sim):
    reply = sim.get(MYSELF, auth=("nobody", "x"))
    assert reply.status == 401
    assert sim.stats()["failed_logins_total"] == {"nobody": 1}


def test_no_credentials_is_anonymous(sim):
    info = sim.get(INFO)
    assert info.status == 200
    assert info.header("X-AUSERNAME") == "anonymous"
    assert info.header("X-Seraph-LoginReason") is None
    assert info.json()["deploymentType"] == "Server"
    me = sim.get(MYSELF)
    assert me.status == 401
    assert me.json() == {"errorMessages": ["You are not authenticated. "
                                           "Authentication required to perform this operation."],
                         "errors": {}}
    assert OAUTH_REALM.match(me.header("WWW-Authenticate"))
    assert_never_basic_challenge(me)


def test_anonymous_sees_public_project_but_not_private(sim):
    assert sim.get("/rest/api/2/project/TEST").status == 200
    assert sim.get("/rest/api/2/issue/TEST-1").status == 200
    assert sim.get("/rest/api/2/search?jql=project%3DTEST").json()["total"] == 25
    priv = sim.get("/rest/api/2/project/PRIV")
    assert priv.status == 404
    assert priv.json()["errorMessages"] == ["No project could be found with key 'PRIV'."]
    assert sim.get("/rest/api/2/issue/PRIV-1").status == 404
    assert sim.get("/rest/api/2/project/PRIV", auth=FRED).status == 200


def test_anonymous_write_is_401(sim):
    reply = sim.post("/rest/api/2/issue", {"fields": {"project": {"key": "TEST"}, "summary": "x",
                                                      "issuetype": {"name": "Task"}}})
    assert reply.status == 401


def test_non_ascii_and_colon_passwords(sim):
    reply = sim.get(MYSELF, auth=("jürgen", "pässwörd✓"))
    assert reply.status == 200 and reply.json()["name"] == "jürgen"
    assert reply.header("X-AUSERNAME") == "j%C3%BCrgen"
    reply = sim.get(MYSELF, auth=("svc-ci", "pa:ss:w0rd"))
    assert reply.status == 200 and reply.header("X-AUSERNAME") == "svc-ci"
    assert sim.get(MYSELF, auth=("svc-ci", "pa")).status == 401


def test_latin1_basic_credentials_fall_back(sim):
    sim.control("POST", "users", {"name": "zoe", "password": "gr\u00fcn"})
    header = "Basic " + base64.b64encode("zoe:gr\u00fcn".encode("latin-1")).decode()
    assert sim.get(MYSELF, headers={"Authorization": header}).status == 200


def test_pat_as_bearer_works_and_as_basic_password_fails(sim):
    reply = sim.get(MYSELF, bearer=FRED_PAT)
    assert reply.status == 200
    assert reply.header("X-AUSERNAME") == "fred" and reply.header("X-Seraph-LoginReason") == "OK"
    reply = sim.get(MYSELF, auth=("fred", FRED_PAT))
    assert reply.status == 401 and reply.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"


def test_wrong_bearer_is_401(sim):
    reply = sim.get(MYSELF, bearer="not-a-token")
    assert reply.status == 401
    assert reply.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"
    assert OAUTH_REALM.match(reply.header("WWW-Authenticate"))


def _lock_fred(sim, failures=3):
    for dummy in range(failures):
        assert sim.get(MYSELF, auth=("fred", "wrong")).status == 401


def test_captcha_after_three_failures_even_right_password(sim):
    _lock_fred(sim)
    reply = sim.get(MYSELF, auth=FRED)
    assert reply.status == 403
    assert reply.header("X-Seraph-LoginReason") == "AUTHENTICATION_DENIED"
    assert re.match(r"^CAPTCHA_CHALLENGE; login-url=http://127\.0\.0\.1:\d+/login\.jsp$",
                    reply.header("X-Authentication-Denied-Reason"))
    assert OAUTH_REALM.match(reply.header("WWW-Authenticate"))
    assert reply.header("Content-Type") == "text/html;charset=UTF-8"
    assert sim.get(INFO, auth=FRED).status == 403
    stats = sim.stats()
    assert stats["captcha_locked"] == ["fred"]
    assert stats["failed_logins"]["fred"] == 3  # denied requests do not count further
    assert sim.get(MYSELF, auth=("admin", "admin")).status == 200


def test_success_resets_the_consecutive_count(sim):
    _lock_fred(sim, 2)
    assert sim.get(MYSELF, auth=FRED).status == 200
    _lock_fred(sim, 2)
    assert sim.get(MYSELF, auth=FRED).status == 200
    stats = sim.stats()
    assert "fred" not in stats["failed_logins"] and stats["failed_logins_total"]["fred"] == 4


def test_captcha_clear_unlocks(sim):
    _lock_fred(sim)
    assert sim.get(MYSELF, auth=FRED).status == 403
    assert sim.control("POST", "captcha/clear", {"user": "fred"}).status == 200
    assert sim.get(MYSELF, auth=FRED).status == 200
    _lock_fred(sim)
    sim.control("POST", "captcha/clear")
    assert sim.get(MYSELF, auth=FRED).status == 200


def test_captcha_applies_to_session_login(sim):
    for dummy in range(3):
        reply = sim.post("/rest/auth/1/session", {"username": "fred", "password": "bad"})
        assert reply.status == 401 and reply.json() == {"errorMessages": ["Login failed"], "errors": {}}
    reply = sim.post("/rest/auth/1/session", {"username": "fred", "password": "fred"})
    assert reply.status == 403
    assert reply.header("X-Seraph-LoginReason") == "AUTHENTICATION_DENIED"
    assert reply.header("X-Authentication-Denied-Reason").startswith("CAPTCHA_CHALLENGE")


def test_captcha_after_zero_never_locks(make_sim):
    _running, client = make_sim(captcha_after=0)
    for dummy in range(6):
        assert client.get(MYSELF, auth=("fred", "bad")).status == 401
    assert client.get(MYSELF, auth=FRED).status == 200


def test_basic_disabled_blocks_basic_but_not_pat(make_sim):
    _running, client = make_sim(basic_auth_disabled=True)
    reply = client.get(MYSELF, auth=FRED)
    assert reply.status == 403
    assert reply.json() == {"message": "Basic Authentication has been disabled on this instance."}
    assert client.get(MYSELF, bearer=FRED_PAT).status == 200


def test_basic_disabled_at_runtime(sim):
    sim.control("POST", "config", {"basic_auth_disabled": True})
    assert sim.get(MYSELF, auth=FRED).status == 403
    sim.control("POST", "config", {"basic_auth_disabled": False})
    assert sim.get(MYSELF, auth=FRED).status == 200


def test_session_login_cookie_and_logout(sim):
    reply = sim.post("/rest/auth/1/session", {"username": "fred", "password": "fred"})
    assert reply.status == 200
    data = reply.json()
    assert data["session"]["name"] == "JSESSIONID"
    assert sim.cookie == "JSESSIONID=" + data["session"]["value"]
    assert set(data["loginInfo"]) >= {"failedLoginCount", "loginCount"}
    assert reply.header("X-Seraph-LoginReason") == "OK"
    me = sim.get(MYSELF, keep_cookie=True)
    assert me.status == 200 and me.header("X-AUSERNAME") == "fred"
    current = sim.get("/rest/auth/1/session", keep_cookie=True)
    assert current.status == 200 and current.json()["name"] == "fred" and "loginInfo" in current.json()
    assert sim.delete("/rest/auth/1/session", keep_cookie=True).status == 204
    assert sim.get(MYSELF, keep_cookie=True).status == 401
    assert sim.get("/rest/auth/1/session").status == 401


def test_basic_login_cookie_authenticates_later_requests(sim):
    assert sim.get(MYSELF, auth=FRED).status == 200
    reply = sim.get(MYSELF, keep_cookie=True)
    assert reply.status == 200 and reply.header("X-AUSERNAME") == "fred"
    assert reply.header("Set-Cookie") is None
    assert sim.stats()["log"][-1]["auth"] == "cookie"


def test_authorization_header_beats_the_cookie(sim):
    assert sim.get(MYSELF, auth=FRED).status == 200
    reply = sim.get(MYSELF, auth=("fred", "wrong"), keep_cookie=True)
    assert reply.status == 401
    reply = sim.get(MYSELF, auth=("admin", "admin"), keep_cookie=True)
    assert reply.header("X-AUSERNAME") == "admin"


def test_unknown_scheme_is_anonymous(sim):
    reply = sim.get(INFO, headers={"Authorization": "Negotiate abc"})
    assert reply.status == 200 and reply.header("X-AUSERNAME") == "anonymous"


def test_malformed_basic_is_a_failed_login(sim):
    reply = sim.get(MYSELF, headers={"Authorization": "Basic !!!"})
    assert reply.status == 401 and reply.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"


def test_runtime_user_with_pat(sim):
    assert sim.control("POST", "users", {"name": "bot", "password": "s3cr3t-Xy", "pat": "PAT-bot-123",
                                         "permissions": ["BROWSE_PROJECTS"]}).status == 201
    assert sim.get(MYSELF, auth=("bot", "s3cr3t-Xy")).status == 200
    assert sim.get(MYSELF, bearer="PAT-bot-123").json()["name"] == "bot"
    assert basic("bot", "x") not in str(sim.stats())
