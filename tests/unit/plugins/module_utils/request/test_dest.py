# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""dest writes like Ansible's own file writes: modes, umask, regular files only, no leftovers, streaming compare."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import stat

from urllib.parse import quote

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.request import dest
from ansible_collections.jiraops.jira.plugins.module_utils.login.auth import basic_credentials
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError, JiraError
from ansible_collections.jiraops.jira.plugins.module_utils.login.masking import secret_forms


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_a_new_file_follows_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        assert dest.write_if_different(str(tmp_path / "a.json"), b"{}") is True
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "a.json") == 0o600


def test_an_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    os.chmod(str(target), 0o600)
    assert dest.write_if_different(str(target), b"new") is True
    assert target.read_bytes() == b"new" and mode_of(target) == 0o600


def test_mode_is_applied_and_a_mode_change_alone_is_a_change(tmp_path):
    target = tmp_path / "a.json"
    assert dest.write_if_different(str(target), b"x", mode=0o640) is True and mode_of(target) == 0o640
    assert dest.write_if_different(str(target), b"x", mode=0o640) is False
    assert dest.write_if_different(str(target), b"x", mode=0o600) is True and mode_of(target) == 0o600
    assert dest.write_if_different(str(target), b"x") is False


def test_check_mode_writes_nothing(tmp_path):
    target = tmp_path / "a.json"
    assert dest.write_if_different(str(target), b"x", check_mode=True) is True
    assert not target.exists()


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def broken_replace(source, target):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(dest.os, "replace", broken_replace)
    with pytest.raises(JiraError) as raised:
        dest.write_if_different(str(tmp_path / "a.json"), b"secret-free answer")
    assert "No space left on device" in raised.value.msg
    assert os.listdir(str(tmp_path)) == []


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(path, mode):
        raise KeyboardInterrupt()
    monkeypatch.setattr(dest.os, "chmod", interrupted)
    with pytest.raises(KeyboardInterrupt):
        dest.write_if_different(str(tmp_path / "a.json"), b"x")
    assert os.listdir(str(tmp_path)) == []


def test_the_old_file_is_read_in_chunks_only_when_sizes_match(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    target.write_bytes(b"a" * (3 * 1024 * 1024))
    reads = []
    real_open = open

    def counting_open(path, mode="r", *args):
        handle = real_open(path, mode, *args)
        real_read = handle.read

        def read(size=-1):
            reads.append(size)
            return real_read(size)
        handle.read = read
        return handle
    monkeypatch.setattr("builtins.open", counting_open)
    assert dest.write_if_different(str(target), b"a" * (3 * 1024 * 1024)) is False
    assert reads and all(size == 1024 * 1024 for size in reads)
    del reads[:]
    assert dest.write_if_different(str(target), b"b") is True
    assert reads == []  # another size: not read at all


@pytest.mark.parametrize("make", ["directory", "fifo", "devnull", "missing_dir"])
def test_only_a_regular_file_or_a_new_one_is_accepted(tmp_path, make):
    path = {"directory": str(tmp_path), "devnull": "/dev/null", "missing_dir": str(tmp_path / "no" / "a.json"),
            "fifo": str(tmp_path / "pipe")}[make]
    if make == "fifo":
        os.mkfifo(path)
    with pytest.raises(InputError) as raised:
        dest.check_dest(path)
    assert raised.value.fields == {"option": "dest"}


def test_a_regular_file_and_a_new_file_are_accepted(tmp_path):
    (tmp_path / "a.json").write_bytes(b"")
    dest.check_dest(str(tmp_path / "a.json"))
    dest.check_dest(str(tmp_path / "b.json"))


@pytest.mark.parametrize("value, bits", [
    ("0640", 0o640), ("640", 0o640), (0o600, 0o600), ("0755", 0o755), (None, None),
])
def test_parse_mode(value, bits):
    assert dest.parse_mode(value) == bits


@pytest.mark.parametrize("value", ["u=rw", "0890", "", True, "077777", 1.5])
def test_parse_mode_refuses(value):
    with pytest.raises(InputError) as raised:
        dest.parse_mode(value)
    assert raised.value.fields == {"option": "mode"}


SECRET = u"S\u00ebcr\u00e9t:P\u00e4ssw\u00f6rd-7Q2x"
_HEADER_BASE64 = base64.b64encode(("fred:" + SECRET).encode("utf-8")).decode("ascii")
FORMS = secret_forms(basic_credentials("fred", SECRET).secrets)
ECHOES = {
    "as sent": SECRET,
    "JSON \\u-escaped, every character": "".join("\\u%04X" % ord(char) for char in SECRET),
    "upper-cased": SECRET.upper(),
    "percent-encoded twice": quote(quote(SECRET, safe=""), safe=""),
    "the header's base64, line-wrapped": "\r\n".join((_HEADER_BASE64[:9], _HEADER_BASE64[9:])),
}


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("echo", sorted(ECHOES))
def test_an_answer_holding_a_secret_is_refused_and_nothing_is_written(tmp_path, echo, check_mode):
    target = tmp_path / "a.json"
    target.write_bytes(b'{"old": true}')
    many_issues = ", ".join(['{"key": "A-1"}'] * 30000)
    data = ('{"issues": [%s, {"summary": "%s"}]}' % (many_issues, ECHOES[echo])).encode("utf-8")
    with pytest.raises(JiraError) as raised:
        dest.write_if_different(str(target), data, check_mode=check_mode, forms=FORMS)
    assert "contains the task's credentials" in raised.value.msg and SECRET not in raised.value.msg
    assert target.read_bytes() == b'{"old": true}' and sorted(os.listdir(str(tmp_path))) == ["a.json"]


def test_an_answer_without_a_secret_is_written_when_forms_are_given(tmp_path):
    target = tmp_path / "a.json"
    assert dest.write_if_different(str(target), b'{"issues": [{"summary": "Secret Password"}]}', forms=FORMS) is True
    assert target.read_bytes() == b'{"issues": [{"summary": "Secret Password"}]}'
