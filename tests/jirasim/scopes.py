"""The OAuth 2.0 classic scope each Jira call needs through the gateway (scoped tokens, service accounts, OAuth).

Source: the Cloud platform OpenAPI document (``x-atlassian-oauth2-scopes``, the "Classic" entry of each operation;
jira-protocol.md section 10). ``tests/test_identities.py`` checks this table against the document when it is at hand.
Only classic scopes are modelled; a granular scope (``read:issue:jira``) never matches.
"""

from jirasim.seed import READ_USER, READ_WORK, WRITE_WORK

# (route template, method) -> scope, where it differs from the rule in ``required``; None = no scope needed.
_EXCEPTIONS = {
    ("/rest/api/{v}/serverInfo", "GET"): None,
    ("/rest/api/{v}/myself", "GET"): READ_USER,
    ("/rest/api/{v}/user", "GET"): READ_USER,
    ("/rest/api/{v}/user/search", "GET"): READ_USER,
    ("/rest/api/{v}/project", "POST"): "manage:jira-configuration",
    ("/rest/api/{v}/project/{key}", "PUT"): "manage:jira-project",
    ("/rest/api/{v}/project/{key}", "DELETE"): "manage:jira-configuration",
}


def required(route, method):
    """The scope a call needs: reads (and searching POSTs) read:jira-work, writes write:jira-work, with exceptions."""
    method = "GET" if method == "HEAD" else method
    key = (route.template, method)
    if key in _EXCEPTIONS:
        return _EXCEPTIONS[key]
    return WRITE_WORK if route.is_write(method) else READ_WORK


def missing(route, method, scopes):
    """The scope the call needs that ``scopes`` lacks, or None (``scopes`` None = an unscoped credential)."""
    if scopes is None or route is None:
        return None
    needed = required(route, method)
    return needed if needed is not None and needed not in scopes else None
