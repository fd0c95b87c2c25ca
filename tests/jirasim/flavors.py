"""Which REST resources each flavor serves, as real Jira does today.

- Cloud removed GET|POST /rest/api/{2,3}/search (Atlassian developer changelog, CHANGE-2046, "Deprecation of
  JQL search and Evaluate expression endpoints"): 410 with Atlassian's message.
- Data Center speaks REST v2 only: /rest/api/3/... and the Cloud searches (search/jql, search/approximate-count)
  are answered like any path no resource serves (Jersey's 404).
"""

from jirasim.responses import error_response

REMOVED_ON_CLOUD = {"/rest/api/{v}/search"}
CLOUD_ONLY = {"/rest/api/{v}/search/jql", "/rest/api/{v}/search/approximate-count"}
SEARCH_REMOVED = ("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
                  "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")


def unavailable(ctx, route, not_found):
    """The answer for a route this flavor does not serve, or None; ``not_found`` builds Jersey's 404."""
    if route is None or not route.template.startswith("/rest/api/"):
        return None
    if ctx.cloud:
        return error_response(410, [SEARCH_REMOVED]) if route.template in REMOVED_ON_CLOUD else None
    if ctx.version == "3" or route.template in CLOUD_ONLY:
        return not_found(ctx)
    return None
