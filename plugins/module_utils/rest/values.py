# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers for HTTP values the client reads and writes: URLs with a query, Retry-After, a body's charset."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time
from datetime import timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlencode

# What a URL may hold unencoded; anything else (spaces, non-ASCII, line breaks) is percent-encoded, as browsers do.
URL_SAFE = "!$%&'()*+,/:;=?@[]~"
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def requoted(url):
    """``url`` with every character that may not appear in a request line percent-encoded (existing escapes kept)."""
    return quote(url, safe=URL_SAFE)


def with_query(url, params):
    """``url`` with ``params`` (a mapping; None values left out) added to its query, encoded as a form does."""
    url = requoted(url)
    pairs = [(str(name), value if isinstance(value, (list, tuple)) else str(value))
             for name, value in (params or {}).items() if value is not None]
    if not pairs:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(pairs, doseq=True)


def parse_retry_after(value, now=None):
    """Retry-After as seconds (an integer, or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit() and value.isascii():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # HTTP dates are GMT; '-0000' parses as naive
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def declared_charset(content_type):
    """The character set a Content-Type names (as written), or None when it names none."""
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def decoded_text(content, content_type):
    """(text, problem): ``content`` decoded as its Content-Type declares (UTF-8, JSON's encoding, when it declares
    none). When the declared character set is unknown, is not a text encoding (hex, base64, zlib ...) or cannot decode
    the body, the body is decoded as UTF-8 and ``problem`` says why, in words; otherwise ``problem`` is None."""
    charset = declared_charset(content_type) or "utf-8"
    try:
        return content.decode(charset, "replace"), None
    except (LookupError, ValueError):  # UnicodeError is a ValueError: a codec that refuses 'replace' (idna, undefined)
        problem = "the character set '%s', which is not a text encoding Python can read" % charset
        return content.decode("utf-8", "replace"), problem
