# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/deployment.py: which Jira, which search endpoint, what replaces a removed one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common import deployment
from ansible_collections.jiraops.jira.plugins.module_utils.common.context import TaskContext
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import CONNECTION_ARGUMENT_SPEC
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError
from ansible_collections.jiraops.jira.plugins.module_utils.rest import answers
from ansible_collections.jiraops.jira.plugins.module_utils.login.login_state import OK, Login


class Answer:
    """The parts of a client Response that deployment reads."""

    def __init__(self, status, body, content_type="application/json;charset=UTF-8"):
        self.status = status
        self.content = body.encode("utf-8")
        self.headers = {"content-type": content_type}
        self.url = "https://jira.example.com/rest/api/2/serverInfo"
        self.method = "GET"
        self.login = Login(OK)

    @property
    def is_json(self):
        return "json" in self.headers["content-type"] and bool(self.content.strip())

    @property
    def json(self):
        return json.loads(self.content.decode("utf-8"))

    @property
    def text(self):
        return self.content.decode("utf-8")


def recorder(answer):
    sent = []

    def send(path):
        sent.append(path)
        return answer
    return sent, send


@pytest.mark.parametrize("kind, cloud", [("Cloud", True), ("Server", False), ("Datacenter", False)])
def test_auto_reads_server_info_once_and_only_when_asked(kind, cloud):
    sent, send = recorder(Answer(200, json.dumps({"deploymentType": kind, "version": "9.12.2"})))
    context = TaskContext()
    found = deployment.Deployment("auto", send, context)
    assert sent == []  # nothing is asked before a search needs it
    assert found.is_cloud is cloud
    assert found.search_path == ("/rest/api/3/search/jql" if cloud else "/rest/api/2/search")
    assert sent == ["/rest/api/2/serverInfo"]
    # What it read is the task's, for the run's memory, and a second Deployment of the task asks no more.
    assert context.server_info_learnt == {"deploymentType": kind, "version": "9.12.2"}
    assert deployment.Deployment("auto", send, context).is_cloud is cloud and len(sent) == 1


def test_what_an_earlier_task_of_the_run_read_is_not_asked_again():
    sent, send = recorder(None)
    context = TaskContext(server_info={"deploymentType": "Cloud", "version": "1001.0.0"})
    assert deployment.Deployment("auto", send, context).search_path == "/rest/api/3/search/jql"
    assert sent == []
    assert context.server_info_learnt is None  # nothing new for the run's memory


@pytest.mark.parametrize("setting, path", [("cloud", "/rest/api/3/search/jql"), ("server", "/rest/api/2/search")])
def test_a_set_deployment_sends_nothing(setting, path):
    sent, send = recorder(None)
    assert deployment.Deployment(setting, send, TaskContext()).search_path == path
    assert sent == []


@pytest.mark.parametrize("answer", [Answer(200, "{}"), Answer(404, '{"message": "null for uri"}'),
                                    Answer(200, "<html>SSO</html>", "text/html"), Answer(200, '{"deploymentType": 7}')])
def test_an_answer_without_deployment_type_fails_and_names_the_option(answer):
    with pytest.raises(ResponseError) as err:
        deployment.Deployment("auto", recorder(answer)[1], TaskContext()).is_cloud
    assert "Set the option deployment to cloud or server" in err.value.msg
    assert err.value.fields["status"] == answer.status


@pytest.mark.parametrize("path", ["/rest/api/2/search", "/rest/api/3/search/", "/jira/rest/api/latest/search?jql=x"])
def test_a_410_on_the_removed_search_names_its_replacement(path):
    hint = deployment.replacement_hint(410, path)
    assert "/rest/api/3/search/jql" in hint and "CHANGE-2046" in hint


@pytest.mark.parametrize("status, path", [(404, "/rest/api/2/search"), (410, "/rest/api/3/search/jql"),
                                          (410, "/rest/api/2/issue/TEST-1")])
def test_no_hint_elsewhere(status, path):
    assert deployment.replacement_hint(status, path) is None


def test_the_option_is_shared_with_its_choices_and_environment_variable():
    spec = CONNECTION_ARGUMENT_SPEC["deployment"]
    assert spec["choices"] == list(deployment.CHOICES) and spec["default"] == "auto"
    assert spec["fallback"][1] == ["JIRA_DEPLOYMENT"]


DEAD_LINK = "<html><head><title>Oops, you've found a dead link. - JIRA</title></head><body></body></html>"


def _at(answer, url, method="GET"):
    answer.url, answer.method = url, method
    return answer


def test_an_html_404_at_a_rest_path_names_the_context_path():
    """Jira at https://jira.example.com/ asked at .../jira/rest/...: Jira's own 404 page,
    not its REST API's JSON 404."""
    answer = _at(Answer(404, DEAD_LINK, "text/html;charset=UTF-8"), "https://jira.example.com/jira/rest/api/2/myself")
    error = answers.not_at_this_path(answer)
    assert error.msg.startswith("Jira answered GET https://jira.example.com/jira/rest/api/2/myself "
                                "with 404 and an HTML page")
    assert "Check the context path in url (https://jira.example.com/jira)" in error.msg
    assert error.result()["changed"] is False


@pytest.mark.parametrize("status, body, content_type, url", [
    (404, '{"errorMessages": ["Issue does not exist or you do not have permission to see it."]}', "application/json",
     "https://jira.example.com/rest/api/2/issue/X-1"),
    (200, DEAD_LINK, "text/html", "https://jira.example.com/jira/rest/api/2/myself"),
    (404, DEAD_LINK, "text/html", "https://jira.example.com/secure/Dashboard.jspa"),
    (404, "", "text/plain", "https://jira.example.com/rest/api/2/issue/X-1"),
])
def test_other_answers_are_not_a_wrong_context_path(status, body, content_type, url):
    assert answers.not_at_this_path(_at(Answer(status, body, content_type), url)) is None
