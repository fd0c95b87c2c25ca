# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/rest/response.py: an answer's text and JSON, decoded once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

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


# ---------------------------------------------------------------- Response

def test_response_json_and_text():
    resp = response({"key": "A-1"}, status=200)
    assert resp.is_json is True
    assert resp.json == {"key": "A-1"}
    assert resp.text == '{"key": "A-1"}'


@pytest.mark.parametrize("headers, content", [(JSON, b""), (JSON, b"  \n"), (HTML, b'{"a": 1}'), ({}, b'{"a": 1}')])
def test_response_not_json(headers, content):
    resp = response(content, headers=headers)
    assert resp.is_json is False
    assert resp.json is None


def test_response_invalid_json_raises_response_error():
    resp = response(b'{"broken', status=502)
    with pytest.raises(ResponseError) as err:
        resp.json
    assert err.value.msg == ("Jira answered GET %s with a body that is declared as JSON but is not valid JSON "
                             "(8 bytes)." % URL)
    assert err.value.fields == {"status": 502, "url": URL}
    # read once: the second access does not raise again
    assert resp.json is None


def test_response_text_replaces_invalid_utf8():
    assert response(b"\xff oops", headers=HTML).text == u"\ufffd oops"
