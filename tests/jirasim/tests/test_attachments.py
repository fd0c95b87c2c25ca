"""Attachments: multipart upload (X-Atlassian-Token: no-check required), metadata, content byte for byte,
fields.attachment, delete."""

import hashlib
import os

from conftest import FRED, READER

from jirasim import CLOUD_FRED_TOKEN

CLOUD_FRED = ("fred@example.com", CLOUD_FRED_TOKEN)
NO_CHECK = {"X-Atlassian-Token": "no-check"}


def multipart(files, boundary="b0undary-42"):
    """A multipart/form-data body with each (disposition parameters, content type, bytes) as a part named file."""
    body = b""
    for params, mime, data in files:
        body += (b"--%s\r\nContent-Disposition: form-data; name=\"file\"; %s\r\nContent-Type: %s\r\n\r\n"
                 % (boundary.encode(), params.encode("ascii"), mime.encode())) + data + b"\r\n"
    body += b"--%s--\r\n" % boundary.encode()
    return body, {"Content-Type": "multipart/form-data; boundary=" + boundary}


def upload(sim, files, auth=FRED, token=True, version="2"):
    body, headers = multipart(files)
    if token:
        headers.update(NO_CHECK)
    return sim.call("POST", "/rest/api/%s/issue/TEST-3/attachments" % version, auth=auth, body=body, headers=headers)


def test_binary_upload_reads_back_byte_identical(sim):
    data = os.urandom(200000) + b"\x00\r\n\r\n--" + bytes(range(256))
    reply = upload(sim, [('filename="build.bin"', "application/octet-stream", data)])
    assert reply.status == 200, reply.text
    [created] = reply.json()
    assert (created["filename"] == "build.bin" and created["size"] == len(data)
            and created["mimeType"] == "application/octet-stream")
    assert created["content"] == "%s/secure/attachment/%s/build.bin" % (sim.url, created["id"])
    content = sim.get(created["content"][len(sim.url):], auth=FRED)
    assert content.status == 200 and content.body == data
    assert content.header("ETag") == '"%s"' % hashlib.sha256(data).hexdigest()
    assert sim.get("/rest/api/2/attachment/%s" % created["id"], auth=FRED).json()["size"] == len(data)
    listed = sim.get("/rest/api/2/issue/TEST-3?fields=attachment", auth=FRED).json()["fields"]["attachment"]
    assert [each["id"] for each in listed] == [created["id"]]


def test_xsrf_check_without_the_token_header(sim):
    reply = upload(sim, [('filename="a.txt"', "text/plain", b"a")], token=False)
    assert reply.status == 403 and reply.body == b"XSRF check failed"
    assert sim.get("/rest/api/2/issue/TEST-3?fields=attachment", auth=FRED).json()["fields"]["attachment"] == []


def test_rfc5987_file_names_and_several_files(sim):
    reply = upload(sim, [("filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93.txt",
                          "text/plain", b"one"),
                         ('filename="two.log"', "text/plain", b"two")])
    assert [each["filename"] for each in reply.json()] == ["r\u00e9sum\u00e9 \u2713.txt", "two.log"]


def test_delete_and_permissions(sim):
    [created] = upload(sim, [('filename="a.txt"', "text/plain", b"a")]).json()
    assert upload(sim, [('filename="a.txt"', "text/plain", b"a")], auth=READER).status == 403
    assert sim.delete("/rest/api/2/attachment/%s" % created["id"], auth=READER).status == 403
    assert sim.delete("/rest/api/2/attachment/%s" % created["id"], auth=FRED).status == 204
    assert sim.get("/rest/api/2/attachment/%s" % created["id"], auth=FRED).status == 404


def test_malformed_multipart_is_refused(sim):
    reply = sim.call("POST", "/rest/api/2/issue/TEST-3/attachments", auth=FRED, body=b"just bytes",
                     headers=dict(NO_CHECK, **{"Content-Type": "application/octet-stream"}))
    assert reply.status == 415
    body, headers = multipart([('filename="a.txt"', "text/plain", b"a")])
    reply = sim.call("POST", "/rest/api/2/issue/TEST-3/attachments", auth=FRED, body=body[:-8],
                     headers=dict(NO_CHECK, **headers))
    assert reply.status == 400


def test_cloud_content_url(cloud):
    [created] = upload(cloud, [('filename="a.txt"', "text/plain", b"cloud bytes")], auth=CLOUD_FRED, version="3").json()
    assert created["content"] == "%s/rest/api/3/attachment/content/%s" % (cloud.url, created["id"])
    assert cloud.get(created["content"][len(cloud.url):], auth=CLOUD_FRED).body == b"cloud bytes"
