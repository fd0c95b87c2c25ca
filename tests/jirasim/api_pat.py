"""Data Center personal access tokens: /rest/pat/latest/tokens (list, create, revoke), the caller's own only.

Shape from jira-protocol.md section 7 (public client code; no Atlassian reference page): ``id``, ``name``,
``createdAt``, ``expiringAt``, ``lastAccessedAt``; ``POST {name, expirationDuration}`` (days) answers ``rawToken`` once.
"""

import time

from jirasim import render, seed
from jirasim.responses import empty, fail, json_response


def _when(stamp):
    return render.jira_time(stamp) if stamp is not None else None


def _token(credential):
    return {"id": credential.id, "name": credential.name, "createdAt": _when(credential.created_at),
            "expiringAt": _when(credential.expires_at), "lastAccessedAt": _when(credential.last_accessed)}


def _pats(user):
    return [each for each in user.credentials if each.kind == "pat"]


def list_tokens(ctx):
    """GET /rest/pat/latest/tokens: the caller's tokens (401 when anonymous)."""
    return json_response(200, [_token(each) for each in _pats(ctx.require_user())])


def _duration(body):
    days = body.get("expirationDuration")
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        fail(400, "expirationDuration must be a positive number of days.")
    return days


def create_token(ctx):
    """POST /rest/pat/latest/tokens {name, expirationDuration}: 201 with the raw token, shown this once."""
    user = ctx.require_user()
    body = ctx.json_object()
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        fail(400, "A token name is required.")
    days = _duration(body)
    expires = time.time() + days * seed.DAY if days else None
    credential = ctx.state.add_credential(user, "pat", expires_at=expires, name=name.strip())
    data = _token(credential)
    data["rawToken"] = credential.secret
    return json_response(201, data)


def delete_token(ctx):
    """DELETE /rest/pat/latest/tokens/{id}: revoke one of the caller's tokens."""
    user = ctx.require_user()
    found = next((each for each in _pats(user) if str(each.id) == ctx.args["tid"]), None)
    if found is None:
        fail(404, "Token with id %s does not exist." % ctx.args["tid"])
    user.credentials.remove(found)
    return empty(204)
