# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every form of a secret is masked, in values and in keys, whatever a server echoes back."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import html
import json
import re

from urllib.parse import quote, quote_plus, unquote

import pytest
from hypothesis import assume, given, settings, strategies as st

from ansible_collections.jiraops.jira.plugins.module_utils.login import masking
from ansible_collections.jiraops.jira.plugins.module_utils.login.auth import basic_credentials, bearer_credentials

PASSWORD = u"p\u00e4ss/w\u00f6rd\"q"
CREDENTIALS = basic_credentials(u"j\u00fcrgen", PASSWORD)
FORMS = masking.secret_forms(CREDENTIALS.secrets)


def echoed(text):
    return {"errorMessages": [text], "errors": {text: text}, "nested": [{"k": "before %s after" % text}]}


def leaked(value, secrets=CREDENTIALS.secrets):
    dumped = json.dumps(value, ensure_ascii=False)
    return [form for form in masking.secret_forms(secrets) if form in dumped or json.dumps(form)[1:-1] in dumped]


def test_the_forms_an_echo_can_take():
    for form in (PASSWORD, json.dumps(PASSWORD)[1:-1], json.dumps(PASSWORD)[1:-1].replace("/", "\\/"),
                 "p\\u00E4ss", "p%C3%A4ss%2Fw", "p%c3%a4ss%2fw", "rd&quot;q"):
        assert any(form in candidate for candidate in FORMS), form


def test_values_and_keys_are_masked():
    header = CREDENTIALS.header
    message = "echo: " + json.dumps(PASSWORD)[1:-1].replace("/", "\\/")
    result = masking.masked({"json": echoed(header), "msg": message}, FORMS)
    assert leaked(result) == []
    assert masking.MASK in result["json"]["errorMessages"][0] and masking.MASK in list(result["json"]["errors"])[0]


def test_a_result_without_secrets_is_the_same_object():
    value = {"json": {"issues": [{"key": "A-1"}]}}
    assert masking.masked(value, FORMS) is value


def test_contains_secret_in_bytes():
    encoded = base64.b64encode(u"j\u00fcrgen:{0}".format(PASSWORD).encode("utf-8")).decode("ascii")
    assert masking.contains_secret(('{"h": "Basic %s"}' % encoded.replace("/", "\\/")).encode("utf-8"), FORMS)
    assert masking.contains_secret(json.dumps({"p": PASSWORD}).encode("utf-8"), FORMS)
    assert not masking.contains_secret(b'{"issues": []}', FORMS)


@settings(max_examples=200, deadline=None)
@given(token=st.text(st.characters(min_codepoint=0x21, max_codepoint=0xff, blacklist_categories=("Cc",)), min_size=8),
       escape=st.sampled_from(["raw", "json", "json_ascii", "slash", "url", "url_plus", "html"]))
def test_any_echo_of_a_token_is_masked_whole(token, escape):
    assume(token not in masking.MASK)  # a token of asterisks is indistinguishable from its mask
    form = {"raw": token, "json": json.dumps(token, ensure_ascii=False)[1:-1], "json_ascii": json.dumps(token)[1:-1],
            "slash": json.dumps(token)[1:-1].replace("/", "\\/"), "url": quote(token, safe=""),
            "url_plus": quote_plus(token), "html": html.escape(token)}[escape]
    secrets = bearer_credentials(token).secrets
    result = masking.masked({"content": "<pre>%s</pre>" % form, form: 1}, masking.secret_forms(secrets))
    assert form not in json.dumps(result, ensure_ascii=False) and form not in result["content"]


# The encodings an echo can take beyond the known forms, each a function of the text it encodes.
def _percent_every_byte(text, upper=True):
    return "".join(("%%%02X" if upper else "%%%02x") % byte for byte in text.encode("utf-8"))


def _lower_hex(text):
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(text, safe=""))


ENCODINGS = {
    "upper-cased": lambda text: text.upper(),
    "percent, lower-case hex": _lower_hex,
    "percent, every byte": _percent_every_byte,
    "percent, every byte, lower-case hex": lambda text: _percent_every_byte(text, upper=False),
    "percent, twice": lambda text: quote(quote(text, safe=""), safe=""),
    "percent, '+' for space": quote_plus,
    "HTML decimal entities": lambda text: "".join("&#%d;" % ord(char) for char in text),
    "HTML hex entities": lambda text: "".join("&#x%X;" % ord(char) for char in text),
    "HTML named entities": lambda text: html.escape(text).replace("&#x27;", "&apos;"),
    "JSON \\u escape of every character": lambda text: "".join("\\u%04x" % ord(char) for char in text),
    "JSON \\u escape, upper-case hex": lambda text: "".join("\\u%04X" % ord(char) for char in text),
    "JSON dump": lambda text: json.dumps(text)[1:-1],
}
WRAPS = {"LF": "\n", "CRLF": "\r\n", "space": " ", "tab": "\t"}
SECRET = u"S\u00ebcr\u00e9t:P\u00e4ss w\u00f6rd+7Q2x/&%"


def wrapped(text, breaker, width=5):
    return breaker.join(text[start:start + width] for start in range(0, len(text), width))


def strings_in(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, str):
        yield value


def reference_normal(text):
    """The normal form, written independently of masking.py (the test's own oracle): the standard library's decoders
    applied until nothing changes, case folded, without whitespace and '+'."""
    for dummy in range(6):
        decoded = re.sub(r"\\[uU]([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
        decoded = html.unescape(json.loads('"%s"' % decoded) if _is_json_text(decoded) else decoded)
        decoded = unquote(decoded).casefold()
        if decoded == text:
            break
        text = decoded
    return re.sub(r"[\s+]", "", text.casefold())


def _is_json_text(text):
    try:
        json.loads('"%s"' % text)
    except ValueError:
        return False
    return "\\" in text


def revealed(value, secret):
    """The strings of ``value`` whose normal form holds the secret's."""
    normal = reference_normal(secret)
    return [text for text in strings_in(value) if normal in reference_normal(text)]


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_the_normal_form_undoes_each_encoding(name):
    assert masking.normal_form(ENCODINGS[name](SECRET)) == masking.normal_form(SECRET)
    assert masking.normal_form(ENCODINGS[name](ENCODINGS["JSON dump"](SECRET))) == masking.normal_form(SECRET)


@pytest.mark.parametrize("breaker", sorted(WRAPS))
def test_the_normal_form_ignores_line_breaks(breaker):
    encoded = base64.b64encode(SECRET.encode("utf-8")).decode("ascii")
    assert masking.normal_form(wrapped(encoded, WRAPS[breaker])) == masking.normal_form(encoded)


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_a_value_or_key_only_the_normal_form_reveals_is_masked_whole(name):
    forms = masking.secret_forms(basic_credentials("fred", SECRET).secrets)
    echo = ENCODINGS[name](SECRET)
    result = masking.masked({"json": {"errorMessages": ["you sent %s here" % echo], echo: "x"},
                             "content": "<p>%s</p>" % echo}, forms)
    assert revealed(result, SECRET) == []
    if echo in forms:  # a known form: masked where it stands
        assert result["content"] == "<p>%s</p>" % masking.MASK
    else:
        assert result["content"] == masking.MASK and result["json"]["errorMessages"] == [masking.MASK]
    assert list(result["json"]) == ["errorMessages", masking.MASK]


def test_the_header_echoed_wrapped_and_upper_cased_is_masked():
    credentials = basic_credentials("fred", SECRET)
    echo = wrapped(credentials.header, "\r\n", 76).upper()
    result = masking.masked({"headers": {"x-echo": echo}}, masking.secret_forms(credentials.secrets))
    assert result == {"headers": {"x-echo": masking.MASK}}


def test_a_known_form_is_still_masked_in_place():
    forms = masking.secret_forms(basic_credentials("fred", SECRET).secrets)
    assert masking.masked("before %s after" % quote(SECRET, safe=""), forms) == "before %s after" % masking.MASK


def test_a_short_secret_is_masked_as_given_but_not_by_normal_form():
    """The seed's fred/fred: the display name 'Fred Flintstone' stays, the password is masked where it stands."""
    forms = masking.secret_forms(basic_credentials("fred", "fred").secrets)
    assert masking.masked({"displayName": "Fred Flintstone", "name": "fred"}, forms) == {
        "displayName": "Fred Flintstone", "name": masking.MASK}


def test_a_large_clean_answer_is_the_same_object_and_a_large_echo_is_masked():
    forms = masking.secret_forms(basic_credentials("fred", SECRET).secrets)
    issues = [{"key": "TEST-%d" % number, "fields": {"summary": "Issue %d &amp; 50%% done\n" % number}}
              for number in range(2000)]
    answer = {"json": {"issues": issues}}
    assert masking.masked(answer, forms) is answer
    issues[1234]["fields"]["description"] = ENCODINGS["HTML hex entities"](SECRET)
    result = masking.masked(answer, forms)
    assert revealed(result, SECRET) == [] and result["json"]["issues"][1234]["fields"]["description"] == masking.MASK
    assert result["json"]["issues"][1233] == issues[1233]


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_contains_secret_sees_an_encoding_that_straddles_two_chunks(name, monkeypatch):
    monkeypatch.setattr(masking, "_CHUNK", 4096, raising=False)
    forms = masking.secret_forms(basic_credentials("fred", SECRET).secrets)
    echo = json.dumps({"summary": ENCODINGS[name](SECRET)})[1:-1].encode("utf-8")
    for start in (4096 - len(echo) // 2, 3 * 4096 - 3):
        data = b"x" * start + echo + b"y" * 10000
        assert masking.contains_secret(data, forms), start
    assert not masking.contains_secret(b"x" * 20000, forms)


SECRETS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x24F, blacklist_categories=("Cc", "Cs")),
                  min_size=8, max_size=24)
AROUND = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x24F, blacklist_categories=("Cc", "Cs")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(secret=SECRETS, names=st.lists(st.sampled_from(sorted(ENCODINGS)), min_size=1, max_size=2),
       breaker=st.sampled_from([None] + sorted(WRAPS)), before=AROUND, after=AROUND)
def test_no_encoding_of_a_secret_survives_masking(secret, names, breaker, before, after):
    """For random secrets and random encodings of them (a wrapped copy, then one or two encodings over it) embedded in
    random text, no string of the masked result holds the secret in normal form."""
    normal = reference_normal(secret)
    assume(len(normal) >= 8 and normal not in masking.MASK)
    echo = wrapped(secret, WRAPS[breaker], 7) if breaker else secret
    for name in names:
        echo = ENCODINGS[name](echo)
    if secret.isascii():
        forms = masking.secret_forms(bearer_credentials(secret).secrets)
    else:
        forms = masking.secret_forms([secret])
    text = "%s %s %s" % (before, echo, after)
    result = masking.masked({"content": text, "json": {"errors": {echo: [text]}}}, forms)
    assert revealed(result, secret) == []


@pytest.mark.parametrize("prefix", ["", "B", "Be", "Bearer "])
def test_a_secret_echoed_in_base64_at_any_offset_is_masked(prefix):
    """Found by the chaos harness (seed 3991216805): a proxy echoed a PAT base64-encoded, which no normal form undoes.
    Whatever precedes it in the encoded text, no 6-character piece of the secret survives decoding what is left."""
    token = "LeakPAT-Zq8vN3xR5tW1yB7mK2pD9fH4jL6c"
    echoed = base64.b64encode((prefix + token + " tail").encode("utf-8")).decode("ascii")
    left = masking.masked({"echo": "seen: " + echoed}, masking.secret_forms([token]))["echo"]
    assert masking.MASK in left
    for run in re.findall(r"[A-Za-z0-9+/=]{4,}", left):
        padded = run[:len(run) // 4 * 4]
        decoded = base64.b64decode(padded).decode("utf-8", "replace") if padded else ""
        assert not any(token[start:start + 6] in decoded for start in range(len(token) - 5)), (prefix, run)
