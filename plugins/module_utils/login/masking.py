# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking every form of a secret in a task result, in values and in keys, before anything is cut or shown.

Ansible's remove_values masks no_log values in string values only, and only as they were given. A server (or a
proxy) that echoes the request can send them back in any encoding: escaped for JSON, URL-encoded (in either case of
hex, every byte, twice), HTML entities, upper-cased, line-wrapped, or as a key of an object; a base64 run of a secret
marks the text as revealing it too. So a text is judged in
one normal form, which every such spelling of a secret shares: escapes decoded (JSON ``\\u``, HTML entities named and
numeric, percent-encoding) until nothing changes (at most ``_ROUNDS`` times), case folded, whitespace and ``+``
ignored. The forms :func:`secret_forms` knows are replaced by ``MASK`` in place; a string value (or key) in which
only the normal form reveals a secret is replaced by ``MASK`` whole.

The normal form is looked for only for secrets whose normal form has at least ``_NORMAL_MIN`` characters: a shorter
one (the seed's password 'fred') matches ordinary words in any case ('Fred Flintstone'); it is masked as given and in
every known form.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import functools
import html
import json
import re

from urllib.parse import quote, quote_plus

MASK = "********"
_ROUNDS = 6  # an echo encoded more deeply than this is not undone (and an adversarial text cannot loop us)
_NORMAL_MIN = 8
_CHUNK = 4 * 1024 * 1024  # bytes judged at once: bounded memory for an answer of any size
# The text is case folded before each round, but a decoder can make capitals for the next one (\u0041 is A).
_JSON_U = re.compile(r"\\u(?:[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|[0-9a-fA-F]{4})")
_JSON_SIMPLE = (('\\"', '"'), ("\\/", "/"), ("\\b", "\b"), ("\\f", "\f"), ("\\n", "\n"), ("\\r", "\r"), ("\\t", "\t"))
# Numeric references (';' optional, as browsers read them) and named ones (with ';'; '&ownerId=' in a URL is none).
_ENTITY = re.compile(r"&(?:#[xX]?[0-9a-fA-F]{1,8};?|[a-zA-Z][a-zA-Z0-9]{1,31};)")
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")  # a literal first character: searched fast
_GAP = r"[\s+]*"  # whitespace (a line-wrapped copy) and '+' (space in a query) between any two characters


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


def _base64_runs(secret):
    """The base64 runs that any base64 text holding ``secret`` contains (the normal form cannot undo base64: a run of
    letters may or may not be one). Within a longer encoded text the secret starts at one of three byte offsets of a
    3-byte group, so for each offset the whole groups that hold only the secret's bytes. Runs shorter than _NORMAL_MIN
    characters would match ordinary words, and are left out."""
    data = secret.encode("utf-8")
    runs = set((base64.b64encode(data).decode("ascii"),))
    for offset in range(3):
        whole = data[offset:offset + (len(data) - offset) // 3 * 3]
        runs.add(base64.b64encode(whole).decode("ascii"))
    runs.update([run.replace("+", "-").replace("/", "_") for run in runs])  # the URL-safe alphabet
    return [run for run in runs if len(run) >= _NORMAL_MIN]


def _upper_hex(escaped):
    """\\u00e9 as \\u00E9: JSON allows either case."""
    parts = escaped.split("\\u")
    return parts[0] + "".join("\\u" + part[:4].upper() + part[4:] for part in parts[1:])


def normal_form(text):
    """``text`` decoded until it stops changing (at most ``_ROUNDS`` times), case folded, without whitespace and '+'."""
    return "".join(_decoded(text).replace("+", " ").split())


def _decoded(text):
    """``text`` case folded with every escape decoded, again while an escape is left (``%2541``, or ``\\&quot;`` whose
    entity makes a JSON escape), at most ``_ROUNDS`` times."""
    text = text.casefold()
    for dummy in range(_ROUNDS):
        once = _decoded_once(text)
        if once == text:
            break
        text = once.casefold()  # '%53' decodes to 'S'
        if not any(marker in text and left.search(text) for marker, dummy, dummy2, left in _DECODERS):
            break
    return text


def _decoded_once(text):
    """One pass of each decoder; each looks for its marker first, which costs nothing on most texts."""
    for marker, pattern, decode, dummy in _DECODERS:
        if marker in text:
            text = decode(text) if pattern is None else pattern.sub(decode, text)
    return text


def _json_unescaped(text):
    """JSON's escapes decoded, left to right as a parser reads them, by plain replacements (a Jira answer holds one in
    every line break and quote of its texts): an escaped backslash is held aside first, so it starts no escape."""
    held = "\x00" not in text  # a JSON text never holds a raw NUL
    if held:
        text = text.replace("\\\\", "\x00")
    for escape, char in _JSON_SIMPLE:
        if escape in text:  # a search costs less than a copy
            text = text.replace(escape, char)
    if "\\u" in text:
        text = _JSON_U.sub(_json_char, text)
    return text.replace("\x00", "\\") if held else text


def _json_char(match):
    return _unicode_char(match.group())


@functools.lru_cache(maxsize=4096)
def _unicode_char(escape):
    """'\\u0041' as 'A'; a surrogate pair ('\\ud83d\\ude00') as the one character it stands for."""
    if len(escape) > 6:
        return chr(0x10000 + ((int(escape[2:6], 16) - 0xD800) << 10) + (int(escape[8:], 16) - 0xDC00))
    return chr(int(escape[2:], 16))


def _percent_decoded(match):
    return _bytes_decoded(match.group())


def _entity_decoded(match):
    return _entity_char(match.group())


# An answer repeats a few escapes ('%20', '&amp;') thousands of times: each is decoded once.
@functools.lru_cache(maxsize=4096)
def _bytes_decoded(escapes):
    return bytes.fromhex(escapes.replace("%", "")).decode("utf-8", "replace")


@functools.lru_cache(maxsize=4096)
def _entity_char(entity):
    return html.unescape(entity)


# (marker, pattern, decoder, an escape left to decode): each pattern starts with a literal, which is searched fast.
_DECODERS = (
    ("\\", None, _json_unescaped, re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})')),
    ("&", _ENTITY, _entity_decoded, _ENTITY),
    ("%", _PERCENT, _percent_decoded, _PERCENT),
)


@functools.lru_cache(maxsize=64)
def _normal_patterns(forms):
    """The searches for each secret's normal form, gaps allowed; only the normal forms that hold no other are kept."""
    normals = set(normal_form(form) for form in forms)
    normals = [normal for normal in normals if len(normal) >= _NORMAL_MIN]
    minimal = [normal for normal in normals if not any(other != normal and other in normal for other in normals)]
    return tuple(re.compile(_GAP.join(re.escape(char) for char in normal)) for normal in minimal)


@functools.lru_cache(maxsize=64)
def _literal_forms(forms):
    """The forms that hold no other form, as written and as a JSON dump writes them (one search each finds any form)."""
    minimal = [form for form in forms if not any(other != form and other in form for other in forms)]
    return tuple(set(minimal) | set(json.dumps(form, ensure_ascii=False)[1:-1] for form in minimal))


@functools.lru_cache(maxsize=64)
def _encoded_runs(forms):
    """The base64 runs of the forms that hold no other form (the secrets as given, mostly)."""
    return tuple({run for form in _literal_forms(forms) for run in _base64_runs(form)})


def _reveals(text, forms):
    """Whether ``text`` shows a secret only once decoded: its normal form holds a secret's normal form, or it holds a
    base64 run of a secret (never replaced in place: a masked run would leave the rest of an encoded text unjudged)."""
    if any(run in text for run in _encoded_runs(forms)):
        return True
    patterns = _normal_patterns(forms)
    if not patterns or len(text) * 3 < _NORMAL_MIN:  # case folding makes at most 3 characters of one
        return False
    decoded = _decoded(text)
    return any(pattern.search(decoded) for pattern in patterns)


def masked(value, forms):
    """``value`` with every known form masked in strings and keys, and every string (or key) in which only the normal
    form shows a secret replaced by ``MASK`` whole; ``value`` itself when none occurs (one JSON dump tells)."""
    if not forms:
        return value
    forms = tuple(forms)
    text = value if isinstance(value, str) else _dumped(value)
    if text is not None and not _holds(text, forms):
        return value
    return _walk(value, forms)


def _dumped(value):
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return None


def _holds(text, forms):
    return any(form in text for form in _literal_forms(forms)) or _reveals(text, forms)


def _walk(value, forms, prune=True):
    """``value`` masked; in the first list of many items (a page of issues), only the items that hold a secret are
    walked, each judged by its own dump."""
    if isinstance(value, dict):
        return dict((_walk(key, forms), _walk(item, forms, prune)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        if prune and len(value) > 1:
            return [_walk(item, forms, False) if _suspect(item, forms) else item for item in value]
        return [_walk(item, forms, prune) for item in value]
    if isinstance(value, str):
        for form in forms:
            if form in value:
                value = value.replace(form, MASK)
        return MASK if _reveals(value, forms) else value
    return value


def _suspect(item, forms):
    if not isinstance(item, (dict, list, tuple)):
        return True
    text = _dumped(item)
    return text is None or _holds(text, forms)


def contains_secret(data, forms):
    """Whether UTF-8 ``data`` holds any form of a secret, as written or in normal form. ``data`` is read in chunks
    with an overlap as long as the longest encoding judged, so a secret that straddles two chunks is still seen."""
    if not forms:
        return False
    forms = tuple(forms)
    # A character's encodings are at most a few dozen bytes (4 UTF-8 bytes, each percent-encoded three times): an
    # overlap of 64 bytes per byte of the longest form holds any encoding of any secret, and a line-wrapped copy.
    overlap = max(64 * 1024, 64 * max(len(form.encode("utf-8")) for form in forms))
    start = 0
    while True:
        chunk = data[max(0, start - overlap):start + _CHUNK]
        if _holds(chunk.decode("utf-8", "replace"), forms):
            return True
        start += _CHUNK
        if start >= len(data):
            return False
