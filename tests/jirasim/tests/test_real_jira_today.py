"""How Jira Cloud and Data Center differ today, each case with where Atlassian documents it.

Sources (by name):
- Atlassian developer changelog, CHANGE-2046 "Deprecation of JQL search and Evaluate expression endpoints":
  GET|POST /rest/api/{2,3}/search answer 410; use /rest/api/3/search/jql and /search/approximate-count.
- Jira Cloud platform REST API v3, "Issue search" group: search/jql (nextPageToken, isLast, ids unless fields)
  and "Count issues using JQL" (POST /rest/api/3/search/approximate-count -> {"count"}).
- Jira Cloud platform REST API v3 introduction, "Atlassian Document Format": description, environment and
  comment body are ADF documents in v3; REST v2 keeps strings.
- Jira Data Center REST API reference (REST v2 only: there is no /rest/api/3 on Data Center).
- Jira REST API "Get transitions": expand=transitions.fields adds each transition's screen fields.
- Jira "Advanced search reference, fields": text is a master field covering summary, description,
  environment, comments and text custom fields.
"""

import urllib.parse

import pytest

from conftest import FRED as DC_FRED
from jirasim import CLOUD_FRED_TOKEN
from jirasim.flavors import SEARCH_REMOVED

FRED = ("fred@example.com", CLOUD_FRED_TOKEN)
ADF = {"type": "doc", "version": 1, "content": [
    {"type": "paragraph", "content": [{"type": "text", "text": "Line one"}, {"type": "hardBreak"},
                                      {"type": "text", "text": "line two"}]},
    {"type": "paragraph", "content": [{"type": "text", "text": "Second paragraph"}]}]}


def _paragraph(text):
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "doc", "version": 1, "content": [paragraph]}


@pytest.mark.parametrize("version", ["2", "3", "latest"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cloud_removed_the_old_search(cloud, version, method):
    """CHANGE-2046: the old search answers 410 Gone with this exact body on every Cloud site since 2025."""
    path = "/rest/api/%s/search" % version
    reply = cloud.get(path + "?jql=project%3DTEST", auth=FRED) if method == "GET" else \
        cloud.post(path, {"jql": "project = TEST"}, auth=FRED)
    assert reply.status == 410
    assert reply.json() == {"errorMessages": [SEARCH_REMOVED], "errors": {}}
    assert "Please migrate to the /rest/api/3/search/jql API" in SEARCH_REMOVED
    assert cloud.stats()["requests_by_route"]["%s /rest/api/%s/search" % (method, version)] == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_search_jql_next_page_token_visits_every_key_once(cloud, method):
    """REST v3 "Search for issues using JQL enhanced search": nextPageToken and isLast, no total or startAt."""
    seen, token, pages = [], None, 0
    while True:
        params = {"jql": "project = TEST ORDER BY key", "maxResults": 4, "fields": "key"}
        if token:
            params["nextPageToken"] = token
        if method == "GET":
            reply = cloud.get("/rest/api/3/search/jql?" + urllib.parse.urlencode(params), auth=FRED)
        else:
            reply = cloud.post("/rest/api/3/search/jql", params, auth=FRED)
        data = reply.json()
        assert "total" not in data and "startAt" not in data
        seen.extend(issue["key"] for issue in data["issues"])
        pages += 1
        if data["isLast"]:
            assert "nextPageToken" not in data
            break
        token = data["nextPageToken"]
    assert seen == ["TEST-%d" % n for n in range(1, 26)] and pages == 7


def test_search_jql_default_is_ids_only(cloud):
    """REST v3 search/jql: without fields each issue is its id only; an unknown token is a 400."""
    data = cloud.get("/rest/api/3/search/jql?jql=key%3DTEST-1", auth=FRED).json()
    assert data["issues"] == [{"id": "10000"}] and data["isLast"] is True
    assert cloud.get("/rest/api/3/search/jql?jql=&nextPageToken=garbage", auth=FRED).status == 400


def test_approximate_count(cloud):
    """REST v3 "Count issues using JQL": POST search/approximate-count -> {"count"}; a read, not a write."""
    reply = cloud.post("/rest/api/3/search/approximate-count", {"jql": "project = TEST AND status = Done"}, auth=FRED)
    assert reply.status == 200 and reply.json() == {"count": 5}
    assert cloud.post("/rest/api/3/search/approximate-count", {}, auth=FRED).status == 400
    assert cloud.stats()["writes"] == 0


@pytest.mark.parametrize("path", ["/rest/api/3/myself", "/rest/api/3/issue/TEST-1", "/rest/api/2/search/jql?jql=",
                                  "/rest/api/3/search/jql?jql=", "/rest/api/latest/search/jql?jql="])
def test_data_center_has_no_rest_v3_and_no_search_jql(sim, path):
    """Data Center REST reference: v2 only; other paths get Jersey's 404 "null for uri"."""
    reply = sim.get(path, auth=DC_FRED)
    assert reply.status == 404
    assert reply.json() == {"message": "null for uri: %s%s" % (sim.url, path.split("?")[0]), "status-code": 404}


def test_data_center_has_no_approximate_count_but_keeps_the_old_search(sim):
    """Data Center still serves /rest/api/2/search (startAt/total paging) and has no approximate-count."""
    assert sim.post("/rest/api/2/search/approximate-count", {"jql": "project = TEST"}, auth=DC_FRED).status == 404
    assert sim.get("/rest/api/2/search?jql=project%3DTEST", auth=DC_FRED).json()["total"] == 25


def test_cloud_v3_reads_rich_text_as_adf_and_v2_as_strings(cloud):
    """Cloud REST v3 introduction, "Atlassian Document Format": v3 returns ADF, v2 the string."""
    cloud.post("/rest/api/2/issue/TEST-2/comment", {"body": "A v2 comment"}, auth=FRED)
    v3 = cloud.get("/rest/api/3/issue/TEST-2?fields=description,environment,comment", auth=FRED).json()["fields"]
    assert v3["description"] == _paragraph("Seeded issue number 2.")
    assert v3["environment"] is None
    assert v3["comment"]["comments"][-1]["body"] == _paragraph("A v2 comment")
    v2 = cloud.get("/rest/api/2/issue/TEST-2?fields=description,comment", auth=FRED).json()["fields"]
    assert v2["description"] == "Seeded issue number 2."
    assert v2["comment"]["comments"][-1]["body"] == "A v2 comment"


def test_cloud_v3_writes_take_adf_and_keep_it(cloud):
    """ADF sent through v3 is stored as sent (read back equal through v3), and read as text through v2."""
    created = cloud.post("/rest/api/3/issue", {"fields": {"project": {"key": "TEST"}, "summary": "ADF",
                                                          "issuetype": {"name": "Task"}, "description": ADF,
                                                          "environment": _paragraph("Linux")}}, auth=FRED)
    assert created.status == 201
    key = created.json()["key"]
    comment = cloud.post("/rest/api/3/issue/%s/comment" % key, {"body": ADF}, auth=FRED)
    assert comment.status == 201 and comment.json()["body"] == ADF
    v3 = cloud.get("/rest/api/3/issue/%s" % key, auth=FRED).json()["fields"]
    assert v3["description"] == ADF and v3["environment"] == _paragraph("Linux")
    v2 = cloud.get("/rest/api/2/issue/%s" % key, auth=FRED).json()["fields"]
    assert v2["description"] == "Line one\nline two\n\nSecond paragraph"
    assert v2["environment"] == "Linux"
    assert v2["comment"]["comments"][0]["body"] == "Line one\nline two\n\nSecond paragraph"


def test_cloud_v3_refuses_a_string_where_adf_belongs(cloud):
    """Cloud v3 answers 400 "Operation value must be an Atlassian Document" for a string; v2 takes it."""
    reply = cloud.put("/rest/api/3/issue/TEST-1", {"fields": {"description": "plain"}}, auth=FRED)
    assert reply.status == 400
    assert reply.json()["errors"]["description"].startswith("Operation value must be an Atlassian Document")
    assert cloud.post("/rest/api/3/issue/TEST-1/comment", {"body": "plain"}, auth=FRED).status == 400
    assert cloud.put("/rest/api/2/issue/TEST-1", {"fields": {"description": "plain"}}, auth=FRED).status == 204


@pytest.mark.parametrize("flavor", ["server", "cloud"])
def test_transitions_expand_fields(sim, cloud, flavor):
    """REST "Get transitions": expand=transitions.fields adds each transition's screen fields (Done: resolution)."""
    client, auth, version = (sim, DC_FRED, "2") if flavor == "server" else (cloud, FRED, "3")
    path = "/rest/api/%s/issue/TEST-1/transitions" % version
    plain = client.get(path, auth=auth).json()["transitions"]
    assert all("fields" not in each for each in plain)
    listed = client.get(path + "?expand=transitions.fields", auth=auth).json()["transitions"]
    expanded = {each["name"]: each for each in listed}
    assert expanded["To Do"]["fields"] == {}
    resolution = expanded["Done"]["fields"]["resolution"]
    assert resolution["required"] is True and resolution["allowedValues"][0]["name"] == "Done"


@pytest.mark.parametrize("flavor", ["server", "cloud"])
def test_text_search_covers_comments(sim, cloud, flavor):
    """JQL fields reference, "Text": summary, description, environment and comments; summary ~ does not see comments."""
    client, auth, version = (sim, DC_FRED, "2") if flavor == "server" else (cloud, FRED, "3")
    body = {"body": _paragraph("zebra crossing")} if flavor == "cloud" else {"body": "zebra crossing"}
    assert client.post("/rest/api/%s/issue/TEST-4/comment" % version, body, auth=auth).status == 201
    path = "/rest/api/2/search" if flavor == "server" else "/rest/api/3/search/jql"
    found = client.get(path + "?" + urllib.parse.urlencode({"jql": 'text ~ "zebra"', "fields": "summary"}), auth=auth)
    assert [each["key"] for each in found.json()["issues"]] == ["TEST-4"]
    summary_only = client.get(path + "?" + urllib.parse.urlencode({"jql": 'summary ~ "zebra"', "fields": "summary"}),
                              auth=auth)
    assert summary_only.json()["issues"] == []
