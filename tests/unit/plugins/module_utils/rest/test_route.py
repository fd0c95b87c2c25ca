# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for rest/route.py: which door of Jira the credentials go through, decided before any is sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError, ResponseError
from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.rest import route
from ansible_collections.jiraops.jira.plugins.module_utils.rest.response import Response

SITE = "https://acme.example.com"
CLOUD_ID = "0e3d3c1a-7f43-4f6b-9a4e-9b1f5d2c8a10"


class Site:
    """The anonymous reads a Route makes, answered from ``answers`` (path -> (status, JSON))."""

    def __init__(self, **answers):
        self.answers = {"/_edge/tenant_info": (200, {"cloudId": CLOUD_ID}),
                        "/rest/api/2/serverInfo": (200, {"deploymentType": "Cloud", "version": "1001.0.0"})}
        self.answers.update(answers)
        self.read = []

    def __call__(self, path):
        self.read.append(path)
        status, answer = self.answers[path]
        content = answer.encode("utf-8") if isinstance(answer, str) else json.dumps(answer).encode("utf-8")
        return Response("GET", SITE + path, status, {"content-type": "application/json"}, content,
                        login_state.Login(login_state.ANONYMOUS))


def _params(**options):
    params = dict(url=SITE, username="fred@example.com", password="t", api_route="auto", cloud_id=None,
                  gateway_url="https://api.atlassian.com", deployment="auto", client_id=None, client_secret=None,
                  oauth_token_url=None)
    params.update(options)
    return params


def test_a_classic_token_goes_to_the_site_and_nothing_is_read():
    site = Site()
    chosen = route.Route(_params(), None, site)
    assert (chosen.name, chosen.params["url"], site.read, chosen.learnt) == ("site", SITE, [], None)


def test_a_service_account_goes_through_the_gateway_with_the_cloud_id_read_once_and_kept():
    site = Site()
    chosen = route.Route(_params(username="ci-bot@serviceaccount.atlassian.com"), None, site)
    assert chosen.name == "gateway"
    assert chosen.params["url"] == "https://api.atlassian.com/ex/jira/" + CLOUD_ID
    assert chosen.params["deployment"] == "cloud"
    assert site.read == ["/_edge/tenant_info"]
    assert chosen.learnt == {"deploymentType": "Cloud", "cloudId": CLOUD_ID}
    again = Site()
    route.Route(_params(username="CI-bot@ServiceAccount.atlassian.com"), chosen.learnt, again)
    assert again.read == []  # the run's memory knows it


def test_a_given_cloud_id_chooses_the_gateway_without_reading():
    site = Site()
    chosen = route.Route(_params(cloud_id=CLOUD_ID, gateway_url="http://127.0.0.1:9/"), None, site)
    assert chosen.params["url"] == "http://127.0.0.1:9/ex/jira/" + CLOUD_ID and site.read == []


@pytest.mark.parametrize("cloud_id", ["../../rest", "acme", CLOUD_ID + "/x"])
def test_a_cloud_id_that_is_not_one_is_refused_by_name(cloud_id):
    with pytest.raises(InputError) as caught:
        route.Route(_params(cloud_id=cloud_id), None, Site())
    assert caught.value.fields["option"] == "cloud_id" and "not a cloudId" in caught.value.msg


def test_pinned_routes_win_over_auto():
    site = Site()
    service_account = "ci-bot@serviceaccount.atlassian.com"
    assert route.Route(_params(username=service_account, api_route="site"), None, site).name == "site"
    assert route.Route(_params(api_route="gateway"), None, site).name == "gateway"
    assert site.read == ["/_edge/tenant_info"]


def test_a_gateway_url_given_as_url_stays_as_it_is():
    url = "https://api.atlassian.com/ex/jira/" + CLOUD_ID
    chosen = route.Route(_params(url=url, username="ci-bot@serviceaccount.atlassian.com"), None, Site())
    assert (chosen.name, chosen.params["url"]) == ("gateway", url)


def test_oauth_on_cloud_takes_the_gateway_and_atlassians_token_endpoint():
    site = Site()
    chosen = route.Route(_params(username=None, password=None, client_id="c", client_secret="s"), None, site)
    assert chosen.name == "gateway"
    assert chosen.params["oauth_token_url"] == "https://auth.atlassian.com/oauth/token"
    assert site.read == ["/rest/api/2/serverInfo", "/_edge/tenant_info"]
    assert chosen.learnt["version"] == "1001.0.0" and chosen.learnt["cloudId"] == CLOUD_ID


def test_oauth_on_data_center_stays_on_the_site_with_its_own_token_endpoint():
    site = Site(**{"/rest/api/2/serverInfo": (200, {"deploymentType": "Server", "version": "10.3.0"})})
    chosen = route.Route(_params(username=None, password=None, client_id="c", client_secret="s"), None, site)
    assert chosen.name == "site"
    assert chosen.params["oauth_token_url"] == SITE + "/rest/oauth2/latest/token"
    assert chosen.params["deployment"] == "server"


def test_an_atlassian_net_host_is_cloud_without_a_read():
    site = Site()
    chosen = route.Route(_params(url="https://acme.atlassian.net", username=None, password=None, client_id="c",
                                 client_secret="s", cloud_id=CLOUD_ID), None, site)
    assert chosen.params["oauth_token_url"] == "https://auth.atlassian.com/oauth/token" and site.read == []


@pytest.mark.parametrize("answer", [(404, {"errorMessages": ["x"]}), (200, "<html>sso</html>"), (200, {"cloudId": 5}),
                                    (200, {"cloudId": "not-a-uuid"})])
def test_a_tenant_info_that_does_not_name_a_cloud_id_fails_and_says_set_cloud_id(answer):
    with pytest.raises(ResponseError) as caught:
        route.Route(_params(api_route="gateway"), None, Site(**{"/_edge/tenant_info": answer}))
    assert "cloud_id" in caught.value.msg


def test_a_bearer_token_stays_on_the_site_unless_the_gateway_is_asked_for():
    site = Site()
    token = dict(username=None, password=None, token="ATATT-service")
    assert route.Route(_params(url="https://acme.atlassian.net", **token), None, site).name == "site"
    assert route.Route(_params(deployment="cloud", **token), None, site).name == "site" and site.read == []
    assert route.Route(_params(api_route="gateway", **token), None, site).name == "gateway"
