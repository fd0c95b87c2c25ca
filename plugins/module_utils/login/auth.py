# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Building the Authorization header, and refusing credentials that cannot work.

The header is sent pre-emptively on every request: Jira never sends a Basic challenge.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import re

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError
from ansible_collections.jiraops.jira.plugins.module_utils.login.oauth import ClientCredentials

AUTH_NONE = "none"
AUTH_BASIC = "basic"
AUTH_BEARER = "bearer"
AUTH_OAUTH = "oauth"
_PAT_FORM = re.compile(r"^[A-Za-z0-9+/]{32,}={0,2}$")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab aside: line breaks have their own message


class Credentials:
    """The Authorization header of one task, and every secret derived from it (for masking).

    ``oauth``: the task's OAuth 2.0 client (login/oauth.py), whose access token is the header once the client has
    fetched one."""

    def __init__(self, auth_type, header=None, secrets=(), username=None, pat_as_password=False, oauth=None):
        self.auth_type = auth_type
        self._header = header
        self.username = username
        self.pat_as_password = pat_as_password  # the password has the form of a Data Center personal access token
        self._secrets = tuple(s for s in secrets if s)
        self.oauth = oauth

    @property
    def header(self):
        return self.oauth.header if self.oauth is not None else self._header

    @property
    def secrets(self):
        return self._secrets + (tuple(self.oauth.issued) if self.oauth is not None else ())

    @property
    def sent(self):
        return self._header is not None or self.oauth is not None


def _refuse_line_breaks(option, value):
    if "\r" in value or "\n" in value:
        raise InputError(
            option, "contains a line break (CR or LF)",
            "Remove it; a value read from a file often ends with a newline (use '| trim').")
    if _CONTROLS.search(value):
        raise InputError(option, "contains a control character (such as NUL)",
                         "Remove it; Jira's logins never hold one.")


def basic_credentials(username, password):
    """Basic header for user:password, encoded as UTF-8 (RFC 7617)."""
    _refuse_line_breaks("username", username)
    _refuse_line_breaks("password", password)
    if ":" in username:
        raise InputError(
            "username", "contains ':', which Basic auth uses as the separator",
            "Use the login name (or, on Jira Cloud, the account e-mail) without ':'.")
    if not username:
        raise InputError("username", "is empty",
                         "Set the Jira login name, or leave out username and password for anonymous access.")
    encoded = base64.b64encode(("%s:%s" % (username, password)).encode("utf-8")).decode("ascii")
    header = "Basic " + encoded
    return Credentials(AUTH_BASIC, header, secrets=(password, encoded, header), username=username,
                       pat_as_password=looks_like_pat(password))


def looks_like_pat(value):
    """Whether ``value`` has the form of a Data Center personal access token: base64 of '<numeric id>:<random>'."""
    if not _PAT_FORM.match(value):
        return False
    try:
        return bool(re.match(br"^[0-9]{6,}:", base64.b64decode(value, validate=True)))
    except (ValueError, TypeError):
        return False


def bearer_credentials(token):
    """Bearer header for a Data Center personal access token."""
    _refuse_line_breaks("token", token)
    try:
        token.encode("latin-1")
    except UnicodeEncodeError:
        raise InputError("token", "has characters that an HTTP header cannot carry (beyond Latin-1)",
                         "Check the token: a Data Center personal access token is plain ASCII.")
    if not token.strip():
        raise InputError("token", "is only white space" if token else "is empty", _RENDERED_EMPTY)
    header = "Bearer " + token
    return Credentials(AUTH_BEARER, header, secrets=(token, header))


# Most often a variable that rendered empty ('{{ jira_token }}' unset in one inventory): sending it would be an
# anonymous call (an empty token) or a failed login (an empty password), which brings a CAPTCHA lock closer.
_RENDERED_EMPTY = ("A variable may have rendered empty: check where its value comes from (vault, inventory, "
                   "environment).")


def oauth_credentials(params):
    """Credentials for OAuth 2.0 client credentials; the token endpoint and deployment come from the route."""
    for option in ("client_id", "client_secret"):
        value = params.get(option)
        if not value:
            raise InputError(option, "is %s" % ("empty" if value == "" else "missing"),
                             "Give client_id and client_secret together (JIRA_CLIENT_ID, JIRA_CLIENT_SECRET). "
                             + _RENDERED_EMPTY)
        _refuse_line_breaks(option, value)
    client = ClientCredentials(params["client_id"], params["client_secret"], params["oauth_token_url"],
                               params.get("deployment") == "cloud")
    return Credentials(AUTH_OAUTH, secrets=(params["client_secret"],), username=params["client_id"], oauth=client)


def credentials_from_params(params):
    """The Credentials for validated module params (username/password, token, OAuth client, or none); the JiraClient
    builds them before anything is sent, on both execution paths."""
    if params.get("client_id") is not None or params.get("client_secret") is not None:
        return oauth_credentials(params)
    if params.get("token") is not None:
        if not params["token"]:
            raise InputError("token", "is empty, so the call would go out anonymously", _RENDERED_EMPTY)
        return bearer_credentials(params["token"])
    username, password = params.get("username"), params.get("password")
    if password == "":
        raise InputError("password", "is empty, which Jira would count as a failed login", _RENDERED_EMPTY)
    if username == "":
        raise InputError("username", "is empty, which Jira would count as a failed login", _RENDERED_EMPTY)
    if username is None and password is None:
        return Credentials(AUTH_NONE)
    if username is None:
        raise InputError("username", "is missing while a password is set", "Set username (JIRA_USERNAME) as well.")
    if password is None:
        raise InputError("password", "is missing while a username is set",
                         "Set password (JIRA_PASSWORD or JIRA_API_TOKEN) as well.")
    return basic_credentials(username, password)
