# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The circuit breaker's memory: what each login outcome does to it, and one entry per Jira account however its
URL and user name are spelt."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import CircuitOpenError
from ansible_collections.jiraops.jira.plugins.plugin_utils import breaker
from ansible_collections.jiraops.jira.plugins.plugin_utils.run_memory import RunMemory

# One store for the whole test session, as one run has: its key is made once, like the run's.
MEMORY_KEY = b"k" * 32


def memory_at(directory):
    return RunMemory(str(directory), MEMORY_KEY)


OK, UNKNOWN, WRONG, CAPTCHA = login_state.OK, login_state.UNKNOWN, login_state.WRONG_CREDENTIALS, login_state.CAPTCHA


def entry(directory, url="http://127.0.0.1:8080", username="fred", password="wrong"):
    options = dict(url=url, username=username, password=password, circuit_breaker=True)
    return breaker.entry_for(options, memory_at(directory))


@pytest.mark.parametrize("outcomes, open_state, trusted", [
    ([], None, False),
    ([None], None, False),
    ([OK], None, True),
    ([UNKNOWN], breaker.HELD_BACK, False),
    ([WRONG], WRONG, False),
    ([CAPTCHA], CAPTCHA, False),
    ([WRONG, OK], WRONG, False),  # a late "ok" never overwrites a rejection
    ([CAPTCHA, UNKNOWN, OK], CAPTCHA, False),
    ([OK, UNKNOWN], None, True),  # a timeout does not demote proven credentials
    ([OK, WRONG], WRONG, False),  # rotation: trusted credentials rejected later open at once
    ([UNKNOWN, OK], None, True),  # Jira's proof outranks a hold-back
    ([UNKNOWN, WRONG], WRONG, False),
])
def test_record(tmp_path, outcomes, open_state, trusted):
    memory = entry(tmp_path)
    for outcome in outcomes:
        memory.record(outcome)
    assert memory.open_state() == open_state
    assert memory.trusted is trusted
    if open_state:
        with pytest.raises(CircuitOpenError) as raised:
            memory.write_ahead()
        assert "circuit_breaker: false" not in raised.value.msg and "Not sent" in raised.value.msg
    else:
        memory.write_ahead()


def test_entries_are_private_files(tmp_path):
    memory = entry(tmp_path)
    memory.record(WRONG)
    assert oct(__import__("os").stat(memory.path).st_mode & 0o777) == "0o600"
    assert "wrong" not in open(memory.path).read() or memory.open_state() == WRONG


SAME_SERVER = ["http://127.0.0.1", "http://127.0.0.1:80", "HTTP://127.0.0.1/", "http://127.1", "http://127.0.0.1/.",
               "http://[::ffff:127.0.0.1]", "http://2130706433", "http://0x7f.0.0.1", "http://0177.0.0.1", "http://127.0.0.1//",
               "http://127.0.0.1:80/./", "http://0x7F000001/"]


@settings(max_examples=200, deadline=None)
@given(url=st.sampled_from(SAME_SERVER), username=st.sampled_from(["fred", "FRED", "Fred", "fReD"]),
       path=st.sampled_from(["", "/", "/.", "//", "/./"]))
def test_one_entry_per_account_whatever_the_spelling(tmp_path_factory, url, username, path):
    directory = tmp_path_factory.getbasetemp()
    assert entry(directory, url + path, username).path == entry(directory, "http://127.0.0.1:80").path


@pytest.mark.parametrize("other", [
    dict(url="https://127.0.0.1"), dict(url="http://127.0.0.1:8080"), dict(url="http://127.0.0.2"),
    dict(url="http://127.0.0.1/jira"), dict(username="wilma"), dict(password="other"), dict(url="http://localhost"),
])
def test_different_accounts_or_secrets_get_different_entries(tmp_path, other):
    base = dict(url="http://127.0.0.1", username="fred", password="wrong")
    assert entry(tmp_path, **dict(base, **other)).path != entry(tmp_path, **base).path


def test_no_entry_without_a_secret_or_when_turned_off(tmp_path):
    no_secret = dict(url="http://j", username=None, password=None)
    assert isinstance(breaker.entry_for(no_secret, memory_at(tmp_path)), breaker.NoEntry)
    off = dict(url="http://j", username="fred", password="x", circuit_breaker=False)
    assert isinstance(breaker.entry_for(off, memory_at(tmp_path)), breaker.NoEntry)


def _ipv4_spellings(number):
    """Ways the resolver reads the same IPv4 address (inet_aton's forms), without DNS."""
    octets = [(number >> shift) & 0xFF for shift in (24, 16, 8, 0)]
    return st.sampled_from([
        ".".join(str(o) for o in octets),
        str(number),
        hex(number),
        ".".join("0%o" % o if o else "0" for o in octets),
        ".".join(hex(o) for o in octets),
        "%d.%d" % (octets[0], number & 0xFFFFFF),
        "%d.%d.%d" % (octets[0], octets[1], number & 0xFFFF),
        "[::ffff:%s]" % ".".join(str(o) for o in octets),
    ])


@settings(max_examples=300, deadline=None)
@given(data=st.data(), number=st.integers(min_value=1 << 24, max_value=(223 << 24) - 1),
       https=st.booleans(), explicit_port=st.booleans(), upper=st.booleans(),
       user_case=st.sampled_from([str.lower, str.upper, str.title]),
       suffix=st.sampled_from(["", "/", "/.", "//", "/./", "/jira/..", "/x/../"]))
def test_any_spelling_of_an_ipv4_url_is_one_entry(tmp_path_factory, data, number, https, explicit_port, upper,
                                                  user_case, suffix):
    host = data.draw(_ipv4_spellings(number))
    scheme = "https" if https else "http"
    port = ":%d" % (443 if https else 80) if explicit_port else ""
    url = "%s://%s%s%s" % (scheme.upper() if upper else scheme, host.upper() if upper else host, port, suffix)
    plain = "%s://%s" % (scheme, ".".join(str((number >> s) & 0xFF) for s in (24, 16, 8, 0)))
    directory = tmp_path_factory.getbasetemp()
    assert entry(directory, url, user_case("svc-ci")).path == entry(directory, plain, "svc-ci").path, url


IN_FLIGHT = breaker.IN_FLIGHT


def test_write_ahead_marks_the_credentials_in_flight_for_this_task_only(tmp_path):
    mine, other = entry(tmp_path), entry(tmp_path)  # one Entry per task
    mine.write_ahead()
    assert open(mine.path).read().startswith(IN_FLIGHT)
    assert mine.open_state() is None
    mine.write_ahead()  # the task's next call
    assert other.open_state() == IN_FLIGHT
    with pytest.raises(CircuitOpenError) as raised:
        other.write_ahead()
    assert "ended before Jira's answer was read" in raised.value.msg and raised.value.kind == "circuit_open"
    assert raised.value.fields["login_state"] == UNKNOWN


@pytest.mark.parametrize("outcome, state", [(OK, breaker.TRUSTED), (UNKNOWN, breaker.HELD_BACK), (WRONG, WRONG),
                                            (CAPTCHA, CAPTCHA), (None, None)])
def test_only_the_verdict_moves_in_flight_on(tmp_path, outcome, state):
    memory = entry(tmp_path)
    memory.write_ahead()
    memory.record(outcome)
    assert memory._read() == state  # None: nothing learnt, back to no entry


def test_an_interrupted_task_leaves_them_held_back_for_every_other_task(tmp_path):
    interrupted = entry(tmp_path)
    interrupted.write_ahead()  # ... and the task ends here (task timeout, Ctrl-C, killed worker)
    later = entry(tmp_path)
    later.record(None)  # a later task that learnt nothing does not clear another task's mark
    assert later.open_state() == IN_FLIGHT and not later.trusted


def test_trusted_credentials_are_not_written_ahead(tmp_path):
    memory = entry(tmp_path)
    memory.record(OK)
    entry(tmp_path).write_ahead()
    assert memory._read() == breaker.TRUSTED


def _target(directory, url="http://127.0.0.1:8080", username="fred"):
    return breaker.entry_for(dict(url=url, username=username, circuit_breaker=True), memory_at(directory),
                             target_may_hold_credentials=True)


def test_credentials_only_the_target_knows_get_one_entry_per_account(tmp_path):
    assert isinstance(_target(tmp_path), breaker.TargetEntry)
    assert _target(tmp_path, "http://127.0.0.1:8080/", "FRED").path == _target(tmp_path).path
    assert _target(tmp_path, username="wilma").path != _target(tmp_path).path
    assert _target(tmp_path, url=None).path == _target(tmp_path, url=None).path  # the url too is only on the target
    no_password = dict(url="http://127.0.0.1", username="fred")
    assert isinstance(breaker.entry_for(no_password, memory_at(tmp_path)), breaker.NoEntry)


def test_no_proof_carries_over_to_the_targets_credentials(tmp_path):
    first = _target(tmp_path)
    first.write_ahead()
    first.record(OK)
    second = _target(tmp_path)
    assert not second.trusted  # another host may hold another password for the account
    second.write_ahead()
    assert second._read().startswith(IN_FLIGHT)
    second.record(None)
    assert second._read() == breaker.TRUSTED  # nothing learnt: put back as it was
