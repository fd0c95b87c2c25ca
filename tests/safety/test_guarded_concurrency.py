# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Guarded creates on six hosts at once (forks 6): one thing is created, the other hosts find it.

A guarded create reads first and writes only when it finds nothing (jira_issue match_jql, jira_comment marker,
jira_attachment's file name, jira_request guard_jql). Run by six hosts at once, each would read nothing and create
one; the run serializes tasks with the same url and guard. What Jira holds is counted through jirasim's own REST API
and control API, not through the modules; a second run changes nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import urllib.parse

import pytest

from safety_support import local_inventory, play, recap

HOSTS = 6
SUMMARY = "Guarded create from six hosts"
REQUEST_SUMMARY = "Guarded request from six hosts"
MARKER = "six-hosts"
FILENAME = "six-hosts.txt"
FRED = "Basic " + base64.b64encode(b"fred:fred").decode("ascii")


def _tasks(url):
    connection = {"url": url, "username": "fred", "password": "fred"}
    # Proven first, so that no host waits on the breaker's lock for unproven credentials: the creates run at once.
    prove = {"name": "Prove the credentials", "jiraops.jira.jira_auth_check": connection, "run_once": True}
    return [
        prove,
        {"name": "Issue guarded by match_jql", "jiraops.jira.jira_issue": dict(
            connection, match_jql='project = TEST AND summary ~ "%s"' % SUMMARY, project="TEST", issuetype="Task",
            summary=SUMMARY)},
        {"name": "Comment guarded by its marker", "jiraops.jira.jira_comment": dict(
            connection, issue="TEST-2", body="Deployed from six hosts", marker=MARKER)},
        {"name": "Attachment guarded by its name", "jiraops.jira.jira_attachment": dict(
            connection, issue="TEST-2", content="the same file from six hosts\n", filename=FILENAME)},
        {"name": "Request guarded by guard_jql", "jiraops.jira.jira_request": dict(
            connection, method="POST", path="/rest/api/2/issue", guard_jql='project = TEST AND summary ~ "%s"'
            % REQUEST_SUMMARY,
            body={"fields": {"project": {"key": "TEST"}, "issuetype": {"name": "Task"}, "summary": REQUEST_SUMMARY}})},
    ]


def _get(sim, path, **query):
    status, data = sim.call("GET", path + ("?" + urllib.parse.urlencode(query) if query else ""),
                            headers={"Authorization": FRED})
    assert status == 200, (path, status, data)
    return data


def _held(sim):
    """What Jira holds, read through its REST API: issues per summary, marked comments, attachments of that name."""
    def issues(summary):
        found = _get(sim, "/rest/api/2/search", jql='project = TEST AND summary ~ "%s"' % summary,
                     maxResults=50)["issues"]
        return len(found)

    comments = _get(sim, "/rest/api/2/issue/TEST-2/comment", expand="properties", maxResults=100)["comments"]
    marked = [comment for comment in comments
              if any(prop.get("value") == MARKER
                     or (isinstance(prop.get("value"), dict) and MARKER in prop["value"].values())
                     for prop in comment.get("properties") or [])]
    attachments = _get(sim, "/rest/api/2/issue/TEST-2", fields="attachment")["fields"]["attachment"]
    return {"issue": issues(SUMMARY), "comment": len(marked),
            "attachment": sum(1 for a in attachments if a["filename"] == FILENAME),
            "request": issues(REQUEST_SUMMARY)}


def _slow_reads(sim):
    """Every read a guard makes answers 0.3 s late, so that six hosts starting together all read before one creates."""
    for match in ({"path": "/rest/api/2/search"}, {"method": "GET", "path": "/rest/api/2/issue/TEST-2"}):
        sim.fault("delay", match=match, count=0, seconds=0.3)


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_six_hosts_create_one_of_each(sim, ansible, execution):
    _slow_reads(sim)
    inventory = local_inventory(HOSTS)
    variables = {"jiraops_jira_execution": execution}
    first = ansible.playbook([play(_tasks(sim.url))], inventory=inventory, extra_vars=variables,
                             extra_args=["-f", str(HOSTS)])
    assert first.rc == 0, first.describe()
    assert _held(sim) == {"issue": 1, "comment": 1, "attachment": 1, "request": 1}
    counts = recap(first.stdout)
    assert len(counts) == HOSTS and all(c["ok"] >= 4 and c["failed"] == 0 for c in counts.values()), first.describe()
    assert sum(c["changed"] for c in counts.values()) == 4, counts  # one host created each thing, the others found it
    assert "Traceback" not in first.output

    second = ansible.playbook([play(_tasks(sim.url))], inventory=inventory, extra_vars=variables,
                              extra_args=["-f", str(HOSTS)])
    assert second.rc == 0, second.describe()
    assert all(c["changed"] == 0 and c["ok"] >= 4 for c in recap(second.stdout).values()), second.describe()
    assert _held(sim) == {"issue": 1, "comment": 1, "attachment": 1, "request": 1}
