# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking every form of a secret in a task result, in values and in keys, before anything is cut or shown.

Ansible's remove_values masks no_log values in string values only, and only as they were given. A server (or a
proxy) that echoes the request can send them back escaped for JSON (``\\/``, ``\\u00e9``), URL-encoded or
HTML-escaped, or as a key of an object; a result must not carry any of those either.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html
import json

from urllib.parse import quote, quote_plus

MASK = "********"


def secret_forms(secrets):
    """Every spelling of each secret that an answer can carry, longest first (so a longer form is masked whole)."""
    forms = set()
    for secret in secrets:
        if not isinstance(secret, str) or not secret:
            continue
        for escaped in (json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1]):
            forms.update((escaped, escaped.replace("/", "\\/"), _upper_hex(escaped)))
        forms.update((secret, quote(secret, safe=""), quote_plus(secret), quote(secret, safe="").lower(),
                      html.escape(secret), html.escape(secret, quote=False)))
    return sorted((form for form in forms if form), key=len, reverse=True)


def _upper_hex(escaped):
    """\\u00e9 as \\u00E9: JSON allows either case."""
    parts = escaped.split("\\u")
    return parts[0] + "".join("\\u" + part[:4].upper() + part[4:] for part in parts[1:])


def masked(value, forms):
    """``value`` with every form masked in strings and keys; ``value`` itself when none occurs (one JSON dump tells)."""
    if not forms or _free_of(value, forms):
        return value
    return _walk(value, forms)


def _free_of(value, forms):
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return False
    # The dump escapes what it writes: look for each form as written and as the dump would write it.
    return not any(form in text or json.dumps(form, ensure_ascii=False)[1:-1] in text for form in forms)


def _walk(value, forms):
    if isinstance(value, dict):
        return dict((_walk(key, forms), _walk(item, forms)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_walk(item, forms) for item in value]
    if isinstance(value, str):
        for form in forms:
            if form in value:
                value = value.replace(form, MASK)
        return value
    return value


def contains_secret(data, forms):
    """Whether UTF-8 ``data`` holds any form; only the forms that contain no other form are searched (each search
    reads all of ``data``, and a form that contains another cannot occur without it)."""
    minimal = [form for form in forms if not any(other != form and other in form for other in forms)]
    return any(form.encode("utf-8") in data for form in minimal)
