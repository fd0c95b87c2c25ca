# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests (hypothesis) for the header builder, the login-state reader and path joining."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ansible_collections.jiraops.jira.plugins.module_utils.login import auth

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state

from ansible_collections.jiraops.jira.plugins.module_utils.rest import pager

from ansible_collections.jiraops.jira.plugins.module_utils.rest import urls
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError

SETTINGS = settings(max_examples=200, deadline=None)

LINE_BREAKS = st.sampled_from(["\r", "\n", "\r\n"])
# Text without control characters (tab aside): line breaks and NUL are refused in credentials (tested apart).
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.just("\t"))
NO_BREAKS = PRINTABLE
USERNAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.just("\t"),
                    min_size=1).filter(lambda s: ":" not in s)


def _decode_basic(header):
    scheme, dummy, encoded = header.partition(" ")
    assert scheme == "Basic"
    return base64.b64decode(encoded.encode("ascii"), validate=True).decode("utf-8")


@st.composite
def with_line_break(draw, base=st.text()):
    """A string with CR, LF or CRLF inserted somewhere."""
    value = draw(base)
    at = draw(st.integers(min_value=0, max_value=len(value)))
    return value[:at] + draw(LINE_BREAKS) + value[at:]


# ---------------------------------------------------------------- header builder

@SETTINGS
@given(username=USERNAMES, password=NO_BREAKS)
@example(username=u"jörg", password=u"pä:ss")
@example(username=u"\u2603", password=u"")
def test_basic_header_round_trips(username, password):
    creds = auth.basic_credentials(username, password)
    assert creds.header.startswith("Basic ")
    assert _decode_basic(creds.header) == username + ":" + password
    assert creds.header in creds.secrets
    if password:
        assert password in creds.secrets


@SETTINGS
@given(username=with_line_break(), password=st.text())
def test_basic_refuses_line_break_in_username(username, password):
    with pytest.raises(InputError) as err:
        auth.basic_credentials(username, password)
    assert err.value.fields == {"option": "username"}
    assert err.value.msg.startswith("Option 'username': contains a line break (CR or LF). ")


@SETTINGS
@given(username=USERNAMES, password=with_line_break())
def test_basic_refuses_line_break_in_password(username, password):
    with pytest.raises(InputError) as err:
        auth.basic_credentials(username, password)
    assert err.value.fields == {"option": "password"}
    assert err.value.msg.startswith("Option 'password': contains a line break (CR or LF). ")


@SETTINGS
@given(token=with_line_break())
def test_bearer_refuses_line_break(token):
    with pytest.raises(InputError) as err:
        auth.bearer_credentials(token)
    assert err.value.fields == {"option": "token"}
    assert err.value.msg.startswith("Option 'token': contains a line break (CR or LF). ")


@SETTINGS
@given(before=NO_BREAKS, after=NO_BREAKS, password=NO_BREAKS)
def test_basic_refuses_colon_in_username(before, after, password):
    with pytest.raises(InputError) as err:
        auth.basic_credentials(before + ":" + after, password)
    assert err.value.fields == {"option": "username"}
    assert err.value.msg.startswith("Option 'username': contains ':', which Basic auth uses as the separator. ")


@SETTINGS
@given(token=st.text(st.characters(min_codepoint=0x20, max_codepoint=0xff,
                                   blacklist_categories=("Cc",))).filter(lambda s: s.strip()))
def test_bearer_header_is_the_token(token):
    creds = auth.bearer_credentials(token)
    assert creds.header == "Bearer " + token
    assert creds.secrets == (token, "Bearer " + token)


# ---------------------------------------------------------------- login-state reader

HEADER_NAMES = st.one_of(
    st.sampled_from(["x-seraph-loginreason", "x-ausername", "x-authentication-denied-reason", "content-type",
                     "retry-after"]),
    st.text(max_size=20),
)
REASON_WORDS = st.sampled_from(["OK", "OUT", "AUTHENTICATED_FAILED", "AUTHENTICATION_DENIED", "AUTHORISATION_FAILED",
                                "ok", " "])
REASON_TOKENS = st.one_of(REASON_WORDS, st.text(max_size=15).filter(lambda s: "," not in s))
STATES = (login_state.OK, login_state.ANONYMOUS, login_state.WRONG_CREDENTIALS, login_state.CAPTCHA,
          login_state.NOT_AUTHORISED, login_state.BASIC_AUTH_DISABLED, login_state.UNKNOWN)


@st.composite
def random_case(draw, word):
    return "".join(c.upper() if draw(st.booleans()) else c.lower() for c in word)


@st.composite
def reason_header_with(draw, word):
    """A comma-separated X-Seraph-LoginReason holding ``word`` (any case, padded) among other values."""
    tokens = draw(st.lists(REASON_TOKENS, max_size=4))
    padded = (draw(st.sampled_from(["", " ", "  ", "\t"])) + draw(random_case(word))
              + draw(st.sampled_from(["", " ", "\t "])))
    tokens.insert(draw(st.integers(min_value=0, max_value=len(tokens))), padded)
    return ",".join(tokens) if draw(st.booleans()) else ", ".join(tokens)


@SETTINGS
@given(status=st.integers(min_value=-1, max_value=1000),
       headers=st.dictionaries(HEADER_NAMES, st.text()),
       body=st.one_of(st.none(), st.text()),
       sent=st.booleans())
@example(status=403, headers={"x-authentication-denied-reason": ";;=;login-url"}, body=None, sent=True)
@example(status=200, headers={"x-seraph-loginreason": ",,,"}, body="", sent=True)
def test_read_login_never_raises(status, headers, body, sent):
    login = login_state.read_login(status, headers, body, sent)
    assert login.state in STATES
    assert isinstance(login.reasons, list)
    fields = login.fields()
    assert sorted(fields) == ["captcha_triggered", "denied_reason", "login_reason", "login_state", "login_url"]
    if not sent:
        assert login.state in (login_state.ANONYMOUS, login_state.CAPTCHA)


@SETTINGS
@given(status=st.integers(min_value=100, max_value=599),
       reason=reason_header_with("AUTHENTICATION_DENIED"),
       other=st.dictionaries(st.sampled_from(["x-ausername", "x-authentication-denied-reason", "content-type"]),
                             st.text()),
       body=st.one_of(st.none(), st.text()))
def test_authentication_denied_anywhere_is_captcha(status, reason, other, body):
    headers = dict(other)
    headers["x-seraph-loginreason"] = reason
    login = login_state.read_login(status, headers, body, True)
    assert login.state == login_state.CAPTCHA
    assert login.captcha_triggered is True
    assert login.rejected is True
    assert "AUTHENTICATION_DENIED" in login.reasons


@SETTINGS
@given(status=st.integers(min_value=200, max_value=299),
       reason=st.one_of(st.none(), st.lists(REASON_TOKENS, max_size=4).map(", ".join)),
       body=st.one_of(st.none(), st.text(), st.sampled_from(['{"name": "fred"}', "OK"])))
def test_2xx_served_as_anonymous_with_credentials_is_never_ok(status, reason, body):
    headers = {"x-ausername": "anonymous"}
    if reason is not None:
        headers["x-seraph-loginreason"] = reason
    login = login_state.read_login(status, headers, body, True)
    assert login.state != login_state.OK
    assert login.state in (login_state.WRONG_CREDENTIALS, login_state.CAPTCHA, login_state.NOT_AUTHORISED)


# ---------------------------------------------------------------- path joining

BASES = st.sampled_from([
    "https://jira.example.com",
    "https://jira.example.com/jira",
    "http://10.0.0.5:8080/jira/sub",
    "https://JIRA.example.com:8443/",
]).map(urls.normalize_base_url)
# Any text except '[' and ']' (IPv6 brackets) and characters that NFKC-normalise to URL delimiters: those
# make urlsplit raise ValueError, a known bug covered by test_join_path_only_raises_input_error below.
SAFE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="[]").filter(
    lambda c: c.isascii() or not any(d in unicodedata.normalize("NFKC", c) for d in "/?#@:[]"))
SEGMENT = st.text(alphabet=SAFE_CHARS, max_size=12)
CLEAN_SEGMENT = st.from_regex(r"\A[A-Za-z0-9_.~-]{0,10}\Z").filter(lambda s: s not in (".", ".."))
HOSTS = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,5}){0,2}\Z")


@st.composite
def paths(draw):
    """Relative paths, absolute URLs (same origin or not), scheme-relative URLs and junk."""
    segments = draw(st.lists(SEGMENT, max_size=5))
    tail = "/".join(segments)
    kind = draw(st.sampled_from(["relative", "rooted", "absolute", "scheme-relative", "raw"]))
    if kind == "relative":
        return tail
    if kind == "rooted":
        return "/" + tail
    if kind == "absolute":
        scheme = draw(st.sampled_from(["http", "https", "HTTPS", "ftp"]))
        host = draw(st.one_of(HOSTS, st.sampled_from(["jira.example.com", "10.0.0.5", "JIRA.example.com"])))
        port = draw(st.one_of(st.just(""), st.sampled_from([":443", ":80", ":8080", ":8443"]),
                              st.integers(0, 65535).map(":{0}".format)))
        prefix = draw(st.sampled_from(["", "/jira", "/jira/sub", "/jiraX"]))
        return "%s://%s%s%s/%s" % (scheme, host, port, prefix, tail)
    if kind == "scheme-relative":
        return "//" + draw(HOSTS) + "/" + tail
    return draw(st.text(alphabet=SAFE_CHARS, max_size=40))


def _assert_below_base(base, joined):
    assert urls.origin_of(joined) == urls.origin_of(base)
    assert joined.startswith(base + "/")
    assert ".." not in joined[len(base):].split("/")


@SETTINGS
@given(base=BASES, path=paths())
@example(base="https://jira.example.com/jira", path="https://jira.example.com/jira/rest")
@example(base="https://jira.example.com/jira", path="https://jira.example.com/jira")
@example(base="https://jira.example.com", path="/@evil.example/x")
@example(base="https://jira.example.com", path="1:2")
def test_join_path_stays_below_base(base, path):
    try:
        joined = urls.join_path(base, path)
    except InputError as err:
        assert err.fields == {"option": "path"}
        assert err.msg.startswith("Option 'path': ")
        return
    _assert_below_base(base, joined)


@SETTINGS
@given(base=BASES, before=st.lists(SEGMENT, max_size=3), after=st.lists(SEGMENT, max_size=3),
       dots=st.sampled_from(["..", "%2e%2e", "%2E%2E", ".%2e", "%2e."]), rooted=st.booleans())
def test_join_path_refuses_dot_dot_segments(base, before, after, dots, rooted):
    path = ("/" if rooted else "") + "/".join(before + [dots] + after)
    with pytest.raises(InputError) as err:
        urls.join_path(base, path, option="read_path")
    assert err.value.fields == {"option": "read_path"}
    assert err.value.msg.startswith("Option 'read_path': ")


@SETTINGS
@given(base=BASES, host=st.one_of(HOSTS, st.sampled_from(["jira.example.com", "10.0.0.5"])),
       rest=st.lists(SEGMENT, max_size=3))
def test_join_path_refuses_scheme_relative_urls(base, host, rest):
    with pytest.raises(InputError) as err:
        urls.join_path(base, "//" + host + "/" + "/".join(rest))
    assert err.value.fields == {"option": "path"}


@SETTINGS
@given(base=BASES, scheme=st.sampled_from(["http", "https"]), host=HOSTS, rest=st.lists(CLEAN_SEGMENT, max_size=3))
def test_join_path_refuses_other_hosts(base, scheme, host, rest):
    if host == urls.origin_of(base)[1]:
        host = "other-" + host
    with pytest.raises(InputError) as err:
        urls.join_path(base, "%s://%s/%s" % (scheme, host, "/".join(rest)), option="guard_path")
    assert err.value.fields == {"option": "guard_path"}
    assert err.value.msg.startswith("Option 'guard_path': points outside the configured url. ")


@SETTINGS
@given(base=BASES, path=st.text())
@example(base="https://jira.example.com", path="//[x")
def test_join_path_only_raises_input_error(base, path):
    try:
        joined = urls.join_path(base, path)
    except InputError:
        return
    _assert_below_base(base, joined)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


@given(value=st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6),
       separators=st.sampled_from([(", ", ": "), (",", ":"), (" , ", " : ")]), indent=st.sampled_from([None, 0, 2]))
@settings(max_examples=300)
def test_decode_with_spans_agrees_with_json_loads(value, separators, indent):
    """Any JSON object, however it is laid out: the same value as json.loads, and each span holds its member."""
    text = json.dumps(value, separators=separators, indent=indent, ensure_ascii=False)
    decoded, spans = pager.decode_with_spans(text)
    assert decoded == json.loads(text)
    assert set(spans) == set(decoded)
    for key, (start, end) in spans.items():
        assert json.loads(text[start:end]) == decoded[key]


@SETTINGS
@given(before=PRINTABLE, after=PRINTABLE, control=st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\x0b", "\x0c"]),
       option=st.sampled_from(["username", "password", "token"]))
def test_control_characters_are_refused_in_every_credential(before, after, control, option):
    value = before + control + after
    with pytest.raises(InputError) as err:
        if option == "token":
            auth.bearer_credentials(value)
        elif option == "username":
            auth.basic_credentials(value.replace(":", ""), "pw")
        else:
            auth.basic_credentials("fred", value)
    assert err.value.fields == {"option": option}
    assert "control character" in err.value.msg


@SETTINGS
@given(token=st.text(st.characters(min_codepoint=0x100, blacklist_categories=("Cs",)), min_size=1))
def test_a_token_beyond_latin1_is_refused(token):
    with pytest.raises(InputError) as err:
        auth.bearer_credentials("pat-" + token)
    assert err.value.msg.startswith("Option 'token': has characters that an HTTP header cannot carry")
