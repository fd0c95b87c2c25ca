"""The widely used ``jira`` PyPI client works against jirasim without knowing it is not Jira."""

import pytest

jira = pytest.importorskip("jira")


def test_jira_library_reads_pages_and_creates(make_sim):
    running, _client = make_sim(issues=130)
    client = jira.JIRA(server=running.url, basic_auth=("fred", "fred"))
    assert client.server_info()["deploymentType"] == "Server"
    assert client.myself()["name"] == "fred"
    issues = client.search_issues("project = TEST ORDER BY key", maxResults=False)
    assert [issue.key for issue in issues] == ["TEST-%d" % n for n in range(1, 131)]
    created = client.create_issue(project="TEST", summary="Made by the jira library", issuetype={"name": "Task"})
    assert created.key == "TEST-131" and created.fields.summary == "Made by the jira library"
    bug = client.create_issue(project="TEST", summary="A bug", issuetype="Bug", labels=["lib"])
    assert bug.fields.issuetype.name == "Bug"
    client.add_comment(bug, "a comment")
    client.transition_issue(bug, "31")
    assert client.issue(bug.key).fields.status.name == "Done"
    assert len(client.comments(bug)) == 1
    assert len(client.project_versions("TEST")) == 30
    client.close()


def test_jira_library_cloud_calls(make_sim):
    """The library's Cloud-only calls (search/jql with nextPageToken, approximate-count) against the cloud flavor."""
    from jirasim import CLOUD_FRED_TOKEN

    running, sim = make_sim(flavor="cloud", issues=130)
    client = jira.JIRA(server=running.url, basic_auth=("fred@example.com", CLOUD_FRED_TOKEN))
    assert client.server_info()["deploymentType"] == "Cloud"
    issues = client.enhanced_search_issues("project = TEST ORDER BY key", maxResults=False, fields="summary")
    assert [issue.key for issue in issues] == ["TEST-%d" % n for n in range(1, 131)]
    assert client.approximate_issue_count("project = TEST AND status = Done") == 26
    bug = client.create_issue(project="TEST", summary="A cloud bug", issuetype="Bug")
    client.add_comment(bug, "a comment")  # REST v2 on Cloud still takes a string
    assert client.comments(bug)[0].body == "a comment"
    routes = sim.stats()["requests_by_route"]
    assert not [route for route in routes if route.endswith("/search")]
    assert routes["POST /rest/api/2/search/approximate-count"] == 1
    client.close()
