"""Turning jirasim's objects into Jira's JSON shapes."""

import time

from jirasim import rich_text, seed

ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
# The fields a search returns by default (*navigable): everything but the comments.
NAVIGABLE = ("summary", "description", "environment", "issuetype", "project", "status", "labels", "priority",
             "assignee", "reporter", "creator", "created", "updated", "resolution", "resolutiondate", "fixVersions",
             "components", "duedate")
ALL_FIELDS = NAVIGABLE + ("comment", "attachment", "issuelinks")


def jira_time(stamp):
    """Jira's timestamp format, e.g. 2024-01-01T10:00:00.000+0000."""
    millis = int((stamp % 1) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp)) + ".%03d+0000" % millis


def avatar_urls(base, ident):
    """The four avatar sizes Jira lists."""
    return {size: "%s/secure/useravatar?size=%s&ownerId=%s" % (base, name, ident)
            for size, name in (("48x48", "large"), ("24x24", "small"), ("16x16", "xsmall"), ("32x32", "medium"))}


def user_ref(ctx, user):
    """A user as embedded in other resources (assignee, author, ...)."""
    if user is None:
        return None
    if ctx.cloud:
        return {
            "self": "%s/rest/api/%s/user?accountId=%s" % (ctx.base, ctx.version, user.account_id),
            "accountId": user.account_id, "accountType": user.account_type,
            "emailAddress": user.email if user.email_visible else None, "displayName": user.display_name,
            "active": True, "timeZone": "Etc/UTC", "avatarUrls": avatar_urls(ctx.base, user.account_id),
        }
    return {
        "self": "%s/rest/api/%s/user?username=%s" % (ctx.base, ctx.version, user.name), "name": user.name,
        "key": user.key, "emailAddress": user.email, "displayName": user.display_name, "active": True,
        "timeZone": "Etc/UTC", "avatarUrls": avatar_urls(ctx.base, user.key),
    }


def myself(ctx, user):
    """GET /myself: the DC or the Cloud shape."""
    data = user_ref(ctx, user)
    data["locale"] = "en_US"
    if ctx.cloud:
        data.pop("avatarUrls")
        data["self"] = "%s/rest/api/%s/user?accountId=%s" % (ctx.base, ctx.version, user.account_id)
    else:
        data["groups"] = {"size": len(user.groups), "items": [{"name": name} for name in user.groups]}
        data["applicationRoles"] = {"size": 1, "items": [{"key": "jira-software", "name": "Jira Software"}]}
    data["expand"] = "groups,applicationRoles"
    return data


def issue_type(ctx, itype):
    """An issue type resource."""
    return {"self": "%s/rest/api/%s/issuetype/%s" % (ctx.base, ctx.version, itype["id"]), "id": itype["id"],
            "description": itype["description"], "name": itype["name"], "subtask": itype["subtask"],
            "iconUrl": "%s/images/icons/issuetypes/%s.svg" % (ctx.base, itype["name"].lower())}


def status(ctx, name):
    """A status resource with its category."""
    entry = next(each for each in seed.STATUSES if each["name"] == name)
    category = dict(seed.STATUS_CATEGORIES[entry["category"]])
    category["self"] = "%s/rest/api/%s/statuscategory/%d" % (ctx.base, ctx.version, category["id"])
    return {"self": "%s/rest/api/%s/status/%s" % (ctx.base, ctx.version, entry["id"]), "id": entry["id"],
            "name": name, "description": "", "statusCategory": category}


def priority(ctx, name):
    """A priority resource."""
    entry = next(each for each in seed.PRIORITIES if each["name"] == name)
    return {"self": "%s/rest/api/%s/priority/%s" % (ctx.base, ctx.version, entry["id"]), "id": entry["id"],
            "name": name}


def project_ref(ctx, project):
    """A project as embedded in an issue or listed by GET /project."""
    return {"self": "%s/rest/api/%s/project/%s" % (ctx.base, ctx.version, project.id), "id": project.id,
            "key": project.key, "name": project.name, "projectTypeKey": "software",
            "avatarUrls": avatar_urls(ctx.base, project.id)}


def version(ctx, entry):
    """A project version."""
    data = dict(entry)
    data["self"] = "%s/rest/api/%s/version/%s" % (ctx.base, ctx.version, entry["id"])
    return data


def project(ctx, proj):
    """GET /project/{key}: the full project."""
    data = project_ref(ctx, proj)
    data.update({
        "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
        "description": proj.description, "lead": user_ref(ctx, ctx.state.users.get(proj.lead)),
        "components": [], "issueTypes": [issue_type(ctx, each) for each in seed.ISSUE_TYPES],
        "assigneeType": "UNASSIGNED", "versions": [version(ctx, each) for each in proj.versions],
        "roles": {}, "archived": False,
    })
    return data


def comment(ctx, issue, entry, with_properties=False):
    """A comment resource; ``visibility`` when restricted, ``properties`` with expand=properties."""
    users = ctx.state.users
    data = {"self": "%s/rest/api/%s/issue/%s/comment/%s" % (ctx.base, ctx.version, issue.id, entry["id"]),
            "id": entry["id"], "author": user_ref(ctx, users.get(entry["author"])),
            "body": rich_text.rendered(ctx, entry["body"]),
            "updateAuthor": user_ref(ctx, users.get(entry["update_author"])),
            "created": jira_time(entry["created"]), "updated": jira_time(entry["updated"])}
    if entry.get("visibility"):
        data["visibility"] = entry["visibility"]
    if with_properties:
        properties = sorted((entry.get("properties") or {}).items())
        data["properties"] = [{"key": key, "value": value} for key, value in properties]
    return data


def attachment(ctx, entry):
    """An attachment as fields.attachment lists it (api_attachments serves the same shape)."""
    from jirasim.api_attachments import attachment_json  # api_attachments renders users through this module

    return attachment_json(ctx, entry)


def _issue_links(ctx, issue):
    from jirasim.api_links import issue_links  # api_links renders statuses through this module

    return issue_links(ctx, issue)


def _field_values(ctx, issue, wanted):
    users = ctx.state.users
    makers = {
        "summary": lambda: issue.summary,
        "description": lambda: rich_text.rendered(ctx, issue.description),
        "environment": lambda: rich_text.rendered(ctx, issue.environment),
        "issuetype": lambda: issue_type(ctx, next(t for t in seed.ISSUE_TYPES if t["name"] == issue.issuetype)),
        "project": lambda: project_ref(ctx, issue.project),
        "status": lambda: status(ctx, issue.status),
        "labels": lambda: list(issue.labels),
        "priority": lambda: priority(ctx, issue.priority),
        "assignee": lambda: user_ref(ctx, users.get(issue.assignee)),
        "reporter": lambda: user_ref(ctx, users.get(issue.reporter)),
        "creator": lambda: user_ref(ctx, users.get(issue.reporter)),
        "created": lambda: jira_time(issue.created),
        "updated": lambda: jira_time(issue.updated),
        "resolution": lambda: {"id": "10000", "name": "Done"} if issue.resolved else None,
        "resolutiondate": lambda: jira_time(issue.resolved) if issue.resolved else None,
        "fixVersions": list, "components": list, "duedate": lambda: None,
        "attachment": lambda: [attachment(ctx, each) for each in issue.attachments],
        "issuelinks": lambda: _issue_links(ctx, issue),
        "comment": lambda: {"comments": [comment(ctx, issue, each) for each in issue.comments],
                            "maxResults": len(issue.comments), "total": len(issue.comments), "startAt": 0},
    }
    return {name: makers[name]() for name in wanted if name in makers}


def transition_field(ctx, name):
    """A field on a transition's screen, as GET /transitions?expand=transitions.fields lists it."""
    if name != "resolution":
        raise KeyError(name)
    return {"required": True, "schema": {"type": "resolution", "system": "resolution"}, "name": "Resolution",
            "key": "resolution", "hasDefaultValue": False, "operations": ["set"],
            "allowedValues": [{"self": ctx.url("resolution/10000"), "id": "10000", "name": "Done",
                               "description": "Work has been completed on this issue."}]}


def wanted_fields(specs, default):
    """Resolve a ``fields`` parameter (comma lists, *all, *navigable, -name) into field names."""
    names = []
    for spec in specs or [default]:
        names.extend(part.strip() for part in str(spec).split(",") if part.strip())
    chosen = []
    for name in names:
        if name == "*all":
            chosen.extend(ALL_FIELDS)
        elif name == "*navigable":
            chosen.extend(NAVIGABLE)
        elif not name.startswith("-"):
            chosen.append(name)
    removed = {name[1:] for name in names if name.startswith("-")}
    return [name for name in dict.fromkeys(chosen) if name not in removed]


def issue(ctx, item, fields):
    """An issue with the given field names."""
    return {"expand": ISSUE_EXPAND, "id": item.id,
            "self": "%s/rest/api/%s/issue/%s" % (ctx.base, ctx.version, item.id), "key": item.key,
            "fields": _field_values(ctx, item, fields)}
