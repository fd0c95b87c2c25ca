"""Jira endpoints for users: /user (one user) and /user/search (the user picker)."""

from jirasim import render
from jirasim.responses import fail, json_response


def user_get(ctx):
    """GET /user?username=X (DC) or ?accountId=X (Cloud)."""
    ctx.require_user()
    wanted = ctx.param("accountId") if ctx.cloud else (ctx.param("username") or ctx.param("key"))
    state = ctx.state
    user = next((each for each in state.users.values() if wanted in (each.name, each.key, each.account_id)), None)
    if user is None:
        fail(404, "The user with the key '%s' does not exist" % wanted)
    return json_response(200, render.user_ref(ctx, user))


def user_search(ctx):
    """GET /user/search: ?username= on Data Center (name, e-mail or display name), ?query= on Cloud (e-mail or display
    name; a hidden e-mail is not matched). Case-insensitive substrings, as Jira's user picker; a plain list."""
    ctx.require_user()
    name = "query" if ctx.cloud else "username"
    wanted = (ctx.param(name) or "").strip().lower()
    if not wanted:
        fail(400, "The query parameter 'query' is not valid" if ctx.cloud
             else "The username query parameter was not provided")
    found = []
    for user in ctx.state.users.values():
        texts = [user.display_name, user.email if (user.email_visible or not ctx.cloud) else ""]
        if not ctx.cloud:
            texts.append(user.name)
        if any(wanted in (text or "").lower() for text in texts):
            found.append(render.user_ref(ctx, user))
    return json_response(200, found)
