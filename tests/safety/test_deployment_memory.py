# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverInfo (Cloud or Data Center, which version) is read once per run and url, on both execution paths (the module
path gets and returns it through the action plugin): by a search with deployment: auto and by jira_auth_check alike."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from safety_support import play

CLOUD_USER = ("fred@example.com", "ATATT3xFfGF0fredTOKEN0000")
TASKS = 3


@pytest.fixture(scope="module")
def cloud_sim(jirasim_factory):
    return jirasim_factory("--flavor", "cloud")


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_server_info_is_read_once_per_run(cloud_sim, ansible, execution):
    cloud_sim.reset()
    args = {"url": cloud_sim.url, "username": CLOUD_USER[0], "password": CLOUD_USER[1], "method": "POST",
            "path": "/rest/api/2/issue", "guard_jql": "project = TEST AND summary ~ \"\\\"once per run\\\"\"",
            "body": {"fields": {"project": {"key": "TEST"}, "summary": "once per run", "issuetype": {"name": "Task"}}}}
    tasks = [{"name": "Create once (%d)" % n, "jiraops.jira.jira_request": args} for n in range(TASKS)]
    run = ansible.playbook([play(tasks, hosts="localhost")], extra_vars={"jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    stats = cloud_sim.stats()
    assert stats["requests_by_route"].get("GET /rest/api/2/serverInfo") == 1, stats["requests_by_route"]
    assert stats["issues_created"] == 1
    assert not any(route.endswith("/search") for route in stats["requests_by_route"]), stats["requests_by_route"]


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_jira_auth_check_and_a_search_share_what_server_info_said(cloud_sim, ansible, execution):
    cloud_sim.reset()
    login = {"url": cloud_sim.url, "username": CLOUD_USER[0], "password": CLOUD_USER[1]}
    tasks = [{"name": "Check %d" % n, "jiraops.jira.jira_auth_check": login, "register": "check%d"
              % n} for n in range(TASKS)]
    # The guard searches, at the endpoint this deployment has: on the controller path the checks already said which.
    tasks.append({"name": "Create once", "jiraops.jira.jira_request": dict(
        login, method="POST", path="/rest/api/2/issue",
        guard_jql="project = TEST AND summary ~ \"\\\"after the checks\\\"\"",
        body={"fields": {"project": {"key": "TEST"}, "summary": "after the checks", "issuetype": {"name": "Task"}}})})
    tasks.append({"name": "Every check names the server", "ansible.builtin.assert": {"that": [
        "check%d.server.deployment_type == 'Cloud' and check%d.server.version is string"
        % (n, n) for n in range(TASKS)]}})
    run = ansible.playbook([play(tasks, hosts="localhost")], extra_vars={"jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    stats = cloud_sim.stats()
    assert stats["requests_by_route"].get("GET /rest/api/2/serverInfo") == 1, stats["requests_by_route"]
    assert stats["requests_by_route"].get("GET /rest/api/2/myself") == TASKS, stats["requests_by_route"]
    assert stats["requests_by_route"].get("GET /rest/api/3/search/jql") == 1 and stats["issues_created"] == 1
