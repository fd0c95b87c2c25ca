# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile and bad input: refused with an error naming the option, before anything is sent; and hostile servers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from safety_support import AnsibleRunner, FloodServer, dump_results_task, play

AUTH = "jiraops.jira.jira_auth_check"
REQUEST = "jiraops.jira.jira_request"
ISSUE = "jiraops.jira.jira_issue"
COMMENT = "jiraops.jira.jira_comment"
ATTACHMENT = "jiraops.jira.jira_attachment"
FRED = {"username": "fred", "password": "fred"}
TEST_1 = "/rest/api/2/issue/TEST-1"
PATHS = ("controller", "module")

# (id, module, args, what the message must say). The url defaults to jirasim's; nothing may reach it.
BAD_INPUT = [
    ("url_without_scheme", AUTH, dict(FRED, url="{{ host_port }}"),
     "Option 'url': must start with http:// or https://"),
    ("url_without_scheme", REQUEST, dict(FRED, url="{{ host_port }}", path=TEST_1),
     "Option 'url': must start with http:// or https://"),
    ("url_ftp_scheme", AUTH, dict(FRED, url="ftp://{{ host_port }}"),
     "Option 'url': must start with http:// or https://"),
    ("url_ftp_scheme", REQUEST, dict(FRED, url="ftp://{{ host_port }}", path=TEST_1),
     "Option 'url': must start with http:// or https://"),
    ("url_userinfo", AUTH, {"url": "http://fred:fred@{{ host_port }}"},
     "Option 'url': contains a user name or password"),
    ("url_userinfo", REQUEST, {"url": "http://fred@{{ host_port }}", "path": TEST_1},
     "Option 'url': contains a user name or password"),
    ("url_query", AUTH, dict(FRED, url="{{ url }}/?os_authType=basic"), "Option 'url': has a query or fragment"),
    ("url_white_space", REQUEST, dict(FRED, url="{{ url }}/ji ra", path=TEST_1), "Option 'url': contains white space"),
    ("url_bad_port", AUTH, dict(FRED, url="http://127.0.0.1:99999"), "Option 'url': has an invalid port"),
    ("header_value_crlf", REQUEST, dict(FRED, path=TEST_1, headers={"X-Trace": "a\r\nX-Injected: 1"}),
     "Option 'headers'"),
    ("header_value_lf", REQUEST, dict(FRED, path=TEST_1, headers={"X-Trace": "value\n"}), "Option 'headers'"),
    ("header_name_crlf", REQUEST, dict(FRED, path=TEST_1, headers={"X-Bad\r\nName": "v"}), "Option 'headers'"),
    ("header_authorization", REQUEST, dict(FRED, path=TEST_1, headers={"Authorization": "Basic YWRtaW46YWRtaW4="}),
     "Option 'headers': sets Authorization"),
    ("header_authorization_lower", REQUEST, dict(FRED, path=TEST_1, headers={"authorization": "Bearer x"}),
     "Option 'headers': sets authorization"),
    ("header_cookie", REQUEST, dict(FRED, path=TEST_1, headers={"Cookie": "JSESSIONID=abc"}),
     "Option 'headers': sets Cookie"),
    ("header_proxy_authorization", REQUEST, dict(FRED, path=TEST_1, headers={"Proxy-Authorization": "Basic eDp5"}),
     "Option 'headers': sets Proxy-Authorization"),
    ("password_crlf", AUTH, {"username": "fred", "password": "fred\r\n"}, "Option 'password': contains a line break"),
    ("password_crlf", REQUEST, {"username": "fred", "password": "fred\n", "path": TEST_1},
     "Option 'password': contains a line break"),
    ("username_crlf", AUTH, {"username": "fred\r\nX-Injected: 1", "password": "fred"},
     "Option 'username': contains a line break"),
    ("token_crlf", AUTH, {"token": "abc\r\ndef"}, "Option 'token': contains a line break"),
    ("username_colon", AUTH, {"username": "fr:ed", "password": "fred"}, "Option 'username': contains ':'"),
    ("username_colon", REQUEST, {"username": "fr:ed", "password": "fred", "path": TEST_1},
     "Option 'username': contains ':'"),
    ("username_without_password", AUTH, {"username": "fred"}, "Option 'password': is missing"),
    ("path_other_origin", REQUEST, dict(FRED, path="http://other.example/x"),
     "Option 'path': points outside the configured url"),
    ("path_scheme_relative", REQUEST, dict(FRED, path="//other.example/x"),
     "Option 'path': points outside the configured url"),
    ("path_other_scheme_same_host", REQUEST, dict(FRED, path="https://{{ host_port }}/rest/api/2/myself"),
     "Option 'path': points outside the configured url"),
    ("path_dot_dot", REQUEST, dict(FRED, path="/../x"), "Option 'path': contains a '..' segment"),
    ("path_encoded_dot_dot", REQUEST, dict(FRED, path="/rest/api/2/%2e%2e/%2E%2E/x"),
     "Option 'path': contains a '..' segment"),
    ("path_encoded_dot_dot_start", REQUEST, dict(FRED, path="%2e%2e/x"), "Option 'path': contains a '..' segment"),
    ("path_backslash", REQUEST, dict(FRED, path="/rest/api/2/\\\\other.example"),
     "Option 'path': contains white space"),
    ("path_query", REQUEST, dict(FRED, path=TEST_1 + "?fields=summary"), "Option 'path': contains '?' or '#'"),
    ("path_empty", REQUEST, dict(FRED, path=""), "Option 'path': is empty"),
    ("guard_path_other_origin", REQUEST, dict(FRED, method="POST", path="/rest/api/2/issue", body={"fields": {}},
                                              guard_path="//other.example/x"), "Option 'guard_path': points outside"),
    ("read_path_other_origin", REQUEST, dict(FRED, method="PUT", path=TEST_1, body={"fields": {"summary": "x"}},
                                             read_path="http://other.example/x"), "Option 'read_path': points outside"),
    ("body_invalid_json_text", REQUEST, dict(FRED, method="POST", path="/rest/api/2/issue", body="{not json"),
     "Option 'body': is a string that is not valid JSON"),
    ("body_with_get", REQUEST, dict(FRED, path=TEST_1, body={"a": 1}), "Option 'body': is set for method GET"),
    ("token_with_username", AUTH, {"token": "abc", "username": "fred"}, "mutually exclusive: token|username"),
    ("token_with_username", REQUEST, {"token": "abc", "username": "fred", "password": "fred", "path": TEST_1},
     "mutually exclusive: token|username"),
    # issue [I]: headers, credentials and paths that used to be sent (or crash) are refused in words
    ("header_value_not_latin1", REQUEST, dict(FRED, path=TEST_1, headers={"X-Trace": u"caf\u00e9 \u2603"}),
     "Option 'headers': header X-Trace has characters in its value that HTTP headers cannot carry"),
    ("header_name_colon", REQUEST, dict(FRED, path=TEST_1, headers={"X-A:b": "c"}),
     "Option 'headers': has a header name that is not an HTTP token"),
    ("header_name_space", REQUEST, dict(FRED, path=TEST_1, headers={"X A": "b"}),
     "Option 'headers': has a header name that is not an HTTP token"),
    ("header_transfer_encoding", REQUEST, dict(FRED, method="POST", path="/rest/api/2/issue", body={"fields": {}},
                                               headers={"Transfer-Encoding": "chunked"}),
     "Option 'headers': sets Transfer-Encoding"),
    ("header_connection", REQUEST, dict(FRED, path=TEST_1, headers={"Connection": "close"}),
     "Option 'headers': sets Connection"),
    ("token_nul", AUTH, {"token": "abc\u0000def"}, "Option 'token': contains a control character"),
    ("token_not_latin1", REQUEST, {"token": u"pat-\u2603", "path": TEST_1},
     "Option 'token': has characters that an HTTP header cannot carry"),
    ("password_nul", AUTH, {"username": "fred", "password": "fr\u0000ed"},
     "Option 'password': contains a control character"),
    ("path_dot_dot_semicolon", REQUEST, dict(FRED, path="/rest/..;/secure/admin"),
     "Option 'path': contains a '..' segment"),
    ("path_bad_percent", REQUEST, dict(FRED, path="/rest/api/2/issue/100%"),
     "Option 'path': contains a '%' that does not start an escape of two hex digits"),
    ("read_path_dot_dot_semicolon", REQUEST, dict(FRED, method="PUT", path=TEST_1, body={"fields": {"summary": "x"}},
                                                  read_path="/rest/api/2/issue/..;/..;/secure"),
     "Option 'read_path': contains a '..' segment"),
    ("dest_directory", REQUEST, dict(FRED, path=TEST_1, dest="/tmp"), "Option 'dest': is not a regular file"),
    ("dest_device", REQUEST, dict(FRED, path=TEST_1, dest="/dev/zero"), "Option 'dest': is not a regular file"),
    ("dest_missing_directory", REQUEST, dict(FRED, path=TEST_1, dest="/nonexistent/dir/out.json"),
     "Option 'dest': is in a directory that does not exist"),
    ("mode_symbolic", REQUEST, dict(FRED, path=TEST_1, dest="/tmp/jiraops-never-written.json", mode="u=rw"),
     "Option 'mode': is not an octal mode"),
    ("ca_path_missing", AUTH, dict(FRED, ca_path="/nonexistent/ca.pem"),
     "Option 'ca_path': names /nonexistent/ca.pem, which does not exist"),
    ("client_cert_missing", REQUEST, dict(FRED, path=TEST_1, client_cert="/nonexistent/client.pem"),
     "Option 'client_cert': names /nonexistent/client.pem, which does not exist"),
] + [
    # issue #20: every numeric option out of its range, on every module (strings: YAML has no nan; Ansible converts
    # them)
    ("timeout_negative", AUTH, dict(FRED, timeout="-1"), "Option 'timeout': is -1.0, but must be more than 0. Give "),
    ("timeout_zero", AUTH, dict(FRED, timeout=0), "Option 'timeout': is 0.0, but must be more than 0. Give "),
    ("timeout_nan", AUTH, dict(FRED, timeout="nan"),
     "Option 'timeout': is nan, but must be a finite number, more than 0. Give "),
    ("timeout_inf", REQUEST, dict(FRED, path=TEST_1, timeout="inf"),
     "Option 'timeout': is inf, but must be a finite number"),
    ("timeout_zero", REQUEST, dict(FRED, path=TEST_1, timeout=0), "Option 'timeout': is 0.0, but must be more than 0"),
    ("timeout_zero", ISSUE, dict(FRED, key="TEST-1", summary="x", timeout=0),
     "Option 'timeout': is 0.0, but must be more than 0"),
    ("timeout_zero", COMMENT, dict(FRED, issue="TEST-1", body="x", timeout=0),
     "Option 'timeout': is 0.0, but must be more than 0"),
    ("timeout_zero", ATTACHMENT, dict(FRED, issue="TEST-1", content="x", filename="a.txt", timeout=0),
     "Option 'timeout': is 0.0, but must be more than 0"),
    ("retries_negative", AUTH, dict(FRED, retries=-1),
     "Option 'retries': is -1, but must be at least 0. Give 0 to never retry"),
    ("retries_negative", COMMENT, dict(FRED, issue="TEST-1", body="x", retries=-1),
     "Option 'retries': is -1, but must be at least 0"),
    ("max_retry_wait_negative", AUTH, dict(FRED, max_retry_wait=-5),
     "Option 'max_retry_wait': is -5.0, but must be at least 0"),
    ("max_retry_wait_nan", REQUEST, dict(FRED, path=TEST_1, max_retry_wait="nan"),
     "Option 'max_retry_wait': is nan, but must be a finite"),
    ("max_response_bytes_zero", AUTH, dict(FRED, max_response_bytes=0),
     "Option 'max_response_bytes': is 0, but must be more than 0"),
    ("max_response_bytes_negative", REQUEST, dict(FRED, path=TEST_1, max_response_bytes=-1),
     "Option 'max_response_bytes': is -1, but must be more than 0"),
    ("max_response_bytes_zero", ISSUE, dict(FRED, key="TEST-1", summary="x", max_response_bytes=0),
     "Option 'max_response_bytes': is 0, but must be more than 0"),
    ("page_size_zero", REQUEST, dict(FRED, path="/rest/api/2/search", paginate=True, page_size=0),
     "Option 'page_size': is 0, but must be at least 1"),
    ("max_items_negative", REQUEST, dict(FRED, path="/rest/api/2/search", paginate=True, max_items=-1),
     "Option 'max_items': is -1, but must be at least 1"),
    ("max_pages_zero", REQUEST, dict(FRED, path="/rest/api/2/search", paginate=True, max_pages=0),
     "Option 'max_pages': is 0, but must be at least 1"),
    ("concurrent_pages_zero", REQUEST, dict(FRED, path="/rest/api/2/search", paginate=True, concurrent_pages=0),
     "Option 'concurrent_pages': must be between 1 and 16"),
    # a variable that rendered empty: an empty password is a failed login, an empty token an anonymous call
    ("password_empty", AUTH, {"username": "fred", "password": "{{ empty }}"},
     "Option 'password': is empty, which Jira would count as a failed login. A variable may have rendered empty"),
    ("password_empty", REQUEST, {"username": "fred", "password": "", "path": TEST_1}, "Option 'password': is empty"),
    ("password_empty", ISSUE, {"username": "fred", "password": "", "key": "TEST-1", "summary": "x"},
     "Option 'password': is empty"),
    ("token_empty", AUTH, {"token": "{{ empty }}"},
     "Option 'token': is empty, so the call would go out anonymously. A variable may have rendered empty"),
    ("token_empty", COMMENT, {"token": "", "issue": "TEST-1", "body": "x"}, "Option 'token': is empty"),
    ("token_empty", ATTACHMENT, {"token": "", "issue": "TEST-1", "content": "x", "filename": "a.txt"},
     "Option 'token': is empty"),
]


def _name(case_id, module):
    return "%s_%s" % (case_id, module.rsplit("_", 1)[-1])


def _tasks(cases):
    tasks = []
    for case_id, module, args, dummy in cases:
        task_args = dict(args)
        task_args.setdefault("url", "{{ url }}")
        tasks.append({"name": "%s (%s)" % (case_id, module), module: task_args, "register": _name(case_id, module),
                      "ignore_errors": True})
    return tasks


@pytest.fixture(scope="module")
def bad_input_runs(module_sim, ansible_env, tmp_path_factory):
    """The bad-input playbook, run once per execution path: {path: (results, jirasim stats, run)}."""
    runs = {}
    names = sorted(set(_name(case_id, module) for case_id, module, dummy, dummy2 in BAD_INPUT))
    for execution in PATHS:
        module_sim.reset()
        runner = AnsibleRunner(ansible_env, str(tmp_path_factory.mktemp("bad_input_%s" % execution)))
        variables = {"url": module_sim.url, "host_port": "127.0.0.1:%d" % module_sim.port,
                     "jiraops_jira_execution": execution,
                     "empty": ""}
        run = runner.playbook([play(_tasks(BAD_INPUT) + [dump_results_task(names)], hosts="localhost")],
                              extra_vars=variables)
        assert run.rc == 0, run.describe()
        runs[execution] = (run.out_json("results.json"), module_sim.stats(), run)
    return runs


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("case_id,module,args,expected", BAD_INPUT, ids=[_name(c[0], c[1]) for c in BAD_INPUT])
def test_bad_input_is_refused(bad_input_runs, execution, case_id, module, args, expected):
    """The task fails with a message that names the option."""
    results = bad_input_runs[execution][0]
    result = results[_name(case_id, module)]["localhost"]
    assert result.get("failed"), "accepted: %s" % result.get("msg")
    assert expected in result["msg"], result["msg"]
    assert result.get("status") is None


@pytest.mark.parametrize("execution", PATHS)
def test_bad_input_sends_nothing(bad_input_runs, execution):
    """Not one request reached jirasim during the whole bad-input run, and no traceback was shown."""
    dummy, stats, run = bad_input_runs[execution]
    assert stats["requests"] == 0, ["%s %s" % (entry["method"], entry["path"]) for entry in stats["log"]]
    assert stats["auth_headers_seen"] == 0
    assert "Traceback" not in run.output


# ---------------------------------------------------------------------------------------------------------------
# Hostile servers
# ---------------------------------------------------------------------------------------------------------------

HTML_TITLE = "Jira is down for maintenance - back at 22:00"
HTML_BODY_TEXT = "jirasim fault: the server encountered an internal error."

SERVER_CASES = [
    ("huge_response", REQUEST, dict(FRED, path="/rest/api/2/search", params={"jql": "project = TEST", "maxResults": 50},
                                    max_response_bytes=1000), "larger than max_response_bytes (1000); not read"),
    ("huge_response_paged", REQUEST,
     dict(FRED, path="/rest/api/2/search", params={"jql": "project = TEST"}, paginate=True,
          page_size=5, max_response_bytes=1000),
     "larger than max_response_bytes (1000)"),
    ("invalid_json", REQUEST, dict(FRED, path="/rest/api/2/project/TEST"), "declared as JSON but is not valid JSON"),
    ("invalid_json", AUTH, {"username": "jsonuser", "password": "fred"}, "declared as JSON but is not valid JSON"),
    ("html_error_page", REQUEST, dict(FRED, path="/rest/api/2/issue/TEST-4"), "with 500: " + HTML_TITLE),
    ("html_error_page", AUTH, {"username": "htmluser", "password": "fred"},
     "status 500, 234 bytes of text/html titled '%s'" % HTML_TITLE),
    ("redirect_other_origin", AUTH, {"username": "rediruser", "password": "fred"}, "to another origin"),
    ("redirect_other_origin", REQUEST, dict(FRED, path="/rest/api/2/issue/TEST-5"), "to another origin"),
    ("redirect_invalid_port", AUTH, {"username": "badportuser", "password": "fred"},
     "to another origin (not a valid URL)"),
    ("redirect_broken_ipv6", REQUEST, dict(FRED, path="/rest/api/2/issue/TEST-6"),
     "to another origin (not a valid URL)"),
]


@pytest.fixture()
def second_sim(jirasim_factory):
    """Another jirasim: a different origin (port) that a redirect points to."""
    other = jirasim_factory()
    yield other
    other.stop()


@pytest.mark.parametrize("execution", PATHS)
def test_hostile_server(sim, second_sim, ansible, execution):
    """Huge answers are cut off, broken JSON and HTML pages give clear messages, a redirect away is not followed."""
    for user in ("jsonuser", "htmluser", "rediruser", "badportuser"):
        sim.add_user(user, "fred")
    sim.fault("invalid_json", match={"path": "/rest/api/2/project/TEST"}, count=0)
    sim.fault("invalid_json", match={"user": "jsonuser"}, count=0)
    sim.fault("html", match={"path": "/rest/api/2/issue/TEST-4"}, count=0, status=500, title=HTML_TITLE)
    sim.fault("html", match={"user": "htmluser"}, count=0, status=500, title=HTML_TITLE)
    sim.fault("redirect", match={"user": "rediruser"}, count=0, status=302,
              location=second_sim.url + "/rest/api/2/myself")
    sim.fault("redirect", match={"path": "/rest/api/2/issue/TEST-5"}, count=0, status=307,
              location=second_sim.url + TEST_1)
    sim.fault("redirect", match={"user": "badportuser"}, count=0, status=302, location="http://127.0.0.1:99999/x")
    sim.fault("redirect", match={"path": "/rest/api/2/issue/TEST-6"}, count=0, status=301, location="http://[::1/x")
    names = [_name(case_id, module) for case_id, module, dummy, dummy2 in SERVER_CASES]
    # fred is proven first, as in any real run: a hostile answer to proven credentials is not a reason to hold them
    # back.
    prove = {"name": "Prove fred", AUTH: dict(FRED, url="{{ url }}", server_info=False)}
    run = ansible.playbook([play([prove] + _tasks(SERVER_CASES) + [dump_results_task(names)], hosts="localhost")],
                           extra_vars={"url": sim.url, "jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    results = run.out_json("results.json")
    for case_id, module, dummy, expected in SERVER_CASES:
        result = results[_name(case_id, module)]["localhost"]
        assert result.get("failed"), "%s did not fail" % _name(case_id, module)
        assert expected in result["msg"], (case_id, module, result["msg"])
        assert "<" not in result["msg"] and HTML_BODY_TEXT not in result["msg"], (case_id, result["msg"])
    assert "Traceback" not in run.output
    for module in ("check", "request"):
        assert "not followed, so the credentials stay with %s" % sim.url in \
            results["redirect_other_origin_" + module]["localhost"]["msg"]
    other = second_sim.stats()
    assert other["requests"] == 0 and other["auth_headers_seen"] == 0, "the redirect was followed to the second jirasim"
    stats = sim.stats()
    # Each hostile answer was asked for once: none is retried (only 429/503 and broken connections are), a huge page
    # stops the paging, and jira_auth_check reads serverInfo (anonymously) only after the answers that are not Jira's
    # user (the broken JSON and the HTML page), once per run; after a redirect away it stops. fred's proof is one more
    # request.
    reads = 1
    assert stats["requests_by_route"].get("GET /rest/api/2/search") == 2, stats["requests_by_route"]
    assert stats["requests_by_route"].get("GET /rest/api/2/serverInfo") == reads, stats["requests_by_route"]
    assert stats["requests"] == len(SERVER_CASES) + 1 + reads, \
        ["%s %s %s" % (e["method"], e["path"], e["status"]) for e in stats["log"]]


@pytest.mark.parametrize("execution", PATHS)
def test_redirect_with_huge_body_is_bounded(ansible, execution):
    """A 302 with a 128 MB body: max_response_bytes (1000) bounds it like any answer; the client stops reading early.

    (requests.Session reads a 3xx body in full to prepare the next hop, even with allow_redirects=False.)"""
    flood = FloodServer()
    try:
        args = dict(FRED, url=flood.url, path=TEST_1, max_response_bytes=1000, retries=0)
        run = ansible.playbook([play([{"name": "GET from a flooding server", REQUEST: args, "register": "flooded",
                                       "ignore_errors": True},
                                      dump_results_task(["flooded"])], hosts="localhost")],
                               extra_vars={"jiraops_jira_execution": execution})
        assert run.rc == 0, run.describe()
        result = run.out_json("results.json")["flooded"]["localhost"]
        assert result.get("failed") and "larger than max_response_bytes (1000)" in result["msg"], result.get("msg")
        assert flood.connections == 1
        assert flood.sent < 32 * 1024 * 1024, \
            "the client read %d MB of a redirect's body" % (flood.sent // (1024 * 1024))
    finally:
        flood.stop()


def test_token_task_with_basic_credentials_in_the_environment(sim, ansible):
    """JIRA_USERNAME/JIRA_PASSWORD exported for other tasks (as an AWX credential does) and a task that sets token:
    the explicit token should be used, not refused as 'mutually exclusive'."""
    args = {"url": sim.url, "token": "NzYyNjE4NDEyMzY2OkFCQ0RFRkdISUpLTE1OT1BRUlNU"}
    run = ansible.adhoc("localhost", AUTH, args, env={"JIRA_USERNAME": "wilma", "JIRA_PASSWORD": "wilma"})
    assert run.rc == 0, run.describe()
    assert run.tree["localhost"]["user"]["name"] == "fred"


@pytest.mark.parametrize("path", PATHS)
def test_netrc_never_replaces_or_adds_credentials(sim, ansible, tmp_path, path):
    """requests reads ~/.netrc (or $NETRC) for hosts without an auth of their own; an entry for Jira's host must not
    replace the task's credentials, nor turn a call meant to be anonymous into an authenticated one."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1\nlogin wilma\npassword wilma\n")
    netrc.chmod(0o600)
    env = {"NETRC": str(netrc)}
    extra = {"jiraops_jira_execution": path}
    given = ansible.adhoc("localhost", AUTH, {"url": sim.url, "username": "svc-ci", "password": "pa:ss:w0rd"}, env=env,
                          extra_vars=extra)
    assert given.rc == 0, given.describe()
    assert given.tree["localhost"]["user"]["name"] == "svc-ci"
    anonymous = ansible.adhoc("localhost", AUTH, {"url": sim.url, "fail_on_unhealthy": False}, env=env,
                              extra_vars=extra)
    assert anonymous.rc == 0, anonymous.describe()
    assert anonymous.tree["localhost"]["login_state"] == "anonymous"
    assert anonymous.tree["localhost"]["auth_type"] == "none"
