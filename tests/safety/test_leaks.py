# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Leak scan: every scenario, both modules, both execution paths, at -vvvv, with a log file and the tree callback.

No secret (and no form derived from one) may appear in stdout, stderr, the log file, the tree callback files,
the registered results written out, the breaker directory copy, or temp files left behind.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import urllib.parse

import pytest

from safety_support import (
    PASSWORD, TOKEN, URL_PASSWORD, WRONG_PASSWORD, WRONG_TOKEN, SecretScanner, assert_no_secrets, breaker_copy_tasks,
    dump_results_task, free_port, play,
)

AUTH = "jiraops.jira.jira_auth_check"
REQUEST = "jiraops.jira.jira_request"
OK = None
USERS = ("leaker", "leakwrong", "leakwrong2", "leakwrong3", "leaklocked", "leaklocked2", "leak500", "leakslow")
PAT_USER = "leakpat"
BASIC = {"username": "leaker", "password": "{{ P }}"}
TEST_1 = "/rest/api/2/issue/TEST-1"

# (id, module, args, expected): expected is OK or a substring of the failure message.
SCENARIOS = [
    ("success_basic", AUTH, dict(BASIC), OK),
    ("success_basic", REQUEST, dict(BASIC, path=TEST_1), OK),
    ("success_bearer", AUTH, {"token": "{{ T }}"}, OK),
    ("success_bearer", REQUEST, {"token": "{{ T }}", "path": TEST_1}, OK),
    ("wrong_password", AUTH, {"username": "leakwrong", "password": "{{ W }}"}, "Jira did not accept the credentials"),
    ("wrong_password", REQUEST, {"username": "leakwrong2", "password": "{{ W }}", "path": TEST_1},
     "Jira did not accept the credentials"),
    ("wrong_token", AUTH, {"token": "{{ WT }}"}, "Jira did not accept the credentials"),
    ("wrong_token", REQUEST, {"token": "{{ WT }}", "path": TEST_1, "circuit_breaker": False},
     "Jira did not accept the credentials"),
    ("captcha", AUTH, {"username": "leaklocked", "password": "{{ P }}"}, "CAPTCHA is triggered"),
    ("captcha", REQUEST, {"username": "leaklocked2", "password": "{{ P }}", "path": TEST_1}, "CAPTCHA is triggered"),
    ("client_4xx", REQUEST, dict(BASIC, path="/rest/api/2/issue/NOPE-1"), "with 404"),
    ("client_4xx", AUTH, dict(BASIC, permissions=["BROWSE_PROJECTS"], project="NOPE"), "with 404"),
    ("server_5xx", AUTH, {"username": "leak500", "password": "{{ P }}"}, "status 500"),
    ("server_5xx", REQUEST, dict(BASIC, path="/rest/api/2/issue/TEST-2"), "with 500"),
    ("timeout", AUTH, {"username": "leakslow", "password": "{{ P }}", "timeout": 1, "retries": 0}, "(timeout)"),
    ("timeout", REQUEST, dict(BASIC, path="/rest/api/2/issue/TEST-3", timeout=1, retries=0), "(timeout)"),
    ("refused", AUTH, dict(BASIC, url="{{ refused_url }}", retries=0), "the connection was refused"),
    ("refused", REQUEST, dict(BASIC, url="{{ refused_url }}", path=TEST_1, retries=0), "the connection was refused"),
    ("tls_untrusted", AUTH, dict(BASIC, url="{{ tls_url }}", retries=0), "TLS verification failed"),
    ("tls_untrusted", REQUEST, dict(BASIC, url="{{ tls_url }}", path=TEST_1, retries=0), "TLS verification failed"),
    ("tls_ca_path", AUTH, dict(BASIC, url="{{ tls_url }}", ca_path="{{ ca_path }}"), OK),
    ("tls_ca_path", REQUEST, {"url": "{{ tls_url }}", "ca_path": "{{ ca_path }}", "token": "{{ T }}", "path": TEST_1},
     OK),
    ("crlf_in_password", AUTH, {"username": "leaker", "password": "{{ P_CRLF }}"},
     "Option 'password': contains a line break"),
    ("crlf_in_password", REQUEST, {"username": "leaker", "password": "{{ P_LF }}", "path": TEST_1},
     "Option 'password': contains a line break"),
    ("colon_in_username", AUTH, {"username": "leak:er", "password": "{{ P }}"}, "Option 'username': contains ':'"),
    ("colon_in_username", REQUEST, {"username": "leak:er", "password": "{{ P }}", "path": TEST_1},
     "Option 'username': contains ':'"),
    ("userinfo_url", AUTH, {"url": "{{ secret_url }}"}, "Option 'url': contains a user name or password"),
    ("userinfo_url", REQUEST, {"url": "{{ secret_url }}", "path": TEST_1},
     "Option 'url': contains a user name or password"),
    ("userinfo_url_password", AUTH, dict(BASIC, url="{{ password_url }}"),
     "Option 'url': contains a user name or password"),
    ("userinfo_url_encoded", REQUEST, dict(BASIC, url="{{ encoded_url }}", path=TEST_1),
     "Option 'url': contains a user name or password"),
    ("token_with_username", AUTH, {"token": "{{ T }}", "username": "leaker"}, "mutually exclusive"),
    ("token_with_username", REQUEST, {"token": "{{ T }}", "username": "leaker", "password": "{{ P }}", "path": TEST_1},
     "mutually exclusive"),
]

# module_defaults: the group and a module name, the secrets set only there.
DEFAULTS_SCENARIOS = [
    ("defaults_success", AUTH, {}, OK),
    ("defaults_success", REQUEST, {"path": TEST_1}, OK),
    ("defaults_client_4xx", REQUEST, {"path": "/rest/api/2/issue/NOPE-1"}, "with 404"),
]
DEFAULTS_WRONG_SCENARIOS = [
    ("defaults_wrong_password", AUTH, {}, "Jira did not accept the credentials"),
]

# Credentials from JIRA_URL / JIRA_USERNAME / JIRA_PASSWORD in the environment of the run.
ENV_SCENARIOS = [
    ("env_success", AUTH, {}, OK),
    ("env_success", REQUEST, {"path": TEST_1}, OK),
    ("env_client_4xx", REQUEST, {"path": "/rest/api/2/issue/NOPE-1"}, "with 404"),
    ("env_server_5xx", REQUEST, {"path": "/rest/api/2/issue/TEST-2"}, "with 500"),
    ("env_timeout", AUTH, {"username": "leakslow", "timeout": 1, "retries": 0}, "(timeout)"),
]


def _task_name(scenario, module):
    return "%s_%s" % (scenario, module.rsplit("_", 1)[-1])


def _tasks(scenarios, url=True):
    tasks = []
    for scenario, module, args, dummy in scenarios:
        task_args = dict(args)
        if url:
            task_args.setdefault("url", "{{ url }}")
        tasks.append({"name": "%s with %s" % (scenario, module), module: task_args,
                      "register": _task_name(scenario, module),
                      "ignore_errors": True})
    return tasks


def _check_outcomes(results, scenarios, run):
    for scenario, module, dummy, expected in scenarios:
        name = _task_name(scenario, module)
        result = results[name]["localhost"]
        if expected is OK:
            assert not result.get("failed"), "%s failed: %s" % (name, result.get("msg"))
        else:
            assert result.get("failed"), "%s did not fail" % name
            assert expected in result.get("msg", ""), "%s: %r does not say %r" % (name, result.get("msg"), expected)
    assert "Traceback" not in run.output


def scanner(found=None):
    """Every secret of this module: the Basic pairs of every user, the tokens, the password inside the URL."""
    found = found if found is not None else SecretScanner()
    for user in USERS + ("leak:er",):
        found.add_basic("Basic %s" % user, user, PASSWORD)
    for user in ("leakwrong", "leakwrong2", "leakwrong3"):
        found.add_basic("Basic %s (wrong password)" % user, user, WRONG_PASSWORD)
    found.add_bearer("PAT", TOKEN)
    found.add_bearer("wrong PAT", WRONG_TOKEN)
    found.add_secret("password in the URL", URL_PASSWORD)
    return found


@pytest.fixture()
def leak_env(sim, tls_sim):
    """Both jirasims prepared with the users, locks and faults of the scenarios; returns the extra vars."""
    tls_sim.reset()
    for user in USERS:
        sim.add_user(user, PASSWORD)
    sim.add_user(PAT_USER, PASSWORD, pat=TOKEN)
    tls_sim.add_user("leaker", PASSWORD)
    tls_sim.add_user(PAT_USER, PASSWORD, pat=TOKEN)
    sim.lock("leaklocked", WRONG_PASSWORD)
    sim.lock("leaklocked2", WRONG_PASSWORD)
    sim.fault("status", match={"user": "leak500"}, count=0, status=500)
    sim.fault("status", match={"path": "/rest/api/2/issue/TEST-2"}, count=0, status=500)
    sim.fault("delay", match={"user": "leakslow"}, count=0, seconds=3)
    sim.fault("delay", match={"path": "/rest/api/2/issue/TEST-3"}, count=0, seconds=3)
    host_port = "127.0.0.1:%d" % sim.port
    return {
        "url": sim.url, "tls_url": tls_sim.url, "ca_path": tls_sim.cert, "refused_url": "http://127.0.0.1:%d"
        % free_port(),
        "P": PASSWORD, "P_CRLF": PASSWORD + "\r\n", "P_LF": "x\n" + PASSWORD, "W": WRONG_PASSWORD, "T": TOKEN,
        "WT": WRONG_TOKEN,
        "secret_url": "http://leaker:%s@%s" % (URL_PASSWORD, host_port),
        "password_url": "http://leaker:%s@%s" % (PASSWORD, host_port),
        "encoded_url": "http://leaker:%s@%s" % (urllib.parse.quote(PASSWORD, safe=""), host_port),
    }


def system_ca_bundle():
    """A CA bundle that does not hold jirasim's certificate (certifi's)."""
    import certifi
    return certifi.where()


def _paths_seen(sim):
    """The execution paths named in the User-Agent of the requests jirasim logged. Requests held by a delay fault are
    left out: one from the previous test may be logged after the reset, when its delay ends."""
    return set(entry["agent"].split("(", 1)[1].split(")", 1)[0] for entry in sim.stats()["log"]
               if entry.get("agent") and entry.get("user") != "leakslow" and not entry["path"].endswith("/TEST-3"))


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_no_secret_anywhere_in_any_scenario(sim, ansible, leak_env, execution):
    """All scenarios with task arguments and with module_defaults, at -vvvv: zero hits."""
    defaults = {"url": "{{ url }}", "username": "leaker", "password": "{{ P }}"}
    wrong_defaults = {"url": "{{ url }}", "username": "leakwrong3", "password": "{{ W }}"}
    everything = SCENARIOS + DEFAULTS_SCENARIOS + DEFAULTS_WRONG_SCENARIOS
    plays = [
        play(_tasks(SCENARIOS), hosts="localhost"),
        play(_tasks(DEFAULTS_SCENARIOS, url=False) + [
            {"name": "module_defaults by module name", "module_defaults": {AUTH: wrong_defaults},
             "block": _tasks(DEFAULTS_WRONG_SCENARIOS, url=False)},
            dump_results_task(sorted(set(_task_name(s, m) for s, m, dummy, dummy2 in everything))),
        ] + breaker_copy_tasks(), hosts="localhost", module_defaults={"group/jiraops.jira.jira": defaults}),
    ]
    leak_env["jiraops_jira_execution"] = execution
    # A CA bundle in the environment (REQUESTS_CA_BUNDLE, common in CI images) must not override ca_path.
    run = ansible.playbook(plays, extra_vars=leak_env, extra_args=["-vvvv"],
                           env={"REQUESTS_CA_BUNDLE": system_ca_bundle()})
    assert run.rc == 0, "the playbook itself failed (rc %s); see %s" % (run.rc, run.work)
    _check_outcomes(run.out_json("results.json"), everything, run)
    assert _paths_seen(sim) == set([execution])
    assert os.path.getsize(run.log_path) > 0 and run.tree
    assert_no_secrets(scanner(), run.scan_targets(), "(%s path)" % execution)


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_no_secret_with_credentials_from_the_environment(sim, ansible, leak_env, execution):
    """JIRA_URL, JIRA_USERNAME and JIRA_PASSWORD in the environment of the run, at -vvvv: zero hits."""
    env = {"JIRA_URL": leak_env["url"], "JIRA_USERNAME": "leaker", "JIRA_PASSWORD": PASSWORD}
    names = sorted(set(_task_name(s, m) for s, m, dummy, dummy2 in ENV_SCENARIOS))
    tasks = _tasks(ENV_SCENARIOS, url=False) + [dump_results_task(names)]
    run = ansible.playbook([play(tasks, hosts="localhost")], extra_vars={"jiraops_jira_execution": execution}, env=env,
                           extra_args=["-vvvv"])
    assert run.rc == 0, "the playbook itself failed (rc %s); see %s" % (run.rc, run.work)
    _check_outcomes(run.out_json("results.json"), ENV_SCENARIOS, run)
    assert _paths_seen(sim) == set([execution])
    assert_no_secrets(scanner(), run.scan_targets(), "(%s path, credentials from the environment)" % execution)


def test_scanner_finds_every_form(tmp_path, secret_scanner):
    """The scanner works: each derived form written to a scratch file is found, masked output is not."""
    found = scanner(secret_scanner)
    labels = [label for label, dummy in found.forms]
    for wanted in ("Basic leaker password", "Basic leaker password (URL-encoded)",
                   "Basic leaker password (JSON \\u-escaped)",
                   "Basic leaker base64(user:password)", "Basic leaker 'Basic <base64>' header value", "PAT token",
                   "PAT 'Bearer <token>' header value", "password in the URL"):
        assert wanted in labels, wanted
    for index, (label, value) in enumerate(found.forms):
        scratch = tmp_path / ("scratch%03d" % index)
        scratch.write_bytes(b"some output before\n" + value.encode("utf-8") + b" and after\n")
        hits = found.scan([("scratch file", str(scratch))])
        assert any(hit.startswith(label + ":") for hit in hits), label
        assert all(PASSWORD not in hit and TOKEN not in hit for hit in hits), "a hit must not show the secret"
    nested = tmp_path / "tree" / "deeper"
    nested.mkdir(parents=True)
    (nested / "localhost").write_bytes(b'{"msg": "Jira did not accept the credentials", "password": "********", '
                                       b'"user": "leaker"}')
    assert found.scan([("clean tree", str(tmp_path / "tree")),
                       ("clean stdout", b"ok: [localhost] => leaker ********")]) == []
    (nested / "leaky").write_bytes(("Authorization: Bearer %s" % TOKEN).encode("utf-8"))
    hits = found.scan([("tree", str(tmp_path / "tree"))])
    assert "PAT 'Bearer <token>' header value: found in tree/deeper/leaky (line 1, 1 occurrence(s))" in hits


def test_no_secret_adhoc(sim, ansible, leak_env):
    """`ansible localhost -m ... -vvvv`, failing, with the secret in a variable and in the environment: zero hits.

    (A secret written literally into -a is quoted back by ansible-core in the error origin of a failed ad hoc task;
    docs/safety.md says to pass it as a variable or through the environment.)"""
    found = scanner()
    args = {"url": "{{ url }}", "username": "leakwrong", "password": "{{ W }}"}
    run = ansible.adhoc("localhost", AUTH, args, extra_vars=leak_env, extra_args=["-vvvv"])
    assert run.rc != 0 and "Jira did not accept the credentials" in run.stdout
    assert_no_secrets(found, run.scan_targets(), "(ad hoc, password in a variable)")
    env = {"JIRA_URL": leak_env["url"], "JIRA_USERNAME": "leaker", "JIRA_PASSWORD": PASSWORD}
    run = ansible.adhoc("localhost", REQUEST, {"path": "/rest/api/2/issue/NOPE-1"}, env=env, extra_args=["-vvvv"])
    assert run.rc != 0 and "with 404" in run.stdout
    assert_no_secrets(found, run.scan_targets(), "(ad hoc, credentials from the environment)")
