"""The identities CI uses in 2026 (issue #21): the cloud gateway and its auth server, scoped and service-account
tokens, OAuth 2.0 client credentials on both flavors, expiring tokens, Data Center PATs, Basic's allowlist.

Each test names its source; "unsourced" marks an answer no source gives, where jirasim picks the most plausible one.
"""

import base64
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import uuid

import pytest

from conftest import Client, basic
from test_control import arm
from jirasim import scopes, seed
from jirasim.routes import ROUTES

GW = "/ex/jira/" + seed.CLOUD_ID
MYSELF = "/rest/api/3/myself"
NEW_ISSUE = {"fields": {"project": {"key": "TEST"}, "summary": "made by CI", "issuetype": {"name": "Task"}}}
FRED_SCOPED = ("fred@example.com", seed.FRED_SCOPED_TOKEN)
CI_BOT = (seed.SERVICE_ACCOUNT_EMAIL, seed.SERVICE_ACCOUNT_TOKEN)
SCOPE_MISMATCH = {"code": 401, "message": "Unauthorized; scope does not match"}
JIRA_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture()
def gateway(cloud, cloud_server):
    """A client for the cloud flavor's gateway origin (the state was reset by ``cloud``)."""
    client = Client(cloud_server.gateway_url)
    yield client
    client.close()


def _form(client, path, fields, headers=None):
    sent = {"Content-Type": "application/x-www-form-urlencoded"}
    sent.update(headers or {})
    return client.call("POST", path, body=urllib.parse.urlencode(fields).encode("ascii"), headers=sent)


def _cloud_token(gateway, client_id=seed.CLOUD_OAUTH_CLIENT_ID, secret=seed.CLOUD_OAUTH_CLIENT_SECRET):
    return gateway.post("/oauth/token", {"grant_type": "client_credentials", "client_id": client_id,
                                         "client_secret": secret, "audience": "api.atlassian.com"})


def _days_from_now(text):
    stamp = time.mktime(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    return (stamp - time.time()) / seed.DAY


# --- cloudId and the gateway origin ---------------------------------------------------------------------------

def test_tenant_info_names_the_cloud_id_without_credentials(cloud, sim):
    """jira-protocol.md section 7: GET /_edge/tenant_info answers {"cloudId"} without credentials (Cloud only)."""
    reply = cloud.get("/_edge/tenant_info")
    assert reply.status == 200 and reply.json() == {"cloudId": seed.CLOUD_ID}
    uuid.UUID(seed.CLOUD_ID)
    assert sim.get("/_edge/tenant_info").status == 404  # Data Center has no edge


def test_the_gateway_serves_the_sites_jira_and_data(cloud, gateway):
    """jira-protocol.md section 7 (sooperset/mcp-atlassian#968: /myself, get_issue, search 200 through the gateway);
    self links point at the gateway (AxisCommunications/backstage-plugins#305); serverInfo's baseUrl stays the site's
    (unsourced); a service account's accountType is "app" (unsourced). Headers: Atl-Request-Id UUID and x-aaccountid
    (section 8)."""
    me = gateway.get(GW + MYSELF, auth=CI_BOT)
    assert me.status == 200, me.body
    assert me.json()["emailAddress"] == seed.SERVICE_ACCOUNT_EMAIL and me.json()["accountType"] == "app"
    uuid.UUID(me.header("Atl-Request-Id"))
    uuid.UUID(me.header("X-AREQUESTID"))
    assert me.header("x-aaccountid") == "5b10ac8d82e05b22cc7d4ef7" and me.header("X-Seraph-LoginReason") == "OK"
    issue = gateway.get(GW + "/rest/api/3/issue/TEST-1", auth=FRED_SCOPED).json()
    assert issue["fields"]["summary"] == cloud.get("/rest/api/3/issue/TEST-1").json()["fields"]["summary"]
    assert issue["self"].startswith(gateway.url + GW + "/rest/api/3/issue/")
    assert gateway.get(GW + "/rest/api/3/serverInfo", auth=FRED_SCOPED).json()["baseUrl"] == cloud.url
    created = gateway.post(GW + "/rest/api/2/issue", NEW_ISSUE, auth=CI_BOT)
    assert created.status == 201
    assert cloud.get("/rest/api/2/issue/" + created.json()["key"]).status == 200  # one Jira, one State


def test_the_gateway_serves_nothing_else(gateway):
    """Unsourced: a wrong cloudId and any path outside /ex/jira/{cloudId}/rest/ get the gateway's 404 JSON; the
    control API is not served there."""
    wrong = gateway.get("/ex/jira/00000000-0000-0000-0000-000000000000/rest/api/3/myself", auth=CI_BOT)
    assert wrong.status == 404 and wrong.json()["code"] == 404
    assert wrong.header("X-AREQUESTID") is None and wrong.header("Atl-Request-Id")
    for path in ("/rest/api/3/myself", GW, GW + "/login.jsp", GW + "/_edge/tenant_info", "/_jirasim/stats"):
        reply = gateway.get(path, auth=CI_BOT)
        assert reply.status == 404 and reply.json()["code"] == 404, path


def test_only_the_cloud_flavor_has_a_gateway(server, cloud_server):
    """Atlassian's gateway fronts Cloud only (jira-protocol.md section 7)."""
    assert server.gateway_url is None
    assert cloud_server.gateway_url.startswith("http://127.0.0.1:") and cloud_server.gateway_url != cloud_server.url


def test_the_gateway_sets_no_cookie_the_site_would_take(gateway, cloud_server):
    """jirasim's own safety: both origins are 127.0.0.1, where cookies ignore the port; a gateway login must not
    become a site session (on Atlassian the two are different hosts)."""
    reply = gateway.get(GW + MYSELF, auth=CI_BOT)
    assert reply.status == 200 and reply.header("Set-Cookie") is None and reply.header("X-ASESSIONID")
    with cloud_server.state.lock:
        assert not any(session.user for session in cloud_server.state.sessions.values())


def test_faults_and_the_rate_limit_act_on_the_gateway_too(cloud, gateway):
    """jirasim's own fault API (README): a fault matches the gateway's path as sent; the rate limit is shared."""
    arm(cloud, match={"path": GW + MYSELF}, action="status", status=503, retry_after="1")
    assert gateway.get(GW + MYSELF, auth=CI_BOT).status == 503
    assert gateway.get(GW + MYSELF, auth=CI_BOT).status == 200
    cloud.control("POST", "config", {"rate_limit": 1})
    gateway.get(GW + MYSELF, auth=CI_BOT)
    limited = gateway.get(GW + MYSELF, auth=CI_BOT)
    assert limited.status == 429 and limited.header("Retry-After") and limited.header("Atl-Request-Id")


def test_the_gateway_serves_nobody_anonymously(gateway):
    """Unsourced: the gateway answers an anonymous call itself, 401 {"code": 401, "message": "Unauthorized"}."""
    reply = gateway.get(GW + "/rest/api/3/serverInfo")
    assert reply.status == 401 and reply.json() == {"code": 401, "message": "Unauthorized"}


# --- scoped and service-account tokens ------------------------------------------------------------------------

def _timeless(body):
    return re.sub(rb'"serverTime": "[^"]*"', b"", body)


@pytest.mark.parametrize("who", [FRED_SCOPED, CI_BOT], ids=["scoped_token", "service_account_token"])
def test_a_scoped_token_on_the_site_is_answered_like_a_wrong_token(cloud, who):
    """Atlassian KB "401 Unauthorized error when service account accesses Jira or Confluence API": scoped tokens
    need the gateway and "there is no way to distinguish them just from the token itself"; so the site answers them
    as it answers a wrong token (jira-protocol.md section 5; Atlassian Community "Jira Token With Scopes" saw
    "Issue does not exist" on the site URL)."""
    wrong = (who[0], "ATATT3xFfGF0-not-a-token")
    for path in (MYSELF, "/rest/api/3/serverInfo", "/rest/api/3/issue/PRIV-1"):
        got, expected = cloud.get(path, auth=who), cloud.get(path, auth=wrong)
        assert (got.status, got.header("X-Seraph-LoginReason"), _timeless(got.body)) == (
            expected.status, expected.header("X-Seraph-LoginReason"), _timeless(expected.body)), path
    assert cloud.get(MYSELF, auth=who).status == 401


def test_a_missing_scope_is_the_gateways_401_and_no_failed_login(cloud, gateway):
    """raycast/extensions#11212 via jira-protocol.md section 7: 401 {"code":401,"message":"Unauthorized; scope does
    not match"}. FRED_SCOPED_TOKEN has read:jira-work and read:jira-user, no write:jira-work. The credential is
    right, so it is no failed login."""
    assert gateway.get(GW + "/rest/api/3/issue/TEST-1", auth=FRED_SCOPED).status == 200
    denied = gateway.post(GW + "/rest/api/3/issue", NEW_ISSUE, auth=FRED_SCOPED)
    assert denied.status == 401 and denied.json() == SCOPE_MISMATCH
    assert denied.header("X-AREQUESTID") is None and denied.header("X-Seraph-LoginReason") is None
    assert gateway.put(GW + "/rest/api/3/issue/TEST-1", {"fields": {"summary": "x"}}, auth=FRED_SCOPED).status == 401
    stats = cloud.stats()
    assert stats["issues_created"] == 0 and stats["writes"] == 0
    assert stats["failed_logins_total"] == {} and stats["failed_logins"] == {}
    last = stats["log"][-1]
    assert (last["origin"], last["credential"], last["login"], last["status"]) == ("gateway", "scoped_token", "OK", 401)


def test_each_scope_guards_its_calls(cloud, gateway):
    """The classic scopes of the Cloud OpenAPI document (x-atlassian-oauth2-scopes): /myself and /user/search need
    read:jira-user, issues read:jira-work; serverInfo needs none."""
    reader = cloud.control("POST", "credentials", {"user": "fred", "kind": "scoped_token",
                                                   "scopes": ["read:jira-work"]})
    assert reader.status == 201
    who = ("fred@example.com", reader.json()["secret"])
    assert gateway.get(GW + "/rest/api/3/serverInfo", auth=who).status == 200
    assert gateway.get(GW + "/rest/api/3/issue/TEST-1", auth=who).status == 200
    assert gateway.get(GW + "/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS", auth=who).status == 200
    for path in (MYSELF, "/rest/api/3/user/search?query=fred"):
        reply = gateway.get(GW + path, auth=who)
        assert reply.status == 401 and reply.json() == SCOPE_MISMATCH, path


def _spec_path():
    above = [os.path.join(TESTS_DIR, *[".."] * up, "shared", "specs") for up in (1, 2, 3)]
    names = [os.environ.get("JIRA_SPECS_DIR", "")] + above
    return next((os.path.join(each, "cloud-swagger-v3.v3.json") for each in names
                 if each and os.path.exists(os.path.join(each, "cloud-swagger-v3.v3.json"))), None)


def _spec_scopes(spec):
    """{(regex of the v3 path, METHOD): classic scope or None} from the document's x-atlassian-oauth2-scopes."""
    found = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "x-atlassian-oauth2-scopes" not in operation:
                continue
            classic = operation["x-atlassian-oauth2-scopes"][0].get("scopes") or [None]
            found[("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$", method.upper())] = classic[0]
    return found


def test_the_scope_table_is_the_openapi_documents():
    """Source: the Cloud platform REST API OpenAPI document (jira-protocol.md section 10), classic scope of each
    operation jirasim serves. Skipped where the document is not at hand (JIRA_SPECS_DIR)."""
    path = _spec_path()
    if path is None:
        pytest.skip("the Cloud OpenAPI document is not at hand")
    with open(path, encoding="utf-8") as handle:
        table = _spec_scopes(json.load(handle))
    checked = 0
    for route in ROUTES:
        concrete = re.sub(r"\{(\w+)\}", lambda found: "3" if found.group(1) == "v" else "X1", route.template)
        for method in route.handlers:
            key = next((each for each in table if each[1] == method and re.match(each[0], concrete)), None)
            if key is not None:
                checked += 1
                assert scopes.required(route, method) == table[key], (method, route.template)
    assert checked >= 30


@pytest.mark.parametrize("how", ["basic", "bearer"])
def test_a_service_account_token_works_as_basic_and_as_bearer(gateway, how):
    """Atlassian "Manage API tokens for service accounts" (jira-protocol.md section 7): Basic e-mail:token to the
    gateway; the service account's token also works as a Bearer token there."""
    kwargs = {"auth": CI_BOT} if how == "basic" else {"bearer": seed.SERVICE_ACCOUNT_TOKEN}
    me = gateway.get(GW + MYSELF, **kwargs)
    assert me.status == 200 and me.json()["accountId"] == "5b10ac8d82e05b22cc7d4ef7"
    assert gateway.post(GW + "/rest/api/3/issue/TEST-1/comment", {"body": {"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "hi"}]}]}}, **kwargs).status == 201


def test_a_classic_token_works_on_both_origins_and_a_scoped_bearer_does_not(cloud, gateway):
    """Unsourced: no page says the gateway refuses a classic (unscoped) token, so it works there too, unscoped. A
    user's scoped token as Bearer is not an OAuth token: the gateway's 401 (unsourced; jwbron/egg#3094 saw a 404)."""
    classic = ("fred@example.com", seed.CLOUD_FRED_TOKEN)
    assert cloud.get(MYSELF, auth=classic).status == 200
    assert gateway.get(GW + MYSELF, auth=classic).status == 200
    assert gateway.post(GW + "/rest/api/2/issue", NEW_ISSUE, auth=classic).status == 201
    bearer = gateway.get(GW + MYSELF, bearer=seed.FRED_SCOPED_TOKEN)
    assert bearer.status == 401 and bearer.json() == {"code": 401, "message": "Unauthorized"}


def test_an_expired_cloud_token_is_a_wrong_token(cloud, gateway):
    """jira-protocol.md section 5: "An expired token has been seen as 200 + AUTHENTICATED_FAILED" (site); on the
    gateway the 401 of a wrong token (unsourced)."""
    expired = ("wilma@example.com", seed.EXPIRED_CLOUD_TOKEN)
    info = cloud.get("/rest/api/3/serverInfo", auth=expired)
    assert info.status == 200 and info.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"
    assert cloud.get(MYSELF, auth=expired).status == 401
    assert cloud.get(MYSELF, auth=("wilma@example.com", seed.CLOUD_WILMA_TOKEN)).status == 200
    reply = gateway.get(GW + MYSELF, auth=expired)
    assert reply.status == 401 and reply.json() == {"code": 401, "message": "Unauthorized"}


# --- OAuth 2.0 client credentials -----------------------------------------------------------------------------

def test_cloud_client_credentials_give_a_bearer_token_for_the_gateway_only(cloud, gateway):
    """developer.atlassian.com "Making calls to the API" / service account OAuth 2.0 (jira-protocol.md section 7):
    client_credentials at the auth server, the access token as Bearer to the gateway, expires_in about an hour.
    On the site any Bearer is the Connect 403 (section 1)."""
    answer = _cloud_token(gateway)
    assert answer.status == 200, answer.body
    data = answer.json()
    assert set(data) == {"access_token", "token_type", "expires_in", "scope"}
    assert data["token_type"] == "Bearer" and data["expires_in"] == 3600
    assert data["scope"].split() == list(seed.CLASSIC_SCOPES)
    assert answer.header("Cache-Control") == "no-store"  # RFC 6749 section 5.1
    me = gateway.get(GW + MYSELF, bearer=data["access_token"])
    assert me.status == 200 and me.json()["emailAddress"] == seed.SERVICE_ACCOUNT_EMAIL
    assert gateway.post(GW + "/rest/api/2/issue", NEW_ISSUE, bearer=data["access_token"]).status == 201
    site = cloud.get(MYSELF, bearer=data["access_token"])
    assert site.status == 403 and site.json() == {"error": "Failed to parse Connect Session Auth Token"}
    # jirasim's own control API lists what it issued, so a leak scan can look for it.
    assert data["access_token"] in cloud.control("GET", "users").json()["access_tokens"]


def test_a_wrong_cloud_client_is_access_denied(gateway, cloud):
    """auth0's answer, on which auth.atlassian.com runs (unsourced for Atlassian): 401 access_denied/Unauthorized.
    A grant other than client_credentials: 400 unsupported_grant_type (RFC 6749 section 5.2)."""
    wrong = _cloud_token(gateway, secret="not-the-secret")
    assert wrong.status == 401 and wrong.json() == {"error": "access_denied", "error_description": "Unauthorized"}
    assert _cloud_token(gateway, client_id="nobody").status == 401
    grant = gateway.post("/oauth/token", {"grant_type": "password", "client_id": seed.CLOUD_OAUTH_CLIENT_ID,
                                          "client_secret": seed.CLOUD_OAUTH_CLIENT_SECRET})
    assert grant.status == 400 and grant.json()["error"] == "unsupported_grant_type"
    stats = cloud.stats()
    assert stats["failed_logins_total"] == {} and stats["logins_ok"] == 0
    assert [entry["credential"] for entry in stats["log"]] == [None] * 3


def test_an_expired_access_token_on_the_gateway(cloud, gateway):
    """Unsourced: the gateway's plain 401 {"code":401,"message":"Unauthorized"} once the token's expires_in passed."""
    cloud.control("POST", "config", {"oauth_token_lifetime": 0})
    token = _cloud_token(gateway).json()
    assert token["expires_in"] == 0
    reply = gateway.get(GW + MYSELF, bearer=token["access_token"])
    assert reply.status == 401 and reply.json() == {"code": 401, "message": "Unauthorized"}
    assert cloud.stats()["log"][-1]["credential"] == "oauth_access_token"


def test_server_client_credentials_post_and_basic(sim):
    """RFC 6749 section 4.4 at /rest/oauth2/latest/token (Data Center 10 incoming application links, jira-protocol.md
    section 7); client_secret_post (form) and client_secret_basic (section 2.3.1); the token works as Bearer."""
    form = {"grant_type": "client_credentials", "client_id": seed.SERVER_OAUTH_CLIENT_ID,
            "client_secret": seed.SERVER_OAUTH_CLIENT_SECRET}
    answer = _form(sim, "/rest/oauth2/latest/token", form)
    assert answer.status == 200, answer.body
    data = answer.json()
    assert data["token_type"] == "bearer" and data["expires_in"] == 3600 and data["access_token"]
    assert "no-store" in answer.header("Cache-Control")  # RFC 6749 section 5.1
    me = sim.get("/rest/api/2/myself", bearer=data["access_token"])
    assert me.status == 200 and me.json()["name"] == "svc-ci" and me.header("X-Seraph-LoginReason") == "OK"
    pair = basic(seed.SERVER_OAUTH_CLIENT_ID, seed.SERVER_OAUTH_CLIENT_SECRET)
    second = _form(sim, "/rest/oauth2/latest/token", {"grant_type": "client_credentials"}, {"Authorization": pair})
    assert second.status == 200 and second.json()["access_token"] != data["access_token"]
    assert sim.stats()["failed_logins_total"] == {}


def test_a_wrong_server_client_is_invalid_client_and_no_failed_login(sim):
    """RFC 6749 section 5.2: 401 {"error": "invalid_client"}; a token request is no Jira login (no CAPTCHA count)."""
    for dummy in range(4):
        wrong = _form(sim, "/rest/oauth2/latest/token", {
            "grant_type": "client_credentials", "client_id": seed.SERVER_OAUTH_CLIENT_ID, "client_secret": "x"})
        assert wrong.status == 401 and wrong.json() == {"error": "invalid_client"}
    basic_wrong = _form(sim, "/rest/oauth2/latest/token", {"grant_type": "client_credentials"},
                        {"Authorization": basic("svc-ci", "pa:ss:w0rd")})
    assert basic_wrong.status == 401
    stats = sim.stats()
    assert stats["failed_logins_total"] == {} and stats["captcha_locked"] == []


def test_an_expired_access_token_on_data_center(sim):
    """RFC 6750 section 3: WWW-Authenticate: Bearer ... error="invalid_token", error_description="The access token
    expired"; plus Seraph's AUTHENTICATED_FAILED (jira-protocol.md section 2)."""
    sim.control("POST", "config", {"oauth_token_lifetime": 0})
    grant = {"grant_type": "client_credentials", "client_id": seed.SERVER_OAUTH_CLIENT_ID,
             "client_secret": seed.SERVER_OAUTH_CLIENT_SECRET}
    token = _form(sim, "/rest/oauth2/latest/token", grant).json()
    reply = sim.get("/rest/api/2/myself", bearer=token["access_token"])
    assert reply.status == 401 and reply.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"
    challenges = reply.headers.get_all("WWW-Authenticate")
    assert any(each.startswith('Bearer realm="') and 'error="invalid_token"' in each and
               'error_description="The access token expired"' in each for each in challenges), challenges


def test_each_flavor_serves_only_its_own_token_endpoints(cloud, gateway, sim):
    """jira-protocol.md section 7: /rest/oauth2 and /rest/pat are Data Center's; Cloud's token endpoint is the auth
    server's (on the gateway origin in jirasim)."""
    assert cloud.post("/rest/oauth2/latest/token", {}).status == 404
    assert cloud.get("/rest/pat/latest/tokens", auth=("fred@example.com", seed.CLOUD_FRED_TOKEN)).status == 404
    assert sim.post("/oauth/token", {}).status == 404


# --- Data Center personal access tokens -----------------------------------------------------------------------

def test_pats_list_with_their_expiry_and_their_id(sim):
    """jira-protocol.md section 7: GET /rest/pat/latest/tokens lists id, name, createdAt, expiringAt, lastAccessedAt;
    the id is the numeric prefix of the base64-decoded token. FRED_PAT expires about 200 days, FRED_PAT_SOON 5 days
    after the start (the UI's "EXPIRES SOON" window)."""
    reply = sim.get("/rest/pat/latest/tokens", bearer=seed.FRED_PAT)
    assert reply.status == 200
    tokens = {each["id"]: each for each in reply.json()}
    own_id = int(base64.b64decode(seed.FRED_PAT).decode("ascii").split(":")[0])
    assert own_id == 762618412366 and set(tokens) == {own_id, 418273645091}
    mine, soon = tokens[own_id], tokens[418273645091]
    assert set(mine) == {"id", "name", "createdAt", "expiringAt", "lastAccessedAt"}
    for value in (mine["createdAt"], mine["expiringAt"], mine["lastAccessedAt"], soon["expiringAt"]):
        assert JIRA_DATE.match(value), value
    assert 199 < _days_from_now(mine["expiringAt"]) < 201 and 4 < _days_from_now(soon["expiringAt"]) < 6
    assert soon["lastAccessedAt"] is None
    assert sim.get("/rest/pat/latest/tokens", bearer=seed.FRED_PAT_SOON).status == 200


def test_a_pat_is_created_once_and_revoked(sim):
    """jira-protocol.md section 7: POST {name, expirationDuration} -> rawToken once; DELETE .../tokens/{id} -> 204."""
    made = sim.post("/rest/pat/latest/tokens", {"name": "deploy", "expirationDuration": 30}, auth=("fred", "fred"))
    assert made.status == 201
    data = made.json()
    assert int(base64.b64decode(data["rawToken"]).decode("ascii").split(":")[0]) == data["id"]
    assert 29 < _days_from_now(data["expiringAt"]) < 31
    assert sim.get("/rest/api/2/myself", bearer=data["rawToken"]).json()["name"] == "fred"
    listed = sim.get("/rest/pat/latest/tokens", auth=("fred", "fred")).json()
    assert all("rawToken" not in each for each in listed) and data["id"] in [each["id"] for each in listed]
    assert sim.delete("/rest/pat/latest/tokens/%d" % data["id"], auth=("fred", "fred")).status == 204
    assert sim.get("/rest/api/2/myself", bearer=data["rawToken"]).status == 401
    assert sim.delete("/rest/pat/latest/tokens/%d" % data["id"], auth=("fred", "fred")).status == 404
    assert sim.post("/rest/pat/latest/tokens", {"expirationDuration": 3}, auth=("fred", "fred")).status == 400


def test_pats_are_for_authenticated_users_only(sim):
    """Unsourced detail: anonymous callers get Jira's 401 JSON; a user sees only their own tokens."""
    reply = sim.get("/rest/pat/latest/tokens")
    assert reply.status == 401 and reply.json()["errorMessages"]
    assert sim.get("/rest/pat/latest/tokens", auth=("admin", "admin")).json() == []


def test_an_expired_pat_is_a_wrong_pat_and_never_locks(sim):
    """Like a wrong PAT (jira-protocol.md section 3: 401 AUTHENTICATED_FAILED); PATs are not subject to CAPTCHA."""
    for dummy in range(5):
        reply = sim.get("/rest/api/2/myself", bearer=seed.EXPIRED_PAT)
        assert reply.status == 401 and reply.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"
    stats = sim.stats()
    assert stats["captcha_locked"] == [] and stats["failed_logins_total"] == {}
    assert stats["log"][-1]["credential"] == "pat"
    assert sim.get("/rest/api/2/myself", auth=("wilma", "wilma")).status == 200


# --- Basic's allowlist -----------------------------------------------------------------------------------------

def test_basic_auth_disabled_with_an_allowlist(make_sim):
    """jira-protocol.md section 7: with Basic turned off, administrators may allow it for listed users (403
    "Basic Authentication has been disabled on this instance." for the others, section 1)."""
    _running, client = make_sim(basic_auth_disabled=True, basic_auth_allow=["svc-ci"])
    assert client.get("/rest/api/2/myself", auth=("svc-ci", "pa:ss:w0rd")).status == 200
    fred = client.get("/rest/api/2/myself", auth=("fred", "fred"))
    assert fred.status == 403 and fred.json()["message"] == "Basic Authentication has been disabled on this instance."
    assert client.control("POST", "config", {"basic_auth_allow": ["fred"]}).json()["basic_auth_allow"] == ["fred"]
    assert client.get("/rest/api/2/myself", auth=("fred", "fred")).status == 200
    assert client.get("/rest/api/2/myself", auth=("svc-ci", "pa:ss:w0rd")).status == 403
    assert client.get("/rest/api/2/myself", bearer=seed.FRED_PAT).status == 200
    assert client.control("POST", "config", {"basic_auth_allow": "fred"}).status == 400


# --- the control API and the log -------------------------------------------------------------------------------

def _credentials(client):
    users = client.control("GET", "users").json()["users"]
    return {(user["name"], each["kind"]): each for user in users for each in user["credentials"]}


def test_users_lists_every_credential_of_each_flavor(cloud, sim):
    """jirasim's own control API (issue #21): name, e-mail, account id, display name and each credential."""
    found = _credentials(cloud)
    assert found[("ci-bot", "service_account_token")]["secret"] == seed.SERVICE_ACCOUNT_TOKEN
    assert found[("ci-bot", "service_account_token")]["scopes"] == list(seed.CLASSIC_SCOPES)
    client = found[("ci-bot", "oauth_client")]
    assert client["client_id"] == seed.CLOUD_OAUTH_CLIENT_ID
    assert client["client_secret"] == seed.CLOUD_OAUTH_CLIENT_SECRET
    assert found[("fred", "scoped_token")]["scopes"] == ["read:jira-work", "read:jira-user"]
    assert found[("fred", "api_token")] == {"kind": "api_token", "secret": seed.CLOUD_FRED_TOKEN, "scopes": None,
                                            "expires_at": None, "id": None}
    assert {kind for _name, kind in found} == {"password", "api_token", "scoped_token", "service_account_token",
                                               "oauth_client"}
    server = _credentials(sim)
    assert {kind for _name, kind in server} == {"password", "pat", "oauth_client"}
    assert server[("svc-ci", "oauth_client")]["client_id"] == seed.SERVER_OAUTH_CLIENT_ID
    assert server[("wilma", "pat")]["id"] == 530184726354 and _days_from_now(server[("wilma", "pat")]["expires_at"]) < 0
    user = sim.control("GET", "users").json()["users"][0]
    assert set(user) == {"name", "email", "account_id", "display_name", "credentials"}


def test_added_credentials_work_and_can_be_born_expired(cloud, gateway, sim):
    """jirasim's own control API: POST /_jirasim/credentials answers the credential in the listing's shape."""
    made = cloud.control("POST", "credentials", {"user": "ci-bot", "kind": "service_account_token",
                                                 "expires_in_days": 10})
    assert made.status == 201 and made.json()["scopes"] == list(seed.CLASSIC_SCOPES)
    assert 9 < _days_from_now(made.json()["expires_at"]) < 11
    assert gateway.get(GW + MYSELF, bearer=made.json()["secret"]).status == 200
    old = cloud.control("POST", "credentials", {"user": "fred", "kind": "api_token", "expires_in_days": -1}).json()
    assert cloud.get(MYSELF, auth=("fred@example.com", old["secret"])).status == 401
    pat = sim.control("POST", "credentials", {"user": "reader", "kind": "pat"}).json()
    assert pat["id"] is not None and pat["expires_at"] is None
    assert sim.get("/rest/api/2/myself", bearer=pat["secret"]).json()["name"] == "reader"
    assert sim.control("POST", "credentials", {"user": "fred", "kind": "scoped_token"}).status == 400
    assert cloud.control("POST", "credentials", {"user": "fred", "kind": "service_account_token"}).status == 400
    assert cloud.control("POST", "credentials", {"user": "nobody", "kind": "api_token"}).status == 400


def test_the_log_names_origin_and_kind_and_holds_no_secret(cloud, gateway):
    """jirasim's promise (README): each log entry says "origin" and the credential kind, never a secret."""
    token = _cloud_token(gateway).json()["access_token"]
    gateway.get(GW + MYSELF, bearer=token)
    gateway.get(GW + MYSELF, auth=CI_BOT)
    gateway.get(GW + MYSELF, auth=FRED_SCOPED)
    cloud.get(MYSELF, auth=("fred@example.com", seed.CLOUD_FRED_TOKEN))
    stats = cloud.stats()
    seen = [(each["origin"], each["credential"]) for each in stats["log"]]
    assert seen == [("gateway", "oauth_client"), ("gateway", "oauth_access_token"),
                    ("gateway", "service_account_token"), ("gateway", "scoped_token"), ("site", "api_token")]
    text = json.dumps(stats)
    for secret in (token, seed.CLOUD_OAUTH_CLIENT_SECRET, seed.SERVICE_ACCOUNT_TOKEN, seed.FRED_SCOPED_TOKEN,
                   seed.CLOUD_FRED_TOKEN):
        assert secret not in text


def test_the_cli_prints_the_gateway_line_and_takes_the_allowlist():
    """jirasim's CLI: a second stdout line for the cloud flavor's gateway; --basic-auth-allow is repeatable."""
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    command = [sys.executable, "-m", "jirasim", "--port", "0", "--issues", "1", "--flavor", "cloud"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True) as proc:
        try:
            site = re.match(r"^jirasim listening on (http://127\.0\.0\.1:\d+)$", proc.stdout.readline().rstrip("\n"))
            gate = re.match(r"^jirasim gateway on (http://127\.0\.0\.1:\d+)$", proc.stdout.readline().rstrip("\n"))
            assert site and gate and site.group(1) != gate.group(1)
            client = Client(gate.group(1))
            assert client.get(GW + MYSELF, auth=CI_BOT).status == 200
            client.close()
            proc.terminate()
            assert proc.wait(10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    from jirasim.server import build_parser  # pylint: disable=import-outside-toplevel
    args = build_parser().parse_args(["--basic-auth-disabled", "--basic-auth-allow", "a", "--basic-auth-allow", "b"])
    assert args.basic_auth_allow == ["a", "b"]
