# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of jira_attachment: a file attached to an issue once, byte for byte.

The bytes go as multipart/form-data built here as an iterable (boundary, part headers, the file in chunks, closing
boundary) with its Content-Length computed from the file size, so a large file is streamed from disk and never held in
memory. An upload is sent once (JiraClient.request_raw never resends): one that may have reached Jira fails the task
rather than risk a second copy.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import mimetypes
import os
import re

from urllib.parse import quote

from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import (
    ISSUE_KEY, connection_spec, module_kwargs,
)
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import (
    InputError, JiraError, ResponseError, answer_field, answer_object, json_kind,
)
from ansible_collections.jiraops.jira.plugins.module_utils.rest.api import Api

ARGUMENT_SPEC = connection_spec(
    issue=dict(type="str", required=True),
    src=dict(type="path"),
    content=dict(type="str"),
    filename=dict(type="str"),
    mime_type=dict(type="str"),
    on_exists=dict(type="str", default="skip", choices=["skip", "replace", "add"]),
)
MODULE_KWARGS = module_kwargs(ARGUMENT_SPEC, mutually_exclusive=[("src", "content")])
MODULE_KWARGS["required_one_of"] = [("src", "content")]

CHUNK = 256 * 1024
UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")
# What may stand in a quoted filename="..." parameter as it is; anything else is in filename* (RFC 5987) only.
PLAIN_NAME = re.compile(r'^[ !#-\[\]-~]+$')


class Source:
    """The bytes to attach: a file where the module runs (read in chunks when needed), or the text of ``content``."""

    def __init__(self, src, content):
        self.src = src
        self.data = content.encode("utf-8") if content is not None else None
        self.size = os.path.getsize(src) if src else len(self.data)
        self._sha256 = None

    def chunks(self):
        """The bytes in chunks; a file that changes size while it is read stops the upload (its length was declared)."""
        if self.data is not None:
            yield self.data
            return
        sent = 0
        with open(self.src, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                sent += len(chunk)
                if sent > self.size:
                    break
                yield chunk
        if sent != self.size:
            raise IOError("src %s changed size while it was uploaded (%d bytes declared, %d read)"
                          % (self.src, self.size, sent))

    @property
    def sha256(self):
        if self._sha256 is None:
            digest = hashlib.sha256()
            for chunk in self.chunks():
                digest.update(chunk)
            self._sha256 = digest.hexdigest()
        return self._sha256


def disposition(filename):
    """The Content-Disposition of the file part. A name that is not plain ASCII goes as RFC 5987/2231 ``filename*``
    (UTF-8, percent-encoded), with an ASCII stand-in in ``filename`` for servers that read only that."""
    if PLAIN_NAME.match(filename):
        return 'form-data; name="file"; filename="%s"' % filename
    fallback = re.sub(r'[^ !#-\[\]-~]', "_", filename)
    return "form-data; name=\"file\"; filename=\"%s\"; filename*=UTF-8''%s" % (fallback, quote(filename, safe=""))


def multipart(source, filename, mime_type, boundary):
    """(content type, length, iterable body) of a multipart/form-data body holding the file as the part ``file``."""
    head = ("--%s\r\nContent-Disposition: %s\r\nContent-Type: %s\r\n\r\n"
            % (boundary, disposition(filename), mime_type)).encode("utf-8")
    tail = ("\r\n--%s--\r\n" % boundary).encode("ascii")

    def body():
        yield head
        yield from source.chunks()
        yield tail

    return "multipart/form-data; boundary=%s" % boundary, len(head) + source.size + len(tail), body()


class Wanted:
    """The validated options; every input error is raised here, before anything is sent."""

    def __init__(self, params):
        self.issue = params["issue"]
        self.on_exists = params.get("on_exists") or "skip"
        src, content = params.get("src"), params.get("content")
        if not ISSUE_KEY.match(self.issue or ""):
            raise InputError("issue", "is not an issue key or id (such as OPS-12 or 10042)", "Give the issue's key.")
        if src is not None and not os.path.isfile(src):
            raise InputError("src", "names %s, which is not a regular file where the module runs" % src,
                             "Give the path of a file there (with jiraops_jira_execution: module, on the managed "
                             "node).")
        self.filename = params.get("filename") or (os.path.basename(src) if src else None)
        if not self.filename:
            raise InputError("filename", "is required with content", "Give the name the attachment should have.")
        if UNSAFE_NAME.search(self.filename):
            raise InputError("filename", "has a slash, a backslash or a control character", "Give a plain file name.")
        self.mime_type = params.get("mime_type") or mimetypes.guess_type(self.filename)[0] or "application/octet-stream"
        if "\r" in self.mime_type or "\n" in self.mime_type:
            raise InputError("mime_type", "has a line break", "Give a MIME type such as text/plain.")
        self.source = Source(src, content)


def run(params, client, task):
    wanted = Wanted(params)
    api = Api(client, params, task)
    same_name = [each for each in _attachments(api, wanted.issue) if each.get("filename") == wanted.filename]
    identical = None
    if wanted.on_exists != "add":
        identical = next((each for each in same_name if _same_bytes(client, each, wanted)), None)
    stale = [each for each in same_name if each is not identical] if wanted.on_exists == "replace" else []
    before = [_brief(each) for each in same_name]
    result = dict(issue=wanted.issue, filename=wanted.filename, sha256=wanted.source.sha256, mime_type=wanted.mime_type,
                  deleted=[each["id"] for each in stale], changed=identical is None or bool(stale))
    result.update(_described(identical))
    if not result["changed"]:
        result.update(msg="Already attached: nothing sent.", diff=dict(before=before, after=before))
        return task.without_diff(result)
    _change(api, wanted, result, identical, stale, task.check_mode)
    after = [entry for entry in before if entry["id"] not in result["deleted"]]
    if identical is None:
        after.append(dict(id=result["id"], size=wanted.source.size))
    result["diff"] = dict(before=before, after=after)
    return task.without_diff(result)


def _change(api, wanted, result, identical, stale, check_mode):
    """Upload the file unless an identical copy is there, then delete the stale copies; in check mode, say so."""
    if check_mode:
        what = "attach" if identical is None else "delete the other copies"
        result["msg"] = "Would %s (check mode): nothing was sent." % what
        return
    if identical is None:
        result.update(_described(_upload(api, wanted)))
    _delete_stale(api, stale, identical is None)


def _attachments(api, issue):
    """The issue's attachments, each checked where it is used: an id, and a size (and content URL) to compare."""
    where = "GET %s" % api.path("issue/%s" % issue)
    answer = api.client.call("GET", api.path("issue/%s" % issue), params={"fields": "attachment"}).json
    fields = answer_field(answer, "fields", (dict,), where)
    attachments = fields.get("attachment") or []
    if not isinstance(attachments, list):
        answer_field(fields, "attachment", (list,), where + " (fields)")
    for each in attachments:
        answer_object(each, where + " (an attachment)")
        if each.get("filename") is not None:
            answer_field(each, "id", (str, int), where + " (an attachment)")
            answer_field(each, "content", (str,), where + " (an attachment)")
    return attachments


def _delete_stale(api, stale, uploaded):
    """Delete the other copies; after an upload, a failure here says the file was attached."""
    for each in stale:
        try:
            api.client.call("DELETE", api.path("attachment/%s" % each["id"]), accept=(204, 404))
        except JiraError as exc:
            if not uploaded:
                raise
            raise exc.after_write("The file was attached, but an older copy (id %s) was not deleted." % each["id"])


def _brief(attachment):
    return dict(id=attachment.get("id"), size=attachment.get("size"))


def _described(attachment):
    attachment = attachment or {}
    return dict(id=attachment.get("id"), size=attachment.get("size"), content=attachment.get("content"))


def _same_bytes(client, attachment, wanted):
    """Whether an attachment of the same name holds these bytes: the same size, and the same SHA-256 when its content
    can be read within max_response_bytes (else the same size counts)."""
    if attachment.get("size") != wanted.source.size:
        return False
    if wanted.source.size > client.max_response_bytes:
        return True
    response = client.call("GET", attachment["content"], headers={"Accept": "*/*"}, raw=True)
    return hashlib.sha256(response.content).hexdigest() == wanted.source.sha256


def _upload(api, wanted):
    boundary = "jiraops-jira-" + os.urandom(16).hex()  # 128 random bits: never part of the file
    content_type, length, body = multipart(wanted.source, wanted.filename, wanted.mime_type, boundary)
    # Jira's XSRF check refuses an upload without this header (the client sends it on every call; said again here).
    response = api.client.call_raw("POST", api.path("issue/%s/attachments" % wanted.issue), body, content_type, length,
                                   headers={"X-Atlassian-Token": "no-check"})
    try:
        answer = response.json
        if not isinstance(answer, list) or not answer:
            raise ResponseError("Its answer is %s, not the list of the attachments it made."
                                % ("an empty list" if answer == [] else json_kind(answer)))
        answer_field(answer[0], "id", (str, int), "the upload (POST %s)" % response.url)
    except ResponseError as exc:
        raise exc.after_write("Jira answered the upload to %s with 200, so the file was attached, but its answer is "
                              "not usable: check the issue's attachments before running again." % wanted.issue,
                              status=response.status, url=response.url)
    return answer[0]
