# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Healthy means Jira said so: an SSO front, a portal or a wrong base URL that answers 200 HTML is never a login, a
write answered by one is never 'changed', and the breaker's memory holds whatever the spelling or source of the
credentials. Both execution paths, jirasim's counters as the witness."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from safety_support import PASSWORD, dump_results_task, local_inventory, play, recap

USER = "svc-ci"
SSO_TITLE = "Sign in - Example Corp SSO"


def _connection(sim, **extra):
    args = {"url": sim.url, "username": USER, "password": PASSWORD}
    args.update(extra)
    return args


@pytest.mark.parametrize("redirect", [False, True], ids=["sso-page", "same-origin-302-to-sso"])
@pytest.mark.parametrize("execution", ["controller", "module"])
def test_a_sign_in_page_is_never_healthy_and_never_changed(sim, ansible, execution, redirect):
    sim.add_user(USER, PASSWORD)
    sim.fault("sso", count=0, redirect=redirect)
    tasks = [
        {"name": "Check", "jiraops.jira.jira_auth_check": _connection(sim, fail_on_unhealthy=False),
         "register": "check"},
        {"name": "Create", "jiraops.jira.jira_request": _connection(
            sim, method="POST", path="/rest/api/2/issue",
            body={"fields": {"project": {"key": "TEST"}, "summary": "never", "issuetype": {"name": "Task"}}}),
         "register": "create", "ignore_errors": True},
        dump_results_task(["check", "create"]),
    ]
    run = ansible.playbook([play(tasks, hosts="host01")], inventory=local_inventory(1),
                           extra_vars={"jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    results = run.out_json("results.json")
    check, create = results["check"]["host01"], results["create"]["host01"]
    assert check["healthy"] is False and check["authenticated"] is False and check["user"] is None
    assert check["login_state"] == "unexpected_response"
    assert "'%s'" % SSO_TITLE in check["msg"] and "SSO sign-in page" in check["msg"] and "text/html" in check["msg"]
    assert "/plugins/servlet/samlsso" in check["msg"] if redirect else sim.url + "/rest/api/2/myself" in check["msg"]
    assert create["failed"] is True and create["changed"] is False
    if "did not come from Jira" not in create["msg"]:
        # the check's unknown verdict held the credentials back for the rest of the run: nothing was sent
        assert create["error_kind"] == "circuit_open", create["msg"]
    stats = sim.stats()
    assert stats["issues_created"] == 0 and stats["failed_logins_total"] == {}


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_a_post_answered_by_a_sign_in_page_fails_unchanged(sim, ansible, execution):
    """Credentials proven first, then the POST alone meets the SSO page: the write is failed, not changed."""
    sim.add_user(USER, PASSWORD)
    sim.fault("sso", match={"method": "POST"}, count=0)
    tasks = [
        {"name": "Prove", "jiraops.jira.jira_auth_check": _connection(sim, server_info=False)},
        {"name": "Create", "jiraops.jira.jira_request": _connection(
            sim, method="POST", path="/rest/api/2/issue",
            body={"fields": {"project": {"key": "TEST"}, "summary": "never", "issuetype": {"name": "Task"}}}),
         "register": "create", "ignore_errors": True},
        dump_results_task(["create"]),
    ]
    run = ansible.playbook([play(tasks, hosts="host01")], inventory=local_inventory(1),
                           extra_vars={"jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    create = run.out_json("results.json")["create"]["host01"]
    assert create["failed"] is True and create["changed"] is False
    assert create["msg"].startswith(
        "The answer to POST /rest/api/2/issue did not come from Jira's REST API (status 200")
    assert SSO_TITLE in create["msg"] and "Check that url is Jira's base URL" in create["msg"]


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_auth_health_does_not_print_ok_for_a_sign_in_page(sim, ansible, execution):
    sim.add_user(USER, PASSWORD)
    sim.fault("sso", count=0)
    run = ansible.playbook("- ansible.builtin.import_playbook: jiraops.jira.auth_health\n", extra_vars={
        "jira_url": sim.url, "jira_username": USER, "jira_password": PASSWORD, "jiraops_jira_execution": execution})
    assert run.rc != 0
    assert "JIRA AUTH OK" not in run.stdout and "JIRA AUTH FAILED (unexpected_response)" in run.stdout, \
        run.stdout[-3000:]


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_a_wrong_password_from_the_environment_opens_the_breaker(sim, ansible, execution):
    """JIRA_PASSWORD=wrong: the password is masked inside 'wrong_credentials', and it is not a task option; the breaker
    must still know what Jira answered (ten hosts, one failed login)."""
    sim.add_user(USER, PASSWORD)
    check = {"name": "Check", "jiraops.jira.jira_auth_check": {"url": sim.url}, "ignore_errors": True}
    run = ansible.playbook([play([check])], inventory=local_inventory(10), extra_args=["-f", "10"],
                           extra_vars={"jiraops_jira_execution": execution},
                           env={"JIRA_USERNAME": USER, "JIRA_PASSWORD": "wrong"})
    assert run.rc == 0 and all(counts["ignored"] == 1 for counts in recap(run.stdout).values()), run.describe()
    stats = sim.stats()
    assert stats["failed_logins_total"] == {USER: 1}, stats["failed_logins_total"]
    assert sum(1 for result in run.tree.values() if result.get("error_kind") == "circuit_open") == 9


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_one_breaker_entry_per_account_whatever_the_spelling(sim, ansible, execution):
    """The same wrong password, the URL and user name spelt six ways: Jira sees one failed login."""
    sim.add_user(USER, PASSWORD)
    port = sim.url.rsplit(":", 1)[1]
    spellings = ["http://127.0.0.1:%s" % port, "http://127.1:%s/" % port, "HTTP://127.0.0.1:%s/." % port,
                 "http://[::ffff:127.0.0.1]:%s" % port, "http://2130706433:%s//" % port, "http://0x7f.0.0.1:%s" % port]
    tasks = [{"name": "Check as %s at %s" % (user, url),
              "jiraops.jira.jira_auth_check": {"url": url, "username": user, "password": "Wrong-0ne"},
              "ignore_errors": True}
             for url, user in zip(spellings, [USER, USER.upper(), "Svc-CI", USER, "SVC-ci", USER])]
    run = ansible.playbook([play(tasks, hosts="host01")], inventory=local_inventory(1),
                           extra_vars={"jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    assert sim.stats()["failed_logins_total"] == {USER: 1}


FOREIGN_USER = {"name": USER, "key": "JIRAUSER1", "displayName": "Not Jira", "accountId": "5b10", "active": True}


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_a_json_api_that_is_not_jira_is_never_healthy_and_never_changed(sim, ansible, execution):
    """Another JSON service at the URL: /myself names the user and a POST answers 201 JSON, but no answer carries a
    header Jira sends (X-AREQUESTID, Seraph's). Not healthy; the POST, after the credentials were proven, is not
    changed."""
    sim.add_user(USER, PASSWORD)
    sim.add_user("svc-other", PASSWORD)
    sim.fault("status", match={"path": "/rest/api/2/myself"}, status=200, body=FOREIGN_USER)
    sim.fault("status", match={"method": "POST"}, status=201, body={"id": "10001", "key": "TEST-99", "self": sim.url})
    tasks = [
        {"name": "Check", "register": "check", "jiraops.jira.jira_auth_check": _connection(
            sim, username="svc-other", fail_on_unhealthy=False, server_info=False)},
        {"name": "Prove", "jiraops.jira.jira_auth_check": _connection(sim, server_info=False), "register": "prove"},
        {"name": "Create", "jiraops.jira.jira_request": _connection(
            sim, method="POST", path="/rest/api/2/issue",
            body={"fields": {"project": {"key": "TEST"}, "summary": "never", "issuetype": {"name": "Task"}}}),
         "register": "create", "ignore_errors": True},
        dump_results_task(["check", "prove", "create"]),
    ]
    run = ansible.playbook([play(tasks, hosts="host01")], inventory=local_inventory(1),
                           extra_vars={"jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    results = run.out_json("results.json")
    check, prove, create = results["check"]["host01"], results["prove"]["host01"], results["create"]["host01"]
    assert check["healthy"] is False and check["authenticated"] is False and check["user"] is None, check
    assert check["login_state"] == "unexpected_response" and "without any header Jira sends" in check["msg"], \
        check["msg"]
    assert prove["healthy"] is True  # the fault answered once: Jira itself proves the credentials
    assert create["failed"] is True and create["changed"] is False, create
    assert create["msg"].startswith(
        "The answer to POST /rest/api/2/issue did not come from Jira's REST API (status 201")
    assert sim.stats()["issues_created"] == 0
