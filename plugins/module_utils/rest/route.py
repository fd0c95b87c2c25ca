# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which door of Jira a task's credentials go through, decided before any of them is sent.

Jira Cloud has two: the site URL (https://<site>.atlassian.net), which takes classic API tokens, and Atlassian's
gateway (https://api.atlassian.com/ex/jira/<cloudId>), the only one that takes scoped API tokens, service accounts'
tokens and OAuth 2.0 access tokens; each refuses the other's with a 401 (Atlassian's KB "401 Unauthorized error when
service account accesses Jira or Confluence API", which adds that the token itself does not tell which it is). The
cloudId is public: the site answers it at /_edge/tenant_info without credentials. Data Center has one door, and its
OAuth 2.0 token endpoint at /rest/oauth2/latest/token.

Every read this needs is anonymous and made at most once per run and url (the cloudId and the deployment travel with
serverInfo in the run's memory), so the credentials reach one origin only: the one the route chose.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from urllib.parse import urlsplit

from ansible_collections.jiraops.jira.plugins.module_utils.common import deployment
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError, ResponseError
from ansible_collections.jiraops.jira.plugins.module_utils.rest.urls import normalize_base_url

SITE = "site"
GATEWAY = "gateway"
TENANT_INFO = "/_edge/tenant_info"
GATEWAY_PATH = "/ex/jira/"
CLOUD_TOKEN_URL = "https://auth.atlassian.com/oauth/token"
SERVER_TOKEN_PATH = "/rest/oauth2/latest/token"
# A Cloud service account's e-mail is <name>@serviceaccount.atlassian.com, and its tokens are always scoped.
SERVICE_ACCOUNT_DOMAIN = "@serviceaccount.atlassian.com"
_CLOUD_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
CLOUD_ID_KEY = "cloudId"  # kept with serverInfo in the run's memory (common/context.py)


def is_service_account(username):
    return isinstance(username, str) and username.lower().endswith(SERVICE_ACCOUNT_DOMAIN)


def on_gateway(url):
    """Whether ``url`` is already a gateway URL (.../ex/jira/<cloudId>)."""
    return GATEWAY_PATH in urlsplit(url).path + "/"


class Route:
    """The route of one task: ``params`` for its client (url on the chosen door, deployment and OAuth token endpoint
    filled in where the route had to know them), ``name`` (site or gateway) and ``learnt`` (what it read of the site's
    public facts, for the run's memory, or None).

    ``server_info``: what the run knows of this url; ``read_site(path)``: an anonymous GET at the site, returning the
    Response (only called when the run does not know the answer yet)."""

    def __init__(self, params, server_info, read_site):
        self._params = params
        self._info = dict(server_info or {})
        self._read_site = read_site
        self.learnt = None
        self._cloud = _setting(params.get("deployment"))
        self.name = GATEWAY if on_gateway(normalize_base_url(params["url"])) else self._chosen()
        self.params = self._routed()

    def _chosen(self):
        wanted = self._params.get("api_route") or "auto"
        if wanted != "auto":
            return wanted
        params = self._params
        if params.get("cloud_id") or is_service_account(params.get("username")):
            return GATEWAY
        if params.get("client_id") and self.is_cloud:
            return GATEWAY  # Cloud's OAuth 2.0 access tokens are for the gateway only
        # A token given as token stays on the site even on Cloud: a classic API token sent so gets the site's "use
        # Basic" answer, which says what to do; a service account's token as Bearer needs api_route: gateway.
        return SITE

    @property
    def is_cloud(self):
        """Cloud or Data Center: the deployment option, what the run knows, the host name, or serverInfo read now."""
        if self._cloud is None:
            if _on_atlassian_net(self._params["url"]):
                self._cloud = True
            else:
                self._cloud = self._deployment_type().lower() == "cloud"
        return self._cloud

    def _deployment_type(self):
        if "deploymentType" not in self._info:
            answer = self._read_site(deployment.SERVER_INFO)
            self._learn(deployment.SERVER_INFO, _checked(answer, "deploymentType", "Set the option deployment."))
        return self._info["deploymentType"]

    def _routed(self):
        params = dict(self._params)
        if self.name == GATEWAY and not on_gateway(normalize_base_url(params["url"])):
            params["url"] = "%s%s%s" % (normalize_base_url(params.get("gateway_url")), GATEWAY_PATH, self.cloud_id)
            self._cloud = True
        if params.get("client_id") and not params.get("oauth_token_url"):
            site = normalize_base_url(self._params["url"])
            params["oauth_token_url"] = CLOUD_TOKEN_URL if self.is_cloud else site + SERVER_TOKEN_PATH
        if self._cloud is not None:
            params["deployment"] = "cloud" if self._cloud else "server"
        return params

    @property
    def cloud_id(self):
        """The site's cloudId: the option, what the run knows, or /_edge/tenant_info read now."""
        given = self._params.get("cloud_id")
        if given:
            if not _CLOUD_ID.match(given):
                raise InputError("cloud_id", "is %r, which is not a cloudId" % given,
                                 "Give the site's cloudId, a UUID such as 4f8c3a2e-...: https://<site>.atlassian.net"
                                 "/_edge/tenant_info answers it (or leave cloud_id out and the collection reads it).")
            return given
        if CLOUD_ID_KEY not in self._info:
            answer = _checked(self._read_site(TENANT_INFO), CLOUD_ID_KEY,
                              "Set cloud_id, or check that url is the Jira Cloud site (https://<site>.atlassian.net).")
            if not _CLOUD_ID.match(answer[CLOUD_ID_KEY]):
                raise ResponseError("GET %s answered a cloudId that is not a UUID; not used. Set cloud_id."
                                    % TENANT_INFO)
            self._learn(TENANT_INFO, dict(deploymentType="Cloud", cloudId=answer[CLOUD_ID_KEY]))
        return self._info[CLOUD_ID_KEY]

    def _learn(self, path, answer):
        self._info.update(answer if path == TENANT_INFO else dict(answer, **_cloud_id_of(self._info)))
        self.learnt = dict(self._info)


def _on_atlassian_net(url):
    return (urlsplit(normalize_base_url(url)).hostname or "").endswith(".atlassian.net")


def _setting(value):
    return None if value in (None, "auto") else value == "cloud"


def _cloud_id_of(info):
    return {CLOUD_ID_KEY: info[CLOUD_ID_KEY]} if CLOUD_ID_KEY in info else {}


def _checked(response, key, fix):
    """The JSON object of an anonymous read at the site that names ``key`` as a string; otherwise the task fails."""
    answer = response.json_or_none if response.status == 200 else None
    if not isinstance(answer, dict) or not isinstance(answer.get(key), str):
        raise ResponseError("Could not read %s from Jira: GET %s answered %s. %s"
                            % (key, urlsplit(response.url).path, response.status, fix),
                            status=response.status, url=response.url)
    return answer
