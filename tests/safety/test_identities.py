# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The identities CI uses in 2026 (issue #21), end to end on both execution paths against jirasim.

- Cloud: a service account's token goes through Atlassian's gateway (the cloudId read once per run, anonymously, at
  the site), and the credentials reach the gateway only; a scoped token without a scope is insufficient_scope, not a
  wrong password (nothing held back); a gateway-only credential at the site URL is gateway_required.
- OAuth 2.0 client credentials on both flavors: one access token per task, a refused client held back by the breaker.
- Data Center: a personal access token's expiry, read from /rest/pat/latest/tokens; Basic turned off with an allowlist.
jirasim's log (which origin, which credential) is the witness."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from safety_support import SecretScanner, assert_no_secrets, dump_results_task, play

PATHS = ("controller", "module")
AUTH = "jiraops.jira.jira_auth_check"


@pytest.fixture(scope="module")
def cloud_sim(jirasim_factory):
    return jirasim_factory("--flavor", "cloud")


@pytest.fixture()
def cloud(cloud_sim):
    cloud_sim.reset()
    return cloud_sim


@pytest.fixture(scope="module")
def basic_off_sim(jirasim_factory):
    return jirasim_factory("--basic-auth-disabled", "--basic-auth-allow", "svc-ci")


SERVICE_ACCOUNT = "ci-bot@serviceaccount.atlassian.com"
CLASSIC_SCOPES = {"read:jira-work", "write:jira-work", "read:jira-user"}


def _credential(sim, user, kind, soonest=False):
    """A seeded credential as jirasim lists it (GET /_jirasim/users): {kind, secret or client_id/client_secret, scopes,
    expires_at, id}; ``soonest``: of several of that kind, the one that expires first."""
    users = sim.control("GET", "users")["users"]
    found = [credential for entry in users if user in (entry["name"], entry["email"])
             for credential in entry["credentials"] if credential["kind"] == kind]
    assert found, "jirasim lists no %s for %s" % (kind, user)
    found.sort(key=lambda credential: credential["expires_at"] or "9999")
    return found[0] if soonest else found[-1]


def _cloud_id(sim):
    status, answer = sim.call("GET", "/_edge/tenant_info")
    assert status == 200
    return answer["cloudId"]


def _task(name, module, args):
    return {"name": name, "register": name, "ignore_errors": True, module: args}


def _run(ansible, tasks, execution, extra_args=()):
    """Run ``tasks`` on localhost on ``execution``'s path; {register name: result}."""
    names = [task["register"] for task in tasks]
    run = ansible.playbook([play(tasks + [dump_results_task(names)], hosts="localhost")],
                           extra_vars={"jiraops_jira_execution": execution}, extra_args=list(extra_args))
    assert run.rc == 0, run.describe()
    results = run.out_json("results.json")
    return run, dict((name, results[name]["localhost"]) for name in names)


def _credentialed(sim):
    """The requests jirasim saw with credentials: (origin, method, path)."""
    return [(entry["origin"], entry["method"], entry["path"]) for entry in sim.stats()["log"]
            if entry["auth"] or entry.get("credential")]


def _service_account(cloud, **extra):
    token = _credential(cloud, SERVICE_ACCOUNT, "service_account_token")["secret"]
    return dict(dict(url=cloud.url, username=SERVICE_ACCOUNT, password=token, gateway_url=cloud.gateway_url), **extra)


@pytest.mark.parametrize("execution", PATHS)
def test_a_service_account_goes_through_the_gateway_and_its_credentials_reach_it_only(cloud, ansible, execution):
    """jira-protocol.md section 7: service-account tokens work only at api.atlassian.com/ex/jira/{cloudId}; the cloudId
    comes from /_edge/tenant_info without credentials, here once for the whole run."""
    cloud_id = _cloud_id(cloud)
    cloud.reset()
    tasks = [_task("check", AUTH, _service_account(cloud)),
             _task("read", "jiraops.jira.jira_request", _service_account(cloud, path="/rest/api/3/issue/TEST-1")),
             _task("again", AUTH, _service_account(cloud, server_info=False))]
    dummy, results = _run(ansible, tasks, execution)
    check = results["check"]
    assert check["healthy"] is True, check["msg"]
    assert (check["route"], check["cloud_id"]) == ("gateway", cloud_id)
    assert check["url"] == "%s/ex/jira/%s" % (cloud.gateway_url, cloud_id)
    assert check["credential"] == {"kind": "service_account_token", "expires_at": None, "expires_in_days": None,
                                   "expiring_soon": False}
    assert results["read"]["status"] == 200 and results["again"]["healthy"] is True
    sent = _credentialed(cloud)
    assert sent and set(origin for origin, dummy2, dummy3 in sent) == {"gateway"}, sent
    assert cloud.stats()["requests_by_route"].get("GET /_edge/tenant_info") == 1


@pytest.mark.parametrize("execution", PATHS)
def test_a_missing_scope_is_named_and_holds_nothing_back(cloud, ansible, execution):
    """raycast/extensions#11212: a token without the scope gets 401 "Unauthorized; scope does not match". The scoped
    token can read; its write fails as insufficient_scope, and the next task of the run still sends it."""
    token = _credential(cloud, "fred", "scoped_token")["secret"]
    scoped = dict(url=cloud.url, username="fred@example.com", password=token, api_route="gateway",
                  gateway_url=cloud.gateway_url)
    create = dict(scoped, project="TEST", summary="needs write scope", match_jql='summary ~ "needs write scope"')
    tasks = [_task("create", "jiraops.jira.jira_issue", create),
             _task("check", AUTH, scoped)]
    dummy, results = _run(ansible, tasks, execution)
    create, check = results["create"], results["check"]
    assert create["failed"] is True and create["login_state"] == "insufficient_scope", create["msg"]
    assert create["missing_scopes"] == ["write:jira-work"] and "write:jira-work" in create["msg"]
    assert "circuit_breaker" not in create
    assert check["healthy"] is True and check["credential"]["kind"] == "scoped_token", check["msg"]
    assert cloud.stats()["issues_created"] == 0


@pytest.mark.parametrize("execution", PATHS)
def test_a_scoped_token_at_the_site_is_one_refusal_whose_message_names_the_gateway(cloud, ansible, execution):
    """Atlassian's KB: the token itself does not tell a scoped one from a classic one, so the site refuses it like a
    wrong token. The collection sends it once and says what to set; it never tries the gateway on its own."""
    token = _credential(cloud, "fred", "scoped_token")["secret"]
    tasks = [_task("check", AUTH, dict(url=cloud.url, username="fred@example.com", password=token,
                                       gateway_url=cloud.gateway_url, server_info=False))]
    dummy, results = _run(ansible, tasks, execution)
    check = results["check"]
    assert check["healthy"] is False and check["login_state"] == "wrong_credentials"
    assert "api_route: gateway" in check["msg"]
    assert _credentialed(cloud) == [("site", "GET", "/rest/api/2/myself")]


@pytest.mark.parametrize("execution", PATHS)
def test_a_gateway_only_credential_at_the_site_is_gateway_required_not_wrong(cloud, ansible, execution):
    tasks = [_task("check", AUTH, _service_account(cloud, api_route="site", server_info=False)),
             _task("again", AUTH, _service_account(cloud, api_route="site", server_info=False))]
    dummy, results = _run(ansible, tasks, execution)
    for name in ("check", "again"):
        result = results[name]
        assert result["login_state"] == "gateway_required" and "api_route: gateway" in result["msg"], result["msg"]
        assert "circuit_breaker" not in result
    assert len(_credentialed(cloud)) == 2


def _new_client(sim, user):
    """A fresh OAuth 2.0 client of ``user`` with a random secret (a seeded one is a readable word: its pieces would
    match the output's ordinary text)."""
    return sim.control("POST", "credentials", {"user": user, "kind": "oauth_client", "scopes": sorted(CLASSIC_SCOPES)})


def _cloud_client(cloud, client):
    return dict(url=cloud.url, client_id=client["client_id"], client_secret=client["client_secret"],
                gateway_url=cloud.gateway_url, oauth_token_url=cloud.gateway_url + "/oauth/token")


@pytest.mark.parametrize("execution", PATHS)
def test_oauth_client_credentials_on_cloud_get_one_token_per_task_and_no_secret_shows(cloud, ansible, execution):
    client = _new_client(cloud, "ci-bot")
    tasks = [_task("check", AUTH, _cloud_client(cloud, client)),
             _task("create", "jiraops.jira.jira_issue", dict(_cloud_client(cloud, client), project="TEST",
                                                             summary="made by a service account's OAuth client",
                                                             match_jql='summary ~ "OAuth client"'))]
    run, results = _run(ansible, tasks, execution, extra_args=["-vvvv"])
    check, create = results["check"], results["create"]
    assert check["healthy"] is True, check["msg"]
    assert (check["route"], check["auth_type"], check["credential"]["kind"]) == ("gateway", "oauth", "oauth_client")
    assert set(check["credential"]["scopes"]) == CLASSIC_SCOPES
    assert create["changed"] is True and create["key"].startswith("TEST-"), create.get("msg")
    sent = _credentialed(cloud)
    assert [entry for entry in sent if entry[2] == "/oauth/token"] == [("gateway", "POST", "/oauth/token")] * 2
    assert set(origin for origin, dummy, dummy2 in sent) == {"gateway"}
    scanner = SecretScanner()
    scanner.add_secret("client secret", client["client_secret"])
    for token in cloud.control("GET", "users").get("access_tokens", []):
        scanner.add_bearer("access token", token)
    assert_no_secrets(scanner, run.scan_targets(), "(%s path)" % execution)


@pytest.mark.parametrize("execution", PATHS)
def test_oauth_on_data_center_and_a_refused_client_is_held_back(sim, ansible, execution):
    listed = _credential(sim, "svc-ci", "oauth_client")
    client = dict(url=sim.url, client_id=listed["client_id"], client_secret=listed["client_secret"])
    wrong = dict(client, client_secret="dcsecret-wrong-0000")
    tasks = [_task("check", AUTH, client), _task("wrong", AUTH, wrong), _task("again", AUTH, wrong)]
    dummy, results = _run(ansible, tasks, execution)
    check, refused, again = results["check"], results["wrong"], results["again"]
    assert check["healthy"] is True and check["user"]["name"] == "svc-ci", check["msg"]
    assert (check["route"], check["credential"]["kind"]) == ("site", "oauth_client")
    assert refused["login_state"] == "wrong_credentials" and "client_secret" in refused["msg"]
    assert again["login_state"] == "wrong_credentials" and again.get("circuit_breaker") == "open", again["msg"]
    tokens = [entry["status"] for entry in sim.stats()["log"] if entry["path"] == "/rest/oauth2/latest/token"]
    assert tokens == [200, 401]  # the right one, and the wrong one once


@pytest.mark.parametrize("execution", PATHS)
def test_a_personal_access_tokens_expiry_is_read_and_warned_about(sim, ansible, execution):
    soonest, latest = _credential(sim, "fred", "pat", soonest=True), _credential(sim, "fred", "pat")
    assert soonest != latest
    tasks = [_task("soon", AUTH, dict(url=sim.url, token=soonest["secret"], server_info=False)),
             _task("later", AUTH, dict(url=sim.url, token=latest["secret"], server_info=False))]
    dummy, results = _run(ansible, tasks, execution)
    soon, later = results["soon"]["credential"], results["later"]["credential"]
    assert results["soon"]["healthy"] is True and soon["kind"] == "pat"
    assert soon["expiring_soon"] is True and soon["expires_in_days"] in (4, 5) and soon["expires_at"]
    assert any("expires" in warning for warning in results["soon"]["warnings"])
    assert later["expiring_soon"] is False and 198 <= later["expires_in_days"] <= 200
    assert "warnings" not in results["later"]


def test_the_auth_health_verdict_names_the_credential_and_its_expiry(sim, ansible):
    run = ansible.playbook("- ansible.builtin.import_playbook: jiraops.jira.auth_health\n",
                           extra_vars={"jira_url": sim.url,
                                       "jira_token": _credential(sim, "fred", "pat", soonest=True)["secret"]})
    assert run.rc == 0, run.describe()
    assert "JIRA AUTH OK: fred on" in run.stdout and "[pat via the site, expires in" in run.stdout
    assert "EXPIRING SOON" in run.stdout


@pytest.mark.parametrize("execution", PATHS)
def test_basic_turned_off_with_an_allowlist(basic_off_sim, ansible, execution):
    basic_off_sim.reset()
    tasks = [_task("allowed", AUTH, dict(url=basic_off_sim.url, username="svc-ci", password="pa:ss:w0rd")),
             _task("refused", AUTH, dict(url=basic_off_sim.url, username="fred", password="fred"))]
    dummy, results = _run(ansible, tasks, execution)
    assert results["allowed"]["healthy"] is True, results["allowed"]["msg"]
    refused = results["refused"]
    assert refused["login_state"] == "basic_auth_disabled" and "OAuth 2.0" in refused["msg"]


@pytest.mark.parametrize("execution", PATHS)
def test_a_token_without_the_scope_of_the_check_itself_is_insufficient_scope(cloud, ansible, execution):
    """/myself needs read:jira-user (the Cloud platform OpenAPI document): a token made without it authenticates and
    still cannot be checked; jira_auth_check says which scope, and nothing is held back."""
    made = cloud.control("POST", "credentials", {"user": "fred", "kind": "scoped_token", "scopes": ["read:jira-work"]})
    args = dict(url=cloud.url, username="fred@example.com", password=made["secret"], api_route="gateway",
                gateway_url=cloud.gateway_url)
    tasks = [_task("check", AUTH, dict(args, server_info=False)),
             _task("read", "jiraops.jira.jira_request", dict(args, path="/rest/api/3/issue/TEST-1"))]
    dummy, results = _run(ansible, tasks, execution)
    check = results["check"]
    assert check["login_state"] == "insufficient_scope" and check["missing_scopes"] == ["read:jira-user"]
    assert check["healthy"] is False and "read:jira-user" in check["msg"] and "circuit_breaker" not in check
    assert results["read"]["status"] == 200  # the same token, next task: sent, and it can read issues


@pytest.mark.parametrize("execution", PATHS)
def test_an_access_token_the_server_says_expired_is_token_expired(sim, ansible, execution):
    """RFC 6750 section 3: Data Center answers an expired access token with error="invalid_token". A lifetime of 0
    makes every token expire as it is issued, whatever the collection's renewal does."""
    sim.configure(oauth_token_lifetime=0)
    client = _new_client(sim, "svc-ci")
    tasks = [_task("check", AUTH, dict(url=sim.url, client_id=client["client_id"],
                                       client_secret=client["client_secret"], server_info=False))]
    dummy, results = _run(ansible, tasks, execution)
    check = results["check"]
    assert check["login_state"] == "token_expired" and "clock" in check["msg"], check["msg"]
    assert "circuit_breaker" not in check


def test_verify_credentials_lists_oauth_clients_and_expiring_tokens(sim, ansible):
    client = _new_client(sim, "svc-ci")
    soon = _credential(sim, "fred", "pat", soonest=True)
    credentials = [{"name": "dc-oauth", "client_id": client["client_id"], "client_secret": client["client_secret"]},
                   {"name": "fred-soon", "token": soon["secret"]}]
    run = ansible.playbook("- ansible.builtin.import_playbook: jiraops.jira.verify_credentials\n",
                           extra_vars={"jira_url": sim.url, "jira_credentials": credentials})
    assert run.rc == 0, run.describe()
    assert re.search(r'"dc-oauth +oauth_client +svc-ci +ok +Authenticated', run.stdout), run.stdout[-3000:]
    assert re.search(r'"fred-soon +pat +fred +expiring_soon +Authenticated.*expires', run.stdout), run.stdout[-3000:]


@pytest.mark.parametrize("execution", PATHS)
def test_a_service_accounts_token_as_bearer_goes_through_the_gateway_when_asked(cloud, ansible, execution):
    """The community guide to service accounts (Atlassian Community, "Service Accounts in Practice"): the token works
    as Bearer without the e-mail, at the gateway. Given as token, it goes there with api_route: gateway; at the site
    a Bearer gets Cloud's "use Basic" answer, which now names the gateway too."""
    token = _credential(cloud, SERVICE_ACCOUNT, "service_account_token")["secret"]
    args = dict(url=cloud.url, token=token, gateway_url=cloud.gateway_url, server_info=False)
    tasks = [_task("check", AUTH, dict(args, api_route="gateway")), _task("site", AUTH, args)]
    dummy, results = _run(ansible, tasks, execution)
    check = results["check"]
    assert check["healthy"] is True and check["route"] == "gateway", check["msg"]
    assert (check["auth_type"], check["credential"]["kind"]) == ("bearer", "service_account_token")
    site = results["site"]
    assert site["login_state"] == "wrong_credentials" and "api_route: gateway" in site["msg"], site["msg"]
    assert [origin for origin, dummy2, dummy3 in _credentialed(cloud)] == ["gateway", "site"]


# A token endpoint that answers anything but a token: each fault once, in this order, one fresh client per task.
TOKEN_FAULTS = [
    ("status", dict(status=503, retry_after=0)),             # before the endpoint saw the secret, as a proxy answers
    ("status", dict(status=502, after=True)),                # after it saw it: a token may have been issued
    ("reset", {}),
    ("reset", dict(after=True)),
    ("late", dict(seconds=3)),                               # past the task's timeout of 1.5 s
    ("html", dict(status=200, title="Sign in to your account")),
    ("invalid_json", {}),
]


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("flavor", ["server", "cloud"])
def test_a_hostile_token_endpoint_gets_the_secret_once_and_no_traceback(sim, cloud, ansible, flavor, execution):
    """The token request carries the client secret: like a Basic login, it is sent once while unproven, whatever
    the endpoint answers (the client's one exchange, with the breaker's gate before it)."""
    jira = cloud if flavor == "cloud" else sim
    user, path = ("ci-bot", "/oauth/token") if flavor == "cloud" else ("svc-ci", "/rest/oauth2/latest/token")
    tasks, secrets = [], []
    for number, (action, spec) in enumerate(TOKEN_FAULTS):
        client = _new_client(jira, user)
        secrets.append(client["client_secret"])
        jira.fault(action, match={"path": path}, **spec)
        args = dict(url=jira.url, client_id=client["client_id"], client_secret=client["client_secret"], timeout=1.5,
                    retries=2, max_retry_wait=1, server_info=False)
        if flavor == "cloud":
            args.update(gateway_url=jira.gateway_url, oauth_token_url=jira.gateway_url + path)
        tasks.append(_task("fault%d" % number, AUTH, args))
    run, results = _run(ansible, tasks, execution, extra_args=["-vvv"])
    sent = [entry for entry in jira.stats()["log"] if entry["path"] == path]
    assert len(sent) == len(TOKEN_FAULTS), [(entry["status"], entry["fault"]) for entry in sent]
    for number, (action, spec) in enumerate(TOKEN_FAULTS):
        result = results["fault%d" % number]
        assert result["healthy"] is False and result["msg"], (action, spec, result)
        assert result.get("error_kind") != "internal", (action, spec, result["msg"])
    assert "Traceback" not in run.stdout + run.stderr
    scanner = SecretScanner()
    for secret in secrets:
        scanner.add_secret("client secret", secret)
    for token in jira.control("GET", "users")["access_tokens"]:
        scanner.add_bearer("access token", token)
    assert_no_secrets(scanner, run.scan_targets(), "(%s, %s path)" % (flavor, execution))
