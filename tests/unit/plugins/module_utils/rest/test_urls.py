# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/urls.py: the base URL and joining paths without leaving its origin."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.rest import urls
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError

BASE = "https://jira.example.com"
CONTEXT = "https://jira.example.com/jira"


# ---------------------------------------------------------------- normalize_base_url

@pytest.mark.parametrize("url, expected", [
    ("https://jira.example.com", "https://jira.example.com"),
    ("https://jira.example.com/", "https://jira.example.com"),
    ("https://jira.example.com///", "https://jira.example.com"),
    ("HTTPS://Jira.Example.COM:8443/Jira/", "https://jira.example.com:8443/Jira"),
    ("  http://10.0.0.5:8080/jira/  ", "http://10.0.0.5:8080/jira"),
    ("https://[::1]:8443/jira", "https://[::1]:8443/jira"),
    ("https://jira.example.com/a/b/c", "https://jira.example.com/a/b/c"),
])
def test_normalize_base_url(url, expected):
    assert urls.normalize_base_url(url) == expected


@pytest.mark.parametrize("url, problem", [
    (None, "is not set"),
    ("", "is not set"),
    ("jira.example.com", "must start with http:// or https://"),
    ("ftp://jira.example.com", "must start with http:// or https://"),
    ("file:///etc/passwd", "must start with http:// or https://"),
    ("https://fred:s3cret@jira.example.com", "contains a user name or password (user:password@host)"),
    ("https://fred@jira.example.com", "contains a user name or password (user:password@host)"),
    ("https://", "has no host name"),
    ("https:///rest", "has no host name"),
    ("https://jira.example.com/?os_authType=basic", "has a query or fragment"),
    ("https://jira.example.com/#top", "has a query or fragment"),
    ("https://jira.example.com/my jira", "contains white space, a control character or a backslash"),
    ("https://jira.example.com/a\\b", "contains white space, a control character or a backslash"),
    ("https://jira.example.com/a\x00b", "contains white space, a control character or a backslash"),
    ("https://jira.example.com/\x7f", "contains white space, a control character or a backslash"),
    ("https://jira.example.com:99999", "has an invalid port"),
    ("https://jira.example.com:65536/", "has an invalid port"),
    ("https://jira.example.com:http", "has an invalid port"),
])
def test_normalize_base_url_refusals(url, problem):
    with pytest.raises(InputError) as err:
        urls.normalize_base_url(url)
    assert err.value.fields == {"option": "url"}
    assert err.value.msg.startswith("Option 'url': %s. " % problem)


def test_normalize_base_url_never_echoes_the_password():
    with pytest.raises(InputError) as err:
        urls.normalize_base_url("https://fred:s3cret@jira.example.com/jira")
    assert "s3cret" not in err.value.msg
    assert "fred" not in err.value.msg
    assert err.value.msg == ("Option 'url': contains a user name or password (user:password@host). "
                             "Remove them from url and pass them as username and password (or a token).")


def test_normalize_base_url_bad_ipv6_is_an_input_error():
    with pytest.raises(InputError) as err:
        urls.normalize_base_url("https://[::1")
    assert err.value.fields == {"option": "url"}


def test_normalize_base_url_port_zero_is_refused():
    with pytest.raises(InputError) as err:
        urls.normalize_base_url("https://jira.example.com:0")
    assert err.value.fields == {"option": "url"}


# ---------------------------------------------------------------- origin_of

@pytest.mark.parametrize("url, expected", [
    ("https://jira.example.com", ("https", "jira.example.com", 443)),
    ("https://jira.example.com:443/x", ("https", "jira.example.com", 443)),
    ("HTTP://JIRA.example.com/x", ("http", "jira.example.com", 80)),
    ("http://jira.example.com:8080/jira", ("http", "jira.example.com", 8080)),
    ("https://fred@jira.example.com:8443", ("https", "jira.example.com", 8443)),
    ("//evil.example/x", ("", "evil.example", None)),
    ("/rest/api/2/myself", ("", "", None)),
    ("ftp://x", ("ftp", "x", None)),
])
def test_origin_of(url, expected):
    assert urls.origin_of(url) == expected


# ---------------------------------------------------------------- join_path

@pytest.mark.parametrize("base, path, expected", [
    (BASE, "/rest/api/2/myself", "https://jira.example.com/rest/api/2/myself"),
    (BASE, "rest/api/2/myself", "https://jira.example.com/rest/api/2/myself"),
    (BASE, "/", "https://jira.example.com/"),
    (CONTEXT, "/rest/api/2/myself", "https://jira.example.com/jira/rest/api/2/myself"),
    (CONTEXT, "rest/api/2/issue/ABC-1", "https://jira.example.com/jira/rest/api/2/issue/ABC-1"),
    (BASE, "/rest/api/2/issue/ABC-1/comment/", "https://jira.example.com/rest/api/2/issue/ABC-1/comment/"),
    (BASE, "/rest/api/2/a..b/c", "https://jira.example.com/rest/api/2/a..b/c"),
    (BASE, "/rest/api/2/%20x", "https://jira.example.com/rest/api/2/%20x"),
    (BASE, "/a:b", "https://jira.example.com/a:b"),
    # full URLs below the base are accepted and rebuilt on the base URL
    (BASE, "https://jira.example.com/rest/api/2/myself", "https://jira.example.com/rest/api/2/myself"),
    (CONTEXT, "https://jira.example.com/jira/rest/api/2/issue/X-1",
     "https://jira.example.com/jira/rest/api/2/issue/X-1"),
    (CONTEXT, "HTTPS://JIRA.EXAMPLE.COM:443/jira/rest", "https://jira.example.com/jira/rest"),
    (CONTEXT, "https://fred@jira.example.com/jira/rest", "https://jira.example.com/jira/rest"),
    ("http://jira.example.com:8080/jira", "http://jira.example.com:8080/jira/rest/api/2/serverInfo",
     "http://jira.example.com:8080/jira/rest/api/2/serverInfo"),
])
def test_join_path(base, path, expected):
    assert urls.join_path(base, path) == expected


@pytest.mark.parametrize("base, path, problem", [
    (BASE, "", "is empty"),
    (BASE, None, "is empty"),
    (BASE, 42, "is empty"),
    (BASE, "/rest/api/2/my self", "contains white space, a control character or a backslash"),
    (BASE, "/rest\\api", "contains white space, a control character or a backslash"),
    (BASE, "/rest/\tapi", "contains white space, a control character or a backslash"),
    (BASE, "/rest/api\n", "contains white space, a control character or a backslash"),
    (BASE, "/rest/api/2/search?jql=x", "contains '?' or '#'"),
    (BASE, "/rest/api/2/myself#x", "contains '?' or '#'"),
    (BASE, "..", "contains a '..' segment"),
    (BASE, "/../secure/admin", "contains a '..' segment"),
    (CONTEXT, "/rest/../../x", "contains a '..' segment"),
    (CONTEXT, "rest/..", "contains a '..' segment"),
    (CONTEXT, "/rest/%2e%2e/x", "contains a '..' segment"),
    (CONTEXT, "/rest/%2E%2E/x", "contains a '..' segment"),
    (CONTEXT, "/rest/.%2e/x", "contains a '..' segment"),
    (CONTEXT, "https://jira.example.com/jira/../x", "contains a '..' segment"),
    (BASE, "/rest/..;/secure/admin", "contains a '..' segment"),
    (BASE, "/rest/..;jsessionid=1/secure/admin", "contains a '..' segment"),
    (BASE, "/rest/%2e%2e;/secure", "contains a '..' segment"),
    (BASE, "/rest/./api", "contains a '.' segment"),
    (BASE, "/rest/api/2/issue/100%", "contains a '%' that does not start an escape of two hex digits"),
    (BASE, "/rest/api/2/issue/%zz", "contains a '%' that does not start an escape of two hex digits"),
    (BASE, "/rest/api/2/issue/%4", "contains a '%' that does not start an escape of two hex digits"),
    (BASE, "//evil.example/rest/api/2/myself", "points outside the configured url"),
    (BASE, "//jira.example.com/rest/api/2/myself", "points outside the configured url"),
    (BASE, "//rest/api/2/myself", "points outside the configured url"),
    (BASE, "http://evil.example/rest", "points outside the configured url"),
    (BASE, "https://evil.example/rest", "points outside the configured url"),
    (BASE, "http://jira.example.com/rest", "points outside the configured url"),
    (BASE, "https://jira.example.com:8443/rest", "points outside the configured url"),
    (BASE, "https://jira.example.com@evil.example/rest", "points outside the configured url"),
    (BASE, "https://jira.example.com", "points outside the configured url"),
    (CONTEXT, "https://jira.example.com/other/rest", "points outside the configured url"),
    (CONTEXT, "https://jira.example.com/jira", "points outside the configured url"),
    (CONTEXT, "https://jira.example.com/jiraX/rest", "points outside the configured url"),
    (BASE, "javascript:alert(1)", "points outside the configured url"),
    (BASE, "mailto:fred@example.com", "points outside the configured url"),
])
def test_join_path_refusals(base, path, problem):
    with pytest.raises(InputError) as err:
        urls.join_path(base, path)
    assert err.value.fields == {"option": "path"}
    assert err.value.msg.startswith("Option 'path': %s. " % problem)


@pytest.mark.parametrize("option", ["read_path", "guard_path"])
def test_join_path_names_the_given_option(option):
    with pytest.raises(InputError) as err:
        urls.join_path(BASE, "https://evil.example/x", option=option)
    assert err.value.fields == {"option": option}
    assert err.value.msg == ("Option '%s': points outside the configured url. Give a path relative to url (e.g. "
                             "/rest/api/2/myself); requests never leave Jira's origin, so credentials are not sent "
                             "elsewhere." % option)


@pytest.mark.parametrize("path", [
    "//[evil",
    "https://[::1/x",
    "https://jira.example.com:99999/rest",
    "https://jira.example.com:port/rest",
    u"//jira\uff03x/rest",
])
def test_join_path_malformed_absolute_url_is_an_input_error(path):
    with pytest.raises(InputError) as err:
        urls.join_path(BASE, path)
    assert err.value.fields == {"option": "path"}
