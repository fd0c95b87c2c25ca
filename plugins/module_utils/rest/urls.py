# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checking the base URL and joining paths to it without ever leaving its origin."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import posixpath
import re
import socket

from urllib.parse import unquote, urlsplit

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError

_CONTROL = re.compile(r"[\x00-\x20\x7f\\]")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _dot_segment(segment):
    """'.' or '..' when ``segment`` is one, also with path parameters ('..;x', which servlet containers read as
    '..')."""
    bare = segment.split(";", 1)[0]
    return bare if bare in (".", "..") else None


def normalize_base_url(url):
    """The Jira base URL without a trailing slash; refuses what could not work or would leak."""
    if not url:
        raise InputError("url", "is not set",
                         "Set url (or JIRA_URL) to Jira's base URL, e.g. https://jira.example.com.")
    parts = _split(url.strip(), "url")
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError("url", "must start with http:// or https://",
                         "Give Jira's base URL, e.g. https://jira.example.com.")
    if "@" in parts.netloc:
        # Never echo the URL: it holds a password.
        raise InputError("url", "contains a user name or password (user:password@host)",
                         "Remove them from url and pass them as username and password (or a token).")
    if not parts.hostname:
        raise InputError("url", "has no host name", "Give Jira's base URL, e.g. https://jira.example.com.")
    if parts.query or parts.fragment:
        raise InputError("url", "has a query or fragment", "Give only Jira's base URL; put query parameters in params.")
    if _CONTROL.search(url.strip()):
        raise InputError("url", "contains white space, a control character or a backslash", "Remove it.")
    return "%s://%s%s" % (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"))


# Compiled at import: on the controller path that is once per run, in the main process, not once per forked task.
_SLASHES = re.compile("/+")
_IPV4_FORMS = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$")


def canonical_url(url):
    """One spelling of a base URL per server, for the circuit breaker: every spelling of the same address gives the same
    text. Scheme and host lower-cased, the default port written out, dot segments, repeated and trailing slashes
    removed, IPv4 short, octal, hex and decimal forms and IPv4-mapped IPv6 written as dotted quads, IPv6 compressed.
    No DNS lookup: two names of one host stay two keys. ``url`` must have passed normalize_base_url."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}[scheme]
    path = posixpath.normpath("/" + unquote(parts.path)).rstrip("/") if parts.path.strip("/") else ""
    return "%s://%s:%d%s" % (scheme, _canonical_host(parts.hostname), port, _SLASHES.sub("/", path))


def _canonical_host(host):
    host = host.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and address.version == 6:
        mapped = address.ipv4_mapped
        return str(mapped) if mapped else "[%s]" % address.compressed
    if _IPV4_FORMS.match(host):
        try:
            # inet_aton reads what the resolver would (127.1, 0177.0.0.1, 0x7f000001, 2130706433) without a lookup.
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            pass
    return host


def _split(url, option):
    """urlsplit, with the port checked; what Python cannot parse is an InputError naming the option."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InputError(option, "is not a valid URL (%s)" % exc,
                         "Check the host name; an IPv6 address goes in brackets.")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise InputError(option, "has an invalid port", "Use a port number from 1 to 65535.")
    return parts


def origin_of(url):
    """(scheme, host, port) of a URL; None when it cannot be parsed (so it matches no origin)."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return None
    return (parts.scheme.lower(), (parts.hostname or "").lower(), port)


def join_path(base_url, path, option="path"):
    """base_url + path, where path is relative to base_url or a full URL below it."""
    check_path(path, option)
    if path.startswith("//") or _split(path, option).scheme:
        return _absolute_below_base(base_url, path, option)
    return base_url + "/" + path.lstrip("/")


def check_path(path, option="path"):
    """Refuse a path that cannot be sent as it is, or could leave the base URL (InputError naming ``option``)."""
    if not isinstance(path, str) or not path:
        raise InputError(option, "is empty", "Give a REST path such as /rest/api/2/myself.")
    if _CONTROL.search(path):
        raise InputError(option, "contains white space, a control character or a backslash",
                         "Percent-encode spaces (%20) and put query parameters in params.")
    if "?" in path or "#" in path:
        raise InputError(option, "contains '?' or '#'", "Put query parameters in params, not in the path.")
    if _BAD_ESCAPE.search(path):
        raise InputError(option, "contains a '%' that does not start an escape of two hex digits",
                         "Write a literal percent sign as %25.")
    dots = set(_dot_segment(segment) for segment in unquote(path).split("/")) - set([None])
    if dots:
        raise InputError(option, "contains a '%s' segment" % max(dots),
                         "Give the path below url directly: a dot segment (also written %2e, or as '..;', which Tomcat "
                         "reads as '..') could leave the Jira base URL.")


def _absolute_below_base(base_url, url, option):
    if origin_of(url) == origin_of(base_url) and urlsplit(url).path.startswith(urlsplit(base_url).path + "/"):
        parts = urlsplit(url)
        return base_url + parts.path[len(urlsplit(base_url).path):]
    raise InputError(option, "points outside the configured url",
                     "Give a path relative to url (e.g. /rest/api/2/myself); requests never leave Jira's origin, "
                     "so credentials are not sent elsewhere.")
