# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A long paged read at -v: progress lines on the controller path (none on the module path), one warning for a
large answer, and no secret anywhere at -vvvv, on both jirasim flavors, in a playbook and ad hoc.

Counts are asserted, never speeds: the lines are due every 20 pages (or 5 seconds, which a slow machine may add).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from safety_support import PASSWORD, TOKEN, SecretScanner, assert_no_secrets, dump_results_task, play

REQUEST = "jiraops.jira.jira_request"
CLOUD_EMAIL = "pager@example.com"
CLOUD_TOKEN = "ATATT3xFfGF0pagerTOKEN-Lk8Vq2"
# A progress line holds counts and the endpoint, nothing else.
PROGRESS = re.compile(r"^<localhost> jira_request: (?P<pages>[0-9,]+) pages, (?P<items>[0-9,]+) items, "
                      r"([0-9,]+ items/s|items/s not known yet) \((?P<endpoint>GET /rest/api/[23]/search(/jql)?)\)$")
WARNING = "jira_request returned a large answer"


@pytest.fixture(scope="module")
def server_sim(jirasim_factory):
    """The server flavor with 10,050 issues: more than the 10,000 items that make the answer large."""
    return jirasim_factory("--issues", "10050")


@pytest.fixture(scope="module")
def cloud_sim(jirasim_factory):
    """The cloud flavor with 2,500 issues (maxResults capped at 100)."""
    return jirasim_factory("--flavor", "cloud", "--issues", "2500")


@pytest.fixture()
def sims(server_sim, cloud_sim):
    for sim in (server_sim, cloud_sim):
        sim.reset()
    server_sim.add_user("pager", PASSWORD, pat=TOKEN)
    cloud_sim.add_user("pager", PASSWORD, email=CLOUD_EMAIL, token=CLOUD_TOKEN)
    return server_sim, cloud_sim


def _scanner():
    found = SecretScanner()
    found.add_basic("Basic pager", "pager", PASSWORD)
    found.add_bearer("PAT", TOKEN)
    found.add_basic("Basic pager (Cloud)", CLOUD_EMAIL, CLOUD_TOKEN)
    return found


def _search(path, page_size=None, **auth):
    args = dict(auth, url="{{ url }}", path=path, params={"jql": "project = TEST ORDER BY key", "fields": ["summary"]},
                paginate=True)
    if page_size:
        args["page_size"] = page_size
    return args


# (task name, the jirasim it asks, its arguments, the progress lines it shows on the controller path, as (pages, items))
TASKS = [
    ("basic", "url", _search("/rest/api/2/search", 250, username="pager", password="{{ P }}"),
     [("20", "5,000"), ("40", "10,000"), ("41", "10,050")]),
    ("bearer", "url", _search("/rest/api/2/search", 500, token="{{ T }}"), [("20", "10,000"), ("21", "10,050")]),
    # No page_size on Cloud: 100 asked for whole issues, 25 pages of the flavor's 100.
    ("cloud", "cloud_url", _search("/rest/api/3/search/jql", username=CLOUD_EMAIL, password="{{ CT }}"),
     [("20", "2,000"), ("25", "2,500")]),
]


def _progress_lines(output):
    """(pages, items, endpoint) of every progress line; any other line that speaks of jira_request's pages fails."""
    found = []
    for line in output.splitlines():
        if "jira_request: " in line and " pages, " in line:
            match = PROGRESS.match(line)
            assert match, "a progress line holds more than counts and the endpoint: %r" % line
            found.append((match.group("pages"), match.group("items"), match.group("endpoint")))
    return found


def _extra_vars(server_sim, cloud_sim, execution):
    return {"url": server_sim.url, "cloud_url": cloud_sim.url, "P": PASSWORD, "T": TOKEN, "CT": CLOUD_TOKEN,
            "jiraops_jira_execution": execution}


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_long_paging_shows_progress_on_the_controller_path_and_no_secret(sims, ansible, execution):
    server_sim, cloud_sim = sims
    tasks = []
    for name, url, args, dummy in TASKS:
        tasks.append({"name": name, REQUEST: dict(args, url="{{ %s }}" % url), "register": name})
    tasks.append(dump_results_task([name for name, dummy, dummy2, dummy3 in TASKS]))
    run = ansible.playbook([play(tasks, hosts="localhost")], extra_vars=_extra_vars(server_sim, cloud_sim, execution),
                           extra_args=["-vvvv"])
    assert run.rc == 0, "the playbook failed (rc %s); see %s" % (run.rc, run.work)
    assert "Traceback" not in run.output
    shown = _progress_lines(run.stdout)
    if execution == "controller":
        expected = [(pages, items, "GET " + args["path"]) for dummy, dummy2, args, lines in TASKS for pages,
                    items in lines]
        # A line every 20 pages and a last one; a slow machine may add lines every 5 seconds, never remove one.
        assert [line for line in shown if line in expected] == expected, shown
    else:
        assert shown == [], "a module cannot show progress before it returns: %r" % shown
    results = dict((name, hosts["localhost"]) for name, hosts in run.out_json("results.json").items())
    assert results["basic"]["pages"] == 41 and results["bearer"]["pages"] == 21 and results["cloud"]["pages"] == 25
    assert results["basic"]["item_count"] == 10050 and results["cloud"]["item_count"] == 2500
    # A large answer warns once per task, naming dest and fields; a smaller one not at all.
    for name in ("basic", "bearer"):
        assert len(results[name]["warnings"]) == 1 and "dest" in results[name]["warnings"][0], \
            results[name].get("warnings")
        assert "fields" in results[name]["warnings"][0]
    assert not results["cloud"].get("warnings")
    assert WARNING in run.output
    assert_no_secrets(_scanner(), run.scan_targets(), "(%s path, paging at -vvvv)" % execution)


def test_ad_hoc_paging_shows_progress_and_the_warning(sims, ansible):
    """The ad hoc command of the issue: lines while it pages, the warning with the answer, no secret at -vvvv."""
    server_sim, cloud_sim = sims
    args = dict(_search("/rest/api/2/search", 500, username="pager", password="{{ P }}"))
    run = ansible.adhoc("localhost", REQUEST, args, extra_vars=_extra_vars(server_sim, cloud_sim, "auto"),
                        extra_args=["-vvvv"])
    assert run.rc == 0, "the ad hoc command failed (rc %s); see %s" % (run.rc, run.work)
    shown = _progress_lines(run.stdout)
    expected = [("20", "10,000", "GET /rest/api/2/search"), ("21", "10,050", "GET /rest/api/2/search")]
    assert [line for line in shown if line in expected] == expected, shown
    assert WARNING in run.output
    assert_no_secrets(_scanner(), run.scan_targets(), "(ad hoc paging at -vvvv)")
