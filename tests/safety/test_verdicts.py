# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jira's verdict ends the exchange, and an answer with no verdict holds the account back.

- A redirect that already carries Jira's rejection (302 to /login.jsp with AUTHENTICATED_FAILED) is not followed: one
  request with the wrong password per task, one failed login.
- Hostile bodies (JSON nested 100,000 deep, a charset that is not a text encoding) end in words, never a Python
  exception; the credentials that went out got no verdict, so the breaker holds them back for the rest of the run.
Both execution paths, both flavors where it applies; jirasim's log is the witness."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from safety_support import PASSWORD, AnsibleRunner, dump_results_task, local_inventory, play

PATHS = ("controller", "module")
WRONG = {"server": [("fred", "Wrong-fred-1"), ("wilma", "Wrong-wilma-1")],
         "cloud": [("fred@example.com", "ATATT-wrong-fred"), ("wilma@example.com", "ATATT-wrong-wilma")]}
USER = "svc-ci"
DEEP_JSON = "[" * 100000 + "]" * 100000


@pytest.fixture(scope="module")
def cloud_sim(jirasim_factory):
    return jirasim_factory("--flavor", "cloud")


def _credentialed(sim):
    return [entry for entry in sim.stats()["log"] if entry["auth"] == "basic"]


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("flavor", ["server", "cloud"])
def test_a_redirect_that_carries_the_rejection_is_not_followed(sim, cloud_sim, ansible, flavor, execution):
    jira = cloud_sim if flavor == "cloud" else sim
    jira.reset()
    jira.fault("login_redirect", count=0)  # every failed login: 302 to /login.jsp, as Jira's web paths do
    (user1, wrong1), (user2, wrong2) = WRONG[flavor]
    tasks = [
        {"name": "Read an issue with a wrong password", "register": "read", "ignore_errors": True,
         "jiraops.jira.jira_request": {"url": jira.url, "username": user1, "password": wrong1,
                                       "path": "/rest/api/2/issue/TEST-1"}},
        {"name": "Check another wrong password", "register": "check", "ignore_errors": True,
         "jiraops.jira.jira_auth_check": {"url": jira.url, "username": user2, "password": wrong2,
                                          "server_info": False}},
        dump_results_task(["read", "check"]),
    ]
    run = ansible.playbook([play(tasks, hosts="host01")], inventory=local_inventory(1),
                           extra_vars={"jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    results = run.out_json("results.json")
    read, check = results["read"]["host01"], results["check"]["host01"]
    assert read["failed"] is True and read["login_state"] == "wrong_credentials", read.get("msg")
    assert check["healthy"] is False and check["login_state"] == "wrong_credentials", check.get("msg")
    sent = _credentialed(jira)
    assert [(entry["path"], entry["status"]) for entry in sent] == [("/rest/api/2/issue/TEST-1", 302),
                                                                    ("/rest/api/2/myself", 302)]
    if flavor == "server":
        assert jira.stats()["failed_logins_total"] == {user1: 1, user2: 1}


@pytest.mark.parametrize("execution", PATHS)
def test_a_redirect_without_a_verdict_is_not_followed_with_unproven_credentials(sim, ansible, execution):
    """Jira counted the wrong password, and a proxy turned its answer into a bare 302 to /login.jsp (no Jira header):
    following it with the credentials would send them again, and login.jsp counts a second failed login (chaos seeds
    2595921100, 3136866912). The page is read without them; the task fails, and the account is held back."""
    sim.reset()
    login_page = sim.url + "/login.jsp?permissionViolation=true"
    sim.fault("status", match={"path": "/rest/api/2/issue/TEST-1"}, after=True, status=302, body="",
              content_type="text/html;charset=UTF-8", headers={"Location": login_page})
    user, wrong = WRONG["server"][0]
    tasks = [
        {"name": "Read an issue with a wrong password", "register": "read", "ignore_errors": True,
         "jiraops.jira.jira_request": {"url": sim.url, "username": user, "password": wrong,
                                       "path": "/rest/api/2/issue/TEST-1"}},
        {"name": "The same credentials again", "register": "again", "ignore_errors": True,
         "jiraops.jira.jira_request": {"url": sim.url, "username": user, "password": wrong,
                                       "path": "/rest/api/2/issue/TEST-2"}},
        dump_results_task(["read", "again"]),
    ]
    run = ansible.playbook([play(tasks, hosts="host01")], inventory=local_inventory(1),
                           extra_vars={"jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    results = run.out_json("results.json")
    read, again = results["read"]["host01"], results["again"]["host01"]
    assert read["failed"] is True and read.get("changed") is False, read
    assert again["failed"] is True and again["error_kind"] == "circuit_open", again
    assert [entry["path"] for entry in _credentialed(sim)] == ["/rest/api/2/issue/TEST-1"]
    assert "/login.jsp" in [entry["path"] for entry in sim.stats()["log"]]  # followed, without the credentials
    assert sim.stats()["failed_logins_total"] == {user: 1}


# (case, fault spec of a status-200 answer, the words its task fails with)
HOSTILE = [
    ("deep-json", {"body": DEEP_JSON, "content_type": "application/json"}, "did not come from Jira's REST API"),
    ("deep-json-signed", {"body": DEEP_JSON, "content_type": "application/json", "headers": {"X-AREQUESTID": "1x1x1"}},
     "nested deeper than can be read"),
    ("charset-hex", {"body": {"key": "TEST-1"}, "content_type": "application/json; charset=hex"},
     "declares its body in the character set 'hex', which is not a text encoding"),
    ("charset-unknown", {"body": {"key": "TEST-1"}, "content_type": "application/json; charset=x-no-such-charset"},
     "declares its body in the character set 'x-no-such-charset', which is not a text encoding"),
]


@pytest.fixture(scope="module", params=PATHS)
def hostile_run(request, module_sim, ansible_env, tmp_path_factory):
    """One playbook per path: each case's user meets its hostile answer with credentials not yet proven, then tries
    again with the same credentials, which the breaker must hold back. {case: (first, second, paths sent)}, run."""
    sim, tasks = module_sim, []
    sim.reset()
    for number, (case, fault, dummy) in enumerate(HOSTILE):
        user, path = "%s-%d" % (USER, number), "/rest/api/2/issue/TEST-%d" % (number + 2)
        sim.add_user(user, PASSWORD)
        sim.fault("status", match={"path": path, "user": user}, status=200, **fault)
        login = {"url": sim.url, "username": user, "password": PASSWORD}
        tasks.append({"name": "%s: read" % case, "register": "first_%d" % number, "ignore_errors": True,
                      "jiraops.jira.jira_request": dict(login, path=path)})
        tasks.append({"name": "%s: read again with the same unproven credentials" % case, "register": "second_%d"
                      % number,
                      "ignore_errors": True, "jiraops.jira.jira_request": dict(login, path="/rest/api/2/issue/TEST-9")})
    names = ["%s_%d" % (which, number) for number in range(len(HOSTILE)) for which in ("first", "second")]
    tasks.append(dump_results_task(names))
    runner = AnsibleRunner(ansible_env, str(tmp_path_factory.mktemp("hostile_%s" % request.param)))
    run = runner.playbook([play(tasks, hosts="host01")], inventory=local_inventory(1),
                          extra_vars={"jiraops_jira_execution": request.param})
    assert run.rc == 0, run.describe()
    results, sent = run.out_json("results.json"), [entry["path"] for entry in _credentialed(sim)]
    cases = {}
    for number, (case, dummy, dummy2) in enumerate(HOSTILE):
        cases[case] = (results["first_%d" % number]["host01"], results["second_%d" % number]["host01"],
                       sent.count("/rest/api/2/issue/TEST-%d" % (number + 2)))
    return cases, sent.count("/rest/api/2/issue/TEST-9"), run


@pytest.mark.parametrize("case, fault, words", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_a_hostile_body_ends_in_words_and_holds_the_account_back(hostile_run, case, fault, words):
    cases, second_tries_sent, run = hostile_run
    first, second, sent = cases[case]
    assert first["failed"] is True and words in first["msg"], first.get("msg")
    assert not any(name in first["msg"] for name in ("RecursionError", "LookupError", "recursion",
                                                     "codec")), first["msg"]
    assert "Traceback" not in run.output
    assert second["failed"] is True and second["error_kind"] == "circuit_open", second.get("msg")
    assert sent == 1 and second_tries_sent == 0
