"""Jira endpoints for attachments: multipart upload, metadata, content, delete.

Jira takes uploads as multipart/form-data with the file in the part named ``file`` and refuses them without
``X-Atlassian-Token: no-check`` (its XSRF check: 403 "XSRF check failed"). The content is served from
``/secure/attachment/{id}/{filename}`` on Data Center and from ``/rest/api/{v}/attachment/content/{id}`` on Cloud.
"""

import hashlib
import time
import urllib.parse

from jirasim import render
from jirasim.responses import ApiError, Response, empty, fail, json_response, text_response

MIME_DEFAULT = "application/octet-stream"


def _param(header, name):
    """A parameter of a Content-Type or Content-Disposition header (quoted or not), or None."""
    for part in header.split(";")[1:]:
        key, _sep, value = part.strip().partition("=")
        if key.strip().lower() == name:
            value = value.strip()
            return value[1:-1].replace('\\"', '"') if value.startswith('"') and value.endswith('"') else value
    return None


def _filename(disposition):
    """The file name of a part: RFC 5987 ``filename*=UTF-8''..`` first, else ``filename="..."``."""
    extended = _param(disposition, "filename*")
    if extended and "''" in extended:
        charset, _sep, encoded = extended.partition("''")
        return urllib.parse.unquote(encoded, encoding=charset or "utf-8", errors="strict")
    return _param(disposition, "filename")


def parse_multipart(body, content_type):
    """[(headers, bytes)] of a multipart/form-data body, byte for byte; 400 when it is not one."""
    boundary = _param(content_type or "", "boundary")
    if not (content_type or "").lower().startswith("multipart/form-data") or not boundary:
        fail(415 if not (content_type or "").lower().startswith("multipart/") else 400,
             "The request content type must be multipart/form-data with a boundary.")
    delimiter = b"--" + boundary.encode("latin-1")
    pieces = body.split(delimiter)
    if len(pieces) < 3 or not pieces[-1].startswith(b"--"):
        fail(400, "The multipart body is malformed (no closing boundary).")
    parts = []
    for piece in pieces[1:-1]:
        if not piece.startswith(b"\r\n") or not piece.endswith(b"\r\n"):
            fail(400, "The multipart body is malformed.")
        head, sep, data = piece[2:-2].partition(b"\r\n\r\n")
        if not sep:
            fail(400, "A multipart part has no header block.")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _sep, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts.append((headers, data))
    return parts


def attachment_json(ctx, entry):
    """An attachment resource."""
    if ctx.cloud:
        content = "%s/rest/api/%s/attachment/content/%s" % (ctx.base, ctx.version, entry["id"])
    else:
        content = "%s/secure/attachment/%s/%s" % (ctx.base, entry["id"], urllib.parse.quote(entry["filename"]))
    return {"self": ctx.url("attachment/%s" % entry["id"]), "id": entry["id"], "filename": entry["filename"],
            "author": render.user_ref(ctx, ctx.state.users.get(entry["author"])),
            "created": render.jira_time(entry["created"]),
            "size": len(entry["data"]), "mimeType": entry["mime"], "content": content}


def upload(ctx):
    """POST /issue/{key}/attachments (multipart, part ``file``; several files allowed) -> 200 [attachment, ..]."""
    if (ctx.req.headers.get("x-atlassian-token") or "").lower() != "no-check":
        raise_xsrf()
    issue = ctx.visible_issue(ctx.args["key"])
    user = ctx.require_permission(issue, "CREATE_ATTACHMENTS", "attach files to")
    files = [(headers, data) for headers, data in parse_multipart(ctx.req.body, ctx.req.headers.get("content-type"))
             if _param(headers.get("content-disposition", ""), "name") == "file"]
    if not files:
        fail(400, "No file was found in the request (the part must be named 'file').")
    created = []
    for headers, data in files:
        name = _filename(headers.get("content-disposition", ""))
        if not name:
            fail(400, "The file part has no file name.")
        entry = ctx.state.add_attachment(issue, user.name, name, data, headers.get("content-type") or MIME_DEFAULT)
        created.append(attachment_json(ctx, entry))
    issue.updated = time.time()
    return json_response(200, created)


def raise_xsrf():
    """Jira's answer to an upload without X-Atlassian-Token: no-check."""
    raise ApiError(text_response(403, "XSRF check failed"))


def _attachment(ctx, aid):
    found = ctx.state.find_attachment(aid)
    if found is None or not ctx.state.visible(ctx.user, found[0].project):
        fail(404, "The attachment with id '%s' does not exist" % aid)
    return found


def get_attachment(ctx):
    """GET /attachment/{id}."""
    dummy, entry = _attachment(ctx, ctx.args["aid"])
    return json_response(200, attachment_json(ctx, entry))


def delete_attachment(ctx):
    """DELETE /attachment/{id} -> 204."""
    issue, entry = _attachment(ctx, ctx.args["aid"])
    own = entry["author"] == (ctx.user and ctx.user.name)
    permission = "DELETE_OWN_ATTACHMENTS" if own else "DELETE_ALL_ATTACHMENTS"
    ctx.require_permission(issue, permission, "delete attachments of")
    issue.attachments.remove(entry)
    return empty(204)


def content(ctx):
    """The bytes of an attachment, with its MIME type and an ETag of their SHA-256."""
    dummy, entry = _attachment(ctx, ctx.args["aid"])
    return Response(200, entry["data"], entry["mime"], [("ETag", '"%s"' % hashlib.sha256(entry["data"]).hexdigest())])
