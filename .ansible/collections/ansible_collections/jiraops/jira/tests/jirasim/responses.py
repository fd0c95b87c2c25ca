"""Response objects and Jira's error shapes."""

import html
import json

JSON_TYPE = "application/json;charset=UTF-8"
HTML_TYPE = "text/html;charset=UTF-8"
TEXT_TYPE = "text/plain;charset=UTF-8"

NOT_AUTHENTICATED = "You are not authenticated. Authentication required to perform this operation."
CLOUD_NOT_AUTHENTICATED = "Client must be authenticated to access this resource."
ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it."
CLOUD_PASSWORD_DEPRECATED = ("Basic authentication with passwords is deprecated. For more information, see: "
                             "https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/")


class Response:
    """One HTTP response; ``headers`` is a list of (name, value) pairs added to the common ones."""

    __slots__ = ("status", "body", "content_type", "headers")

    def __init__(self, status, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or []


class ApiError(Exception):
    """Raised by a handler to answer with ``response`` at once."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


def json_response(status, data, headers=None):
    """A JSON response."""
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(status, body, JSON_TYPE, headers)


def error_response(status, messages=(), errors=None):
    """Jira's error shape: {"errorMessages": [..], "errors": {..}}."""
    return json_response(status, {"errorMessages": list(messages), "errors": errors or {}})


def fail(status, message=None, errors=None):
    """Raise an ApiError with Jira's error shape."""
    raise ApiError(error_response(status, [message] if message else [], errors))


def empty(status=204, headers=None):
    """A response without a body (Content-Length: 0)."""
    return Response(status, b"", None, headers)


def text_response(status, text, content_type=TEXT_TYPE):
    """A plain text (or other typed) response."""
    return Response(status, text.encode("utf-8"), content_type)


def html_page(status, title, message):
    """A Tomcat/Jira-like HTML error page."""
    page = ("<!DOCTYPE html>\n<html><head><title>%s</title></head>\n<body><h1>%s</h1>\n<p>%s</p>\n"
            "</body></html>\n") % (html.escape(title), html.escape(title), html.escape(message))
    return Response(status, page.encode("utf-8"), HTML_TYPE)


def unauthorized_page():
    """The page Jira answers a wrong password with."""
    return html_page(401, "Unauthorized (401)", "Encountered a \"401 - Unauthorized\" error while loading this page.")


def captcha_page():
    """The body of a CAPTCHA denial."""
    return html_page(403, "Forbidden (403)", "CAPTCHA required: log in through the browser at the login URL first.")
