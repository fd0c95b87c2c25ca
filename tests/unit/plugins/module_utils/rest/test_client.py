# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for the pure parts of module_utils/rest/client.py: Response, and checked (the one check of every call)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.rest import client
from ansible_collections.jiraops.jira.plugins.module_utils.rest.response import Response
from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state as ls
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError

URL = "https://jira.example.com/rest/api/2/issue/A-1"
JSON = {"content-type": "application/json;charset=UTF-8"}
HTML = {"content-type": "text/html;charset=UTF-8"}


def response(content, headers=None, status=400, method="GET", url=URL):
    if not isinstance(content, bytes):
        content = json.dumps(content).encode("utf-8") if not isinstance(content, str) else content.encode("utf-8")
    return Response(method, url, status, JSON if headers is None else headers, content, ls.Login(ls.OK))


# ---------------------------------------------------------------- checked: the one check of every call

DEAD_LINK = "<html><head><title>Oops, you've found a dead link. - JIRA</title></head><body></body></html>"
SIGNED_HTML = dict(HTML, **{"x-arequestid": "1x2x3"})


def test_server_info_at_a_wrong_context_path_says_so():
    """The serverInfo read (Deployment's send is the checked call): Jira's own 404 page names the context path."""
    jira = client.JiraClient({"url": "https://jira.example.com/jira"})
    answer = response(DEAD_LINK, SIGNED_HTML, status=404, url="https://jira.example.com/jira/rest/api/2/serverInfo")
    with pytest.raises(ResponseError, match="Check the context path in url"):
        jira.checked(answer)


@pytest.mark.parametrize("accept", [(200,), lambda status: status == 200])
def test_a_status_outside_accept_is_refused_in_jiras_words(accept):
    jira = client.JiraClient({"url": "https://jira.example.com"})
    answer = response({"errorMessages": ["Issue does not exist"]}, dict(JSON, **{"x-arequestid": "1"}), status=404)
    with pytest.raises(ResponseError) as raised:
        jira.checked(answer, accept, role="issue read")
    assert raised.value.msg == ("The issue read failed. Jira answered GET /rest/api/2/issue/A-1 with 404: "
                                "Issue does not exist")
    assert raised.value.result()["status"] == 404 and raised.value.result()["changed"] is False


def test_an_accepted_status_returns_the_answer():
    jira = client.JiraClient({"url": "https://jira.example.com"})
    answer = response({"key": "A-1"}, dict(JSON, **{"x-arequestid": "1"}), status=200)
    assert jira.checked(answer) is answer
