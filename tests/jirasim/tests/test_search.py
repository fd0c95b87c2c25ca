"""Search: startAt/maxResults/total paging, the cap, the JQL subset, nextPageToken paging."""

import urllib.parse

import pytest

from conftest import FRED


def search(sim, jql, **params):
    params["jql"] = jql
    return sim.get("/rest/api/2/search?" + urllib.parse.urlencode(params), auth=FRED)


def keys(reply):
    return [issue["key"] for issue in reply.json()["issues"]]


def test_paging_start_at_max_results_total(sim):
    first = search(sim, "project = TEST ORDER BY key", maxResults=10).json()
    assert (first["startAt"], first["maxResults"], first["total"]) == (0, 10, 25)
    assert [i["key"] for i in first["issues"]] == ["TEST-%d" % n for n in range(1, 11)]
    last = search(sim, "project = TEST ORDER BY key", startAt=20, maxResults=10).json()
    assert [i["key"] for i in last["issues"]] == ["TEST-%d" % n for n in range(21, 26)]
    default = search(sim, "project = TEST").json()
    assert default["maxResults"] == 50 and len(default["issues"]) == 25
    assert "comment" not in default["issues"][0]["fields"]
    assert set(search(sim, "", fields="summary").json()["issues"][0]["fields"]) == {"summary"}


def test_max_results_is_capped(sim):
    sim.control("POST", "config", {"max_results_cap": 7})
    page = search(sim, "project = TEST", maxResults=1000).json()
    assert page["maxResults"] == 7 and len(page["issues"]) == 7 and page["total"] == 25


def test_post_search(sim):
    reply = sim.post("/rest/api/2/search", {"jql": "project = TEST ORDER BY key DESC", "startAt": 1, "maxResults": 2,
                                            "fields": ["summary"]}, auth=FRED)
    assert keys(reply) == ["TEST-24", "TEST-23"]
    assert sim.stats()["writes"] == 0


@pytest.mark.parametrize("jql, expected", [
    ('key = TEST-3', ["TEST-3"]),
    ('key in (TEST-4, "TEST-2") ORDER BY key ASC', ["TEST-2", "TEST-4"]),
    ('project = "TEST" AND labels = ops ORDER BY key', ["TEST-4", "TEST-9", "TEST-14", "TEST-19", "TEST-24"]),
    ('summary ~ "DARK mode" ORDER BY key', ["TEST-5", "TEST-13", "TEST-21"]),
    (r'summary ~ "\"DARK mode\"" ORDER BY key', ["TEST-5", "TEST-13", "TEST-21"]),
    ('status = "Done" ORDER BY key DESC', ["TEST-25", "TEST-20", "TEST-15", "TEST-10", "TEST-5"]),
    ("project = TEST and status = 'In Progress' and labels = backend order by key",
     ["TEST-6", "TEST-21"]),
    ('issuekey = test-1', ["TEST-1"]),
    ('labels in (perf) AND NOT status = Done ORDER BY key', []),
    ('labels = perf OR key = TEST-1 ORDER BY key', ["TEST-1", "TEST-5", "TEST-10", "TEST-15", "TEST-20", "TEST-25"]),
])
def test_jql_subset(sim, jql, expected):
    reply = search(sim, jql, maxResults=100)
    assert reply.status == 200, reply.text
    assert keys(reply) == expected


def test_order_by_key_is_numeric(sim):
    assert keys(search(sim, "project = TEST ORDER BY key", maxResults=12))[-3:] == ["TEST-10", "TEST-11", "TEST-12"]


@pytest.mark.parametrize("jql", ["project = ", "project TEST", 'summary ~ "open', "project = TEST AND", "key in (A"])
def test_unparseable_jql_is_400(sim, jql):
    reply = search(sim, jql)
    assert reply.status == 400
    data = reply.json()
    assert data["errors"] == {} and data["errorMessages"][0].startswith("Error in the JQL Query: ")


def test_unknown_field_and_value(sim):
    reply = search(sim, "nosuchfield = 1")
    assert reply.status == 400
    assert reply.json()["errorMessages"] == [
        "Field 'nosuchfield' does not exist or you do not have permission to view it."]
    reply = search(sim, "project = NOPE")
    assert reply.json()["errorMessages"] == ["The value 'NOPE' does not exist for the field 'project'."]


def test_search_hides_private_issues_from_anonymous(sim):
    assert sim.get("/rest/api/2/search?jql=").json()["total"] == 25
    assert search(sim, "").json()["total"] == 27
    assert sim.get("/rest/api/2/search?jql=project%3DPRIV").status == 400
