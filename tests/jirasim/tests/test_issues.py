"""Issues, comments, transitions, permissions and projects."""

from conftest import ADMIN, FRED, READER

NOT_FOUND = {"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}}


def new_issue(sim, **fields):
    body = {"project": {"key": "TEST"}, "summary": "Created by a test", "issuetype": {"name": "Task"}}
    body.update(fields)
    return sim.post("/rest/api/2/issue", {"fields": body}, auth=FRED)


def test_issue_crud_codes(sim):
    created = new_issue(sim, labels=["one"], description="first")
    assert created.status == 201
    data = created.json()
    assert data["key"] == "TEST-26" and data["id"] and data["self"].endswith("/rest/api/2/issue/" + data["id"])
    got = sim.get("/rest/api/2/issue/TEST-26", auth=FRED)
    assert got.status == 200
    fields = got.json()["fields"]
    assert fields["summary"] == "Created by a test" and fields["labels"] == ["one"]
    assert fields["status"]["name"] == "To Do" and fields["reporter"]["name"] == "fred"
    assert fields["issuetype"]["name"] == "Task" and fields["project"]["key"] == "TEST"
    assert sim.put("/rest/api/2/issue/TEST-26", {"fields": {"summary": "Renamed"}}, auth=FRED).status == 204
    assert sim.get("/rest/api/2/issue/TEST-26", auth=FRED).json()["fields"]["summary"] == "Renamed"
    deleted = sim.delete("/rest/api/2/issue/TEST-26", auth=FRED)
    assert deleted.status == 204 and deleted.body == b""
    gone = sim.get("/rest/api/2/issue/TEST-26", auth=FRED)
    assert gone.status == 404 and gone.json() == NOT_FOUND
    stats = sim.stats()
    assert stats["issues_created"] == 1 and stats["writes"] == 3
    assert stats["requests_by_route"]["GET /rest/api/2/issue/{key}"] == 3


def test_numbering_continues_and_latest_works(sim):
    assert new_issue(sim).json()["key"] == "TEST-26"
    fields = {"project": {"id": "10000"}, "summary": "latest", "issuetype": {"id": "10004"}}
    assert sim.post("/rest/api/latest/issue", {"fields": fields}, auth=FRED).json()["key"] == "TEST-27"
    assert sim.get("/rest/api/latest/issue/test-27", auth=FRED).json()["fields"]["issuetype"]["name"] == "Bug"


def test_validation_errors(sim):
    reply = new_issue(sim, summary="")
    assert reply.status == 400
    assert reply.json() == {"errorMessages": [], "errors": {"summary": "You must specify a summary of the issue."}}
    reply = sim.post("/rest/api/2/issue", {"fields": {"project": {"key": "NOPE"}, "summary": "x",
                                                      "issuetype": {"name": "Task"}}}, auth=FRED)
    assert reply.status == 400 and reply.json()["errors"] == {"project": "valid project is required"}
    reply = sim.post("/rest/api/2/issue", {"fields": {"project": {"key": "TEST"}, "summary": "x"}}, auth=FRED)
    assert reply.status == 400 and "issuetype" in reply.json()["errors"]
    reply = new_issue(sim, bogus="x")
    assert reply.status == 400 and "bogus" in reply.json()["errors"]
    assert sim.post("/rest/api/2/issue", b"{not json", auth=FRED).status == 400


def test_fields_param_filters(sim):
    data = sim.get("/rest/api/2/issue/TEST-2?fields=summary,labels", auth=FRED).json()
    assert set(data["fields"]) == {"summary", "labels"}
    data = sim.get("/rest/api/2/issue/TEST-2?fields=*all,-comment", auth=FRED).json()
    assert "comment" not in data["fields"] and "status" in data["fields"]


def test_update_verbs(sim):
    body = {"update": {"labels": [{"add": "added"}, {"remove": "backend"}], "summary": [{"set": "Via update"}],
                       "comment": [{"add": {"body": "via update"}}]}}
    assert sim.put("/rest/api/2/issue/TEST-1", body, auth=FRED).status == 204
    fields = sim.get("/rest/api/2/issue/TEST-1", auth=FRED).json()["fields"]
    assert fields["labels"] == ["added"] and fields["summary"] == "Via update"
    assert fields["comment"]["total"] == 6
    bad = sim.put("/rest/api/2/issue/TEST-1", {"update": {"nonsense": [{"set": 1}]}}, auth=FRED)
    assert bad.status == 400 and "nonsense" in bad.json()["errors"]


def test_permissions_for_writes(sim):
    assert new_issue(sim).status == 201
    reply = sim.post("/rest/api/2/issue", {"fields": {"project": {"key": "TEST"}, "summary": "x",
                                                      "issuetype": {"name": "Task"}}}, auth=READER)
    assert reply.status == 400 and "permission" in reply.json()["errors"]["project"]
    assert sim.put("/rest/api/2/issue/TEST-1", {"fields": {"summary": "no"}}, auth=READER).status == 403
    assert sim.delete("/rest/api/2/issue/TEST-1", auth=READER).status == 403
    assert sim.delete("/rest/api/2/issue/TEST-1").status == 401


def test_comments_paging_and_crud(sim):
    page = sim.get("/rest/api/2/issue/TEST-1/comment?startAt=2&maxResults=2", auth=FRED).json()
    assert page["startAt"] == 2 and page["maxResults"] == 2 and page["total"] == 5
    assert [c["body"] for c in page["comments"]] == ["Seeded comment 3.", "Seeded comment 4."]
    added = sim.post("/rest/api/2/issue/TEST-1/comment", {"body": "hello"}, auth=FRED)
    assert added.status == 201
    comment = added.json()
    assert {"id", "self", "body", "author", "created", "updated"} <= set(comment)
    assert comment["author"]["name"] == "fred"
    path = "/rest/api/2/issue/TEST-1/comment/" + comment["id"]
    assert sim.get(path, auth=FRED).json()["body"] == "hello"
    assert sim.put(path, {"body": "edited"}, auth=FRED).json()["body"] == "edited"
    assert sim.delete(path, auth=FRED).status == 204
    assert sim.get(path, auth=FRED).status == 404
    assert sim.post("/rest/api/2/issue/TEST-1/comment", {"body": ""}, auth=FRED).status == 400
    seeded = sim.get("/rest/api/2/issue/TEST-1/comment", auth=FRED).json()["comments"][0]
    assert seeded["author"]["name"] == "admin"
    assert sim.delete("/rest/api/2/issue/TEST-1/comment/" + seeded["id"], auth=FRED).status == 403


def test_transitions(sim):
    listed = sim.get("/rest/api/2/issue/TEST-1/transitions", auth=FRED).json()["transitions"]
    assert [(t["id"], t["name"], t["to"]["name"]) for t in listed] == [
        ("11", "To Do", "To Do"), ("21", "In Progress", "In Progress"), ("31", "Done", "Done")]
    assert sim.post("/rest/api/2/issue/TEST-1/transitions", {"transition": {"id": "31"}}, auth=FRED).status == 204
    fields = sim.get("/rest/api/2/issue/TEST-1", auth=FRED).json()["fields"]
    assert fields["status"]["name"] == "Done" and fields["resolution"]["name"] == "Done"
    bad = sim.post("/rest/api/2/issue/TEST-1/transitions", {"transition": {"id": "99"}}, auth=FRED)
    assert bad.status == 400 and bad.json()["errorMessages"]


def test_mypermissions(sim):
    reply = sim.get("/rest/api/2/mypermissions?projectKey=TEST&permissions=CREATE_ISSUES,ADMINISTER", auth=FRED)
    perms = reply.json()["permissions"]
    assert perms["CREATE_ISSUES"]["havePermission"] is True
    assert perms["ADMINISTER"]["havePermission"] is False
    assert {"id", "key", "name", "type", "description", "havePermission"} <= set(perms["CREATE_ISSUES"])
    everything = sim.get("/rest/api/2/mypermissions", auth=ADMIN).json()["permissions"]
    assert len(everything) > 10 and all(p["havePermission"] for p in everything.values())
    assert sim.get("/rest/api/2/mypermissions?permissions=NOPE", auth=FRED).status == 400
    anon = sim.get("/rest/api/2/mypermissions?projectKey=TEST&permissions=BROWSE_PROJECTS").json()
    assert anon["permissions"]["BROWSE_PROJECTS"]["havePermission"] is True
    assert sim.get("/rest/api/2/mypermissions?projectKey=PRIV&permissions=BROWSE_PROJECTS").status == 404
    reader = sim.get("/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS,EDIT_ISSUES", auth=READER).json()
    assert reader["permissions"]["EDIT_ISSUES"]["havePermission"] is False


def test_project_management(sim):
    body = {"key": "NEW", "name": "New Project", "projectTypeKey": "software", "lead": "fred"}
    assert sim.post("/rest/api/2/project", body, auth=FRED).status == 403
    created = sim.post("/rest/api/2/project", body, auth=ADMIN)
    assert created.status == 201 and created.json()["key"] == "NEW"
    again = sim.post("/rest/api/2/project", body, auth=ADMIN)
    assert again.status == 400 and "projectKey" in again.json()["errors"]
    updated = sim.put("/rest/api/2/project/NEW", {"description": "changed", "lead": "admin"}, auth=ADMIN)
    assert updated.status == 200 and updated.json()["description"] == "changed"
    assert updated.json()["lead"]["name"] == "admin"
    assert sim.get("/rest/api/2/project/NEW", auth=FRED).json()["name"] == "New Project"
    assert sim.get("/rest/api/2/project/NEW").status == 404
    assert [p["key"] for p in sim.get("/rest/api/2/project").json()] == ["TEST"]
    missing = sim.get("/rest/api/2/project/XYZ", auth=FRED)
    assert missing.json()["errorMessages"] == ["No project could be found with key 'XYZ'."]
    assert new_issue(sim, project={"key": "NEW"}).json()["key"] == "NEW-1"


def test_versions_paging_is_last_values(sim):
    seen, start = [], 0
    while True:
        page = sim.get("/rest/api/2/project/TEST/version?startAt=%d&maxResults=7" % start, auth=FRED).json()
        assert page["total"] == 30 and page["maxResults"] == 7
        seen.extend(v["name"] for v in page["values"])
        if page["isLast"]:
            assert "nextPage" not in page
            break
        assert page["nextPage"]
        start += 7
    assert len(seen) == 30 == len(set(seen))
    assert len(sim.get("/rest/api/2/project/TEST/versions", auth=FRED).json()) == 30


def test_metadata_endpoints(sim):
    names = [f["id"] for f in sim.get("/rest/api/2/field", auth=FRED).json()]
    assert "summary" in names and "labels" in names
    assert "Task" in [t["name"] for t in sim.get("/rest/api/2/issuetype", auth=FRED).json()]
    assert "Medium" in [p["name"] for p in sim.get("/rest/api/2/priority", auth=FRED).json()]
    assert "Done" in [s["name"] for s in sim.get("/rest/api/2/status", auth=FRED).json()]


def test_error_shapes_for_unknown_path_and_method(sim):
    unknown = sim.get("/rest/api/2/nothing-here", auth=FRED)
    assert unknown.status == 404 and "null for uri" in unknown.json()["message"]
    wrong = sim.call("PATCH", "/rest/api/2/myself", auth=FRED)
    assert wrong.status == 405 and wrong.header("Allow") == "GET"
