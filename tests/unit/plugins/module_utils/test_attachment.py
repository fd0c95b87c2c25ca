# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/attachment.py: the multipart body, file names, streaming and validation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.attachment import (
    CHUNK, Source, Wanted, disposition, multipart,
)
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError


def test_multipart_body_is_exact_and_its_length_declared(tmp_path):
    data = os.urandom(CHUNK * 2 + 5) + b"\x00\r\n"
    path = tmp_path / "build.bin"
    path.write_bytes(data)
    content_type, length, body = multipart(Source(str(path), None), "build.bin", "application/octet-stream", "B")
    chunks = list(body)
    sent = b"".join(chunks)
    assert content_type == "multipart/form-data; boundary=B"
    assert len(sent) == length
    assert sent == (b'--B\r\nContent-Disposition: form-data; name="file"; filename="build.bin"\r\n'
                    b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--B--\r\n")
    # streamed: the file comes in chunks no larger than CHUNK, never as one piece
    assert max(len(chunk) for chunk in chunks) <= CHUNK and len(chunks) >= 4


def test_non_ascii_names_go_as_rfc5987():
    assert disposition('résumé ✓.txt') == ("form-data; name=\"file\"; filename=\"r_sum_ _.txt\"; "
                                           "filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93.txt")
    assert 'filename*' in disposition('say "hi".txt')
    assert disposition("plain name.log") == 'form-data; name="file"; filename="plain name.log"'


def test_a_file_that_grows_while_uploading_stops_the_upload(tmp_path):
    path = tmp_path / "growing.log"
    path.write_bytes(b"x" * 10)
    source = Source(str(path), None)
    path.write_bytes(b"x" * 20)
    with pytest.raises(IOError, match="changed size"):
        list(source.chunks())


def test_content_is_utf8_and_hashed():
    source = Source(None, "héllo")
    assert source.size == 6 and source.sha256 == hashlib.sha256("héllo".encode("utf-8")).hexdigest()


def test_defaults_name_and_mime_type(tmp_path):
    path = tmp_path / "report.json"
    path.write_text("{}")
    wanted = Wanted(dict(issue="OPS-1", src=str(path)))
    assert wanted.filename == "report.json" and wanted.mime_type == "application/json" and wanted.on_exists == "skip"
    assert Wanted(dict(issue="OPS-1", content="x", filename="x.unknownext")).mime_type == "application/octet-stream"


@pytest.mark.parametrize("params, option", [
    (dict(issue="OPS 1", content="x", filename="a"), "issue"),
    (dict(issue="OPS-1", content="x"), "filename"),
    (dict(issue="OPS-1", content="x", filename="../a"), "filename"),
    (dict(issue="OPS-1", content="x", filename="a\nb"), "filename"),
    (dict(issue="OPS-1", src="/nonexistent/file"), "src"),
    (dict(issue="OPS-1", src="/"), "src"),
    (dict(issue="OPS-1", content="x", filename="a", mime_type="text/plain\r\nX: y"), "mime_type"),
])
def test_bad_input_names_the_option(params, option):
    with pytest.raises(InputError) as raised:
        Wanted(params)
    assert raised.value.fields["option"] == option
