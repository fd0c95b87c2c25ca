# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""At most one write: a create, a marked comment or a POST that a proxy answers 503 + Retry-After after Jira stored it
is sent once, even with credentials proven in the run; the task says it may or may not have been done, and running it
again finds what was made and reports unchanged. A 429 on a create is not resent either. Both paths, both flavors;
jirasim's log and a separate read are the witnesses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import urllib.parse

import pytest

from safety_support import AnsibleRunner, FRED, dump_results_task, play

PATHS = ("controller", "module")
FLAVORS = ("server", "cloud")
LOGINS = {"server": FRED, "cloud": ("fred@example.com", "ATATT3xFfGF0fredTOKEN0000")}
MAYBE_DONE = "may or may not have been done"
ISSUE_SUMMARY = "Nightly build failed behind a slow proxy"
REQUEST_SUMMARY = "Created through jira_request behind a slow proxy"
REFUSED_SUMMARY = "Created under a proxy's 429"
COMMENT = "Build 4711 is green."
COMMENT_ISSUE = "TEST-3"
CASES = ("issue", "comment", "request", "refused")


def _arm(match, count=1, **spec):
    """A playbook task that arms a jirasim fault right before the task it is for."""
    body = dict(spec, match=match, count=count)
    return {"name": "Arm %s on %s" % (spec["action"], match["path"]),
            "ansible.builtin.uri": {"url": "{{ url }}/_jirasim/faults", "method": "POST", "body_format": "json",
                                    "status_code": 201, "body": body}}


def _tasks(version):
    login = {"url": "{{ url }}", "username": "{{ user }}", "password": "{{ secret }}"}
    issue = {"jiraops.jira.jira_issue": dict(login, match_jql='project = TEST AND summary ~ "\\"%s\\""' % ISSUE_SUMMARY,
                                             project="TEST", summary=ISSUE_SUMMARY)}
    comment = {"jiraops.jira.jira_comment": dict(login, issue=COMMENT_ISSUE, body=COMMENT, marker="build-status")}
    request = {"jiraops.jira.jira_request": dict(
        login, method="POST", path="/rest/api/2/issue", status_code=[201],
        guard_jql='project = TEST AND summary ~ "\\"%s\\""' % REQUEST_SUMMARY,
        body={"fields": {"project": {"key": "TEST"}, "summary": REQUEST_SUMMARY, "issuetype": {"name": "Task"}}})}
    refused = {"jiraops.jira.jira_issue": dict(login, match_jql='project = TEST AND summary ~ "\\"%s\\""'
                                               % REFUSED_SUMMARY,
                                               project="TEST", summary=REFUSED_SUMMARY)}
    after_503 = dict(action="status", status=503, retry_after="1", after=True)
    arms = {
        "issue": _arm({"method": "POST", "path": "/rest/api/%s/issue" % version}, **after_503),
        "comment": _arm({"method": "POST", "path": "/rest/api/%s/issue/%s/comment" % (version, COMMENT_ISSUE)},
                        **after_503),
        "request": _arm({"method": "POST", "path": "/rest/api/2/issue"}, **after_503),
        "refused": _arm({"method": "POST", "path": "/rest/api/%s/issue" % version}, action="status", status=429,
                        retry_after="1", count=0),
    }
    tasks = [{"name": "Prove the credentials", "jiraops.jira.jira_auth_check": dict(login, server_info=False)}]
    for name, task in (("issue", issue), ("comment", comment), ("request", request), ("refused", refused)):
        tasks.append(arms[name])
        tasks.append(dict(task, name=name, register=name, ignore_errors=True))
        if name != "refused":
            tasks.append(dict(task, name=name + " again", register=name + "_again", ignore_errors=True))
    tasks.append(dump_results_task(list(CASES) + [name + "_again" for name in CASES if name != "refused"]))
    return [play(tasks, hosts="localhost")]


def _read(sim, login, path):
    token = base64.b64encode(("%s:%s" % login).encode("utf-8")).decode("ascii")
    status, data = sim.call("GET", path, headers={"Authorization": "Basic " + token})
    assert status == 200, (path, status, data)
    return data


def _issues_named(sim, flavor, summary):
    jql = urllib.parse.quote('project = TEST AND summary ~ "\\"%s\\""' % summary)
    if flavor == "cloud":
        found = _read(sim, LOGINS[flavor], "/rest/api/3/search/jql?fields=summary&jql=" + jql)["issues"]
    else:
        found = _read(sim, LOGINS[flavor], "/rest/api/2/search?fields=summary&jql=" + jql)["issues"]
    return [issue for issue in found if issue["fields"]["summary"] == summary]


def _comments_saying(sim, flavor, text):
    comments = _read(sim, LOGINS[flavor], "/rest/api/2/issue/%s/comment?maxResults=100" % COMMENT_ISSUE)["comments"]
    return [comment for comment in comments if text in str(comment["body"])]


def _posts(stats, path):
    """The POSTs to ``path`` that reached Jira (the refused case's 429s aside)."""
    return sum(1 for entry in stats["log"] if entry["method"] == "POST" and entry["path"] == path
               and entry["status"] != 429)


@pytest.fixture(scope="module")
def runs(jirasim_factory, ansible_env, tmp_path_factory):
    """{(flavor, execution): (results, jirasim stats, issues and comments read back, run)}."""
    found = {}
    for flavor in FLAVORS:
        sim = jirasim_factory("--flavor", flavor)
        version = "3" if flavor == "cloud" else "2"
        for execution in PATHS:
            sim.reset()
            runner = AnsibleRunner(ansible_env, str(tmp_path_factory.mktemp("once_%s_%s" % (flavor, execution))))
            user, secret = LOGINS[flavor]
            run = runner.playbook(_tasks(version), extra_vars={"url": sim.url, "user": user, "secret": secret,
                                                               "jiraops_jira_execution": execution})
            assert run.rc == 0, run.describe()
            results = dict((name, hosts["localhost"]) for name, hosts in run.out_json("results.json").items())
            read_back = {"issue": _issues_named(sim, flavor, ISSUE_SUMMARY),
                         "comment": _comments_saying(sim, flavor, COMMENT),
                         "request": _issues_named(sim, flavor, REQUEST_SUMMARY),
                         "refused": _issues_named(sim, flavor, REFUSED_SUMMARY)}
            found[(flavor, execution)] = (results, sim.stats(), read_back, run, version)
    return found


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("case", ["issue", "comment", "request"])
def test_a_write_answered_503_after_jira_stored_it_is_made_once(runs, flavor, execution, case):
    results, stats, read_back, run, version = runs[(flavor, execution)]
    first, again = results[case], results[case + "_again"]
    assert first.get("failed") is True, first
    assert MAYBE_DONE in first["msg"] and "Look in Jira" in first["msg"], first["msg"]
    assert first["request_may_have_reached_jira"] is True and first["status"] == 503
    assert len(read_back[case]) == 1, read_back[case]
    assert not again.get("failed") and again["changed"] is False, again.get("msg")
    path = {"issue": "/rest/api/%s/issue" % version, "request": "/rest/api/2/issue",
            "comment": "/rest/api/%s/issue/%s/comment" % (version, COMMENT_ISSUE)}[case]
    # issue and request share the path on server
    expected_posts = 1 if case == "comment" else 2 if version == "2" else 1
    assert _posts(stats, path) == expected_posts, [e for e in stats["log"] if e["method"] == "POST"]
    assert "Traceback" not in run.output


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("flavor", FLAVORS)
def test_a_create_answered_429_is_not_sent_again(runs, flavor, execution):
    results, stats, read_back, dummy, version = runs[(flavor, execution)]
    refused = results["refused"]
    assert refused.get("failed") is True and refused["status"] == 429, refused
    assert MAYBE_DONE in refused["msg"] and refused["request_may_have_reached_jira"] is True
    assert read_back["refused"] == []
    faulted = [e for e in stats["log"] if e["method"] == "POST" and e["fault"] == "status" and e["status"] == 429]
    assert len(faulted) == 1, faulted
