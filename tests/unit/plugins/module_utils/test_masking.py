# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every form of a secret is masked, in values and in keys, whatever a server echoes back."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

from hypothesis import given, settings, strategies as st

from ansible_collections.jiraops.jira.plugins.module_utils import masking
from ansible_collections.jiraops.jira.plugins.module_utils.auth import basic_credentials, bearer_credentials

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
    result = masking.masked({"json": echoed(header), "msg": "echo: " + json.dumps(PASSWORD)[1:-1].replace("/", "\\/")}, FORMS)
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
    import html
    from urllib.parse import quote, quote_plus
    form = {"raw": token, "json": json.dumps(token, ensure_ascii=False)[1:-1], "json_ascii": json.dumps(token)[1:-1],
            "slash": json.dumps(token)[1:-1].replace("/", "\\/"), "url": quote(token, safe=""),
            "url_plus": quote_plus(token), "html": html.escape(token)}[escape]
    secrets = bearer_credentials(token).secrets
    result = masking.masked({"content": "<pre>%s</pre>" % form, form: 1}, masking.secret_forms(secrets))
    assert form not in json.dumps(result, ensure_ascii=False) and form not in result["content"]
