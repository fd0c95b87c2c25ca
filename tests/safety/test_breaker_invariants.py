# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The breaker's invariant, crossed with the hostile world: every fault kind x every loop construct x both paths.

Invariant, read from jirasim's own counters: a wrong password costs at most one failed login per run, and the
account is not CAPTCHA-locked. Each fault is armed once (count 1) for the construct's own user, so the first
attempt meets it and every later attempt would reach Jira: a breaker that resent unproven credentials after the
fault would show two failed logins or more.

Rotation is the one case with a remaining bound: credentials Jira accepted earlier in the run are not serialized,
so when the password changes under a running play, every request already in flight fails once before the breaker
opens. That bound (at most one failed login per task running in parallel) is asserted and reported.

The measured table is printed in the terminal summary; docs/safety.md carries it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from safety_support import PASSWORD, WRONG_PASSWORD, local_inventory, play

HOSTS = 6
FORKS = "6"
TIMEOUT = 1  # seconds; the late answer comes after it
ROTATED_PASSWORD = "Rotated-Pw-8Xq"

FAULTS = {
    "late answer (after timeout)": dict(action="late", seconds=2.5),
    "reset before processing": dict(action="reset"),
    "reset after processing": dict(action="reset", after=True),
    "503 before Jira": dict(action="status", status=503, retry_after="0"),
    "HTML 200 sign-in page": dict(action="sso"),
    # the redirect; the page it points to is read without the credentials (they are unproven), so no user to match
    "302 to a sign-in page": dict(action="sso", redirect=True, count=1),
    "502 page": dict(action="html", status=502, title="502 Bad Gateway"),
    "rotation": None,
}

# construct -> the hosts its tasks run on at once (the rotation bound)
CONSTRUCTS = {"until": 1, "loop": 1, "handlers": 3, "serial": 2, "free": HOSTS, "include_tasks": 1, "delegate_to": 4,
              "ad hoc": HOSTS}

_TABLE = {}


def _check(name, **extra):
    args = {"url": "{{ url }}", "username": "{{ user }}", "password": "{{ secret }}", "timeout": TIMEOUT}
    args.update(extra)
    task = {"name": name, "jiraops.jira.jira_auth_check": args, "ignore_errors": True}
    return task


def _get_myself(name):
    args = {"url": "{{ url }}", "username": "{{ user }}", "password": "{{ secret }}", "timeout": TIMEOUT,
            "path": "/rest/api/2/myself"}
    return {"name": name, "jiraops.jira.jira_request": args, "ignore_errors": True}


def _prelude(rotation):
    """For rotation: prove the password, then change it in Jira (as an administrator would mid-run)."""
    if not rotation:
        return []
    prove = _check("Prove the password", password=PASSWORD)
    rotate = {"name": "Rotate the password in Jira", "run_once": True,
              "ansible.builtin.uri": {"url": "{{ url }}/_jirasim/users", "method": "POST", "body_format": "json",
                                      "body": {"name": "{{ user }}", "password": ROTATED_PASSWORD},
                                      "status_code": [200, 201]}}
    return [prove, rotate]


def _plays(include_file, rotation):
    """One play per construct (ad hoc runs separately), each with its own user."""
    def construct_play(construct, hosts, tasks, **keywords):
        keywords.setdefault("vars", {})["user"] = _user(construct)
        return play(_prelude(rotation) + tasks, hosts=hosts, **keywords)

    check_until = dict(_check("Poll until healthy"), register="polled", until="polled is succeeded", retries=3, delay=0)
    handler = dict(_check("Check in a handler"), listen="check jira")
    return [
        construct_play("until", "host01", [check_until]),
        construct_play("loop", "host01", [dict(_get_myself("Read myself in a loop"), loop=[1, 2, 3, 4])]),
        construct_play("handlers", "host01:host02:host03",
                       [{"name": "Notify", "ansible.builtin.debug": {"msg": "notify"}, "changed_when": True,
                         "notify": "check jira"}], handlers=[handler]),
        construct_play("serial", "all", [_check("Check, two hosts at a time")], serial=2),
        construct_play("free", "all", [_check("Check (free)"), _check("Check again (free)")], strategy="free"),
        construct_play("include_tasks", "host01",
                       [{"name": "Include the check", "ansible.builtin.include_tasks": include_file,
                         "loop": [1, 2, 3]}]),
        construct_play("delegate_to", "host01:host02:host03:host04",
                       [dict(_check("Check, delegated to localhost"), delegate_to="localhost")]),
    ]


def _user(construct):
    return "inv-" + construct.replace(" ", "-").replace("_", "-")


def _arm(sim, fault_name):
    """Add every construct's user; arm the fault once for each; return {construct: fault id}."""
    armed = {}
    for construct in CONSTRUCTS:
        sim.add_user(_user(construct), PASSWORD)
        spec = FAULTS[fault_name]
        if spec is not None:
            spec = dict(spec)
            action, count = spec.pop("action"), spec.pop("count", 1)
            armed[construct] = sim.fault(action, match={"user": _user(construct)}, count=count, **spec)
    return armed


def _unmet(sim):
    """The users whose armed fault no request met (a met fault with count 1 is used up and leaves the list)."""
    return sorted(fault["match"]["user"] for fault in sim.control("GET", "faults")["faults"])


@pytest.mark.parametrize("execution", ["controller", "module"])
@pytest.mark.parametrize("fault_name", list(FAULTS))
def test_at_most_one_failed_login_per_credential(sim, ansible, tmp_path, fault_name, execution):
    rotation = FAULTS[fault_name] is None
    _arm(sim, fault_name)
    include_file = os.path.join(str(tmp_path), "check.yml")
    with open(include_file, "w") as handle:
        handle.write("---\n- name: Check (included)\n  jiraops.jira.jira_auth_check:\n"
                     "    url: '{{ url }}'\n    username: '{{ user }}'\n    password: '{{ secret }}'\n"
                     "    timeout: %d\n  ignore_errors: true\n" % TIMEOUT)
    variables = {"url": sim.url, "secret": PASSWORD if rotation else WRONG_PASSWORD,
                 "jiraops_jira_execution": execution}
    run = ansible.playbook(_plays(include_file, rotation), inventory=local_inventory(HOSTS), extra_vars=variables,
                           extra_args=["-f", FORKS])
    assert run.rc == 0, run.describe()
    assert "Traceback" not in run.output
    if not rotation:
        adhoc = ansible.adhoc("all", "jiraops.jira.jira_auth_check",
                              {"url": sim.url, "username": _user("ad hoc"), "password": WRONG_PASSWORD,
                               "timeout": TIMEOUT},
                              inventory=local_inventory(HOSTS), extra_vars={"jiraops_jira_execution": execution},
                              extra_args=["-f", FORKS])
        assert "Traceback" not in adhoc.output
    stats = sim.stats()
    assert _unmet(sim) == [], "these cells never met their fault, so they tested nothing"
    for construct, parallel in CONSTRUCTS.items():
        user = _user(construct)
        failed = stats["failed_logins_total"].get(user, 0)
        if rotation and construct == "ad hoc":
            continue  # one ad hoc command cannot prove a password and then see it rotated
        _TABLE[(fault_name, construct, execution)] = failed
        if rotation:
            assert 1 <= failed <= parallel, (construct, failed, "rotation: one failed login per task in flight at most")
        else:
            assert failed <= 1, (fault_name, construct, execution, failed, stats["failed_logins_total"])
            assert user not in stats["captcha_locked"], (fault_name, construct, execution)


def test_invariant_table(timings):
    """Prints the table measured above (fault x construct x path -> failed logins), for docs/safety.md."""
    if not _TABLE:
        pytest.skip("the invariant cells did not run")
    constructs = list(CONSTRUCTS)
    timings.append("breaker invariant: failed logins per run (controller / module path)")
    timings.append("| fault | " + " | ".join(constructs) + " |")
    timings.append("|---" * (len(constructs) + 1) + "|")
    for fault_name in FAULTS:
        cells = []
        for construct in constructs:
            pair = [_TABLE.get((fault_name, construct, execution)) for execution in ("controller", "module")]
            cells.append("n/a" if pair == [None, None] else " / ".join("-" if n is None else str(n) for n in pair))
        timings.append("| %s | %s |" % (fault_name, " | ".join(cells)))
