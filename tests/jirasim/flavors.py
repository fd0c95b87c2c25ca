"""Which REST resources each flavor serves, as real Jira does today.

- Cloud removed GET|POST /rest/api/{2,3}/search (Atlassian developer changelog, CHANGE-2046, "Deprecation of
  JQL search and Evaluate expression endpoints"): 410 with Atlassian's message.
- Data Center speaks REST v2 only: /rest/api/3/... and the Cloud searches (search/jql, search/approximate-count)
  are answered like any path no resource serves (Jersey's 404); so is Cloud's /_edge/tenant_info.
- Cloud has no /rest/pat (Data Center's personal access tokens) and no /rest/oauth2 (Data Center's OAuth 2.0
  provider; Cloud's is auth.atlassian.com, served on the gateway origin).
"""

from jirasim.responses import error_response

REMOVED_ON_CLOUD = {"/rest/api/{v}/search"}
CLOUD_ONLY = {"/rest/api/{v}/search/jql", "/rest/api/{v}/search/approximate-count", "/_edge/tenant_info"}
# Data Center's personal access tokens and its OAuth 2.0 provider (Cloud has neither at these paths).
SERVER_ONLY = {"/rest/pat/latest/tokens", "/rest/pat/latest/tokens/{tid}", "/rest/oauth2/latest/token"}
SEARCH_REMOVED = ("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
                  "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")


def unavailable(ctx, route, not_found):
    """The answer for a route this flavor does not serve, or None; ``not_found`` builds Jersey's 404."""
    if route is None:
        return None
    if ctx.cloud:
        if route.template in SERVER_ONLY:
            return not_found(ctx)
        return error_response(410, [SEARCH_REMOVED]) if route.template in REMOVED_ON_CLOUD else None
    if ctx.version == "3" or route.template in CLOUD_ONLY:
        return not_found(ctx)
    return None
