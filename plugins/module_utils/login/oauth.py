# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OAuth 2.0 client credentials (RFC 6749 section 4.4): a client id and secret traded for a short-lived access token.

Jira Cloud's service accounts get them from Atlassian's auth server (a JSON body with the audience api.atlassian.com,
the token then used on the gateway); Data Center 10 from its incoming application links at /rest/oauth2/latest/token
(a form body). The access token lives in this object only, for one task: it is never written anywhere, every token
issued is masked like the secret, and it is renewed before it expires rather than after Jira refused it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time
from urllib.parse import urlencode

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import LoginError

# Renew this long before the token's end: a call sent with a token that expires on its way is refused.
RENEW_BEFORE_SECONDS = 60
CLOUD_AUDIENCE = "api.atlassian.com"


class ClientCredentials:
    """One OAuth 2.0 client of one task: what to send to the token endpoint, and the access token it answered."""

    def __init__(self, client_id, client_secret, token_url, cloud):
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self.cloud = cloud
        self.issued = []  # every access token of this task, to be masked
        self.scopes = None
        self._token = None
        self._renew_at = 0.0
        self.expires_in = None

    @property
    def header(self):
        return "Bearer " + self._token if self._token else None

    @property
    def due(self):
        """Whether a token must be fetched before the next call: none yet, or its end is near."""
        return self._token is None or time.monotonic() >= self._renew_at

    def request_body(self):
        """(bytes, content type) of the token request."""
        fields = dict(grant_type="client_credentials", client_id=self.client_id, client_secret=self.client_secret)
        if self.cloud:
            fields["audience"] = CLOUD_AUDIENCE
            return json.dumps(fields).encode("utf-8"), "application/json"
        return urlencode(fields).encode("utf-8"), "application/x-www-form-urlencoded"

    def take(self, response):
        """Keep the access token of the token endpoint's ``response``; raise LoginError when it refused the client."""
        answer = response.json_or_none if response.status == 200 else None
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise refused_error(response)
        lifetime = answer.get("expires_in")
        lifetime = float(lifetime) if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool) else 3600.0
        self.issued.extend([token, "Bearer " + token])
        self._token = token
        self.expires_in = lifetime
        self._renew_at = time.monotonic() + max(lifetime - RENEW_BEFORE_SECONDS, lifetime / 2)
        scope = answer.get("scope")
        self.scopes = scope.split() if isinstance(scope, str) else None


def refused_error(response):
    """The error of a token endpoint that did not issue a token: Jira's words for it, and what to check."""
    answer = response.json_or_none
    said = ""
    if isinstance(answer, dict) and isinstance(answer.get("error"), str):
        said = " (%s%s)" % (answer["error"], ": %s" % answer["error_description"]
                            if isinstance(answer.get("error_description"), str) else "")
    rejected = response.status in (400, 401, 403)
    return LoginError(
        "The OAuth 2.0 token endpoint %s %s the client credentials: it answered %s%s. Check client_id and "
        "client_secret (a Cloud service account's OAuth 2.0 credential, or a Data Center incoming application link), "
        "and oauth_token_url if set." % (response.url, "refused" if rejected else "did not accept", response.status,
                                         said),
        login_state="wrong_credentials" if rejected else "unknown", login_reason=[], captcha_triggered=False,
        login_url=None, denied_reason=None, status=response.status)
