"""tenant-isolation: every route of the API, tried with one project's token against another
project's resources, answers 404 (403 for admin-only routes) and shows none of its data; lists
show only the caller's own. The drill reads the served OpenAPI document and fails if a route has
no case here, so a new route cannot slip past it."""

from common import Api, Database, DrillFailure, create_token, longhaul, note

SECRET = "Beta's confidential merger memo: Project Nightingale, 4.2 billion."


def cases(ids):
    """(method, path template, concrete path, body, expected status) for every documented route."""
    job, batch, endpoint, delivery, token = ids["job"], ids["batch"], ids["endpoint"], ids["delivery"], ids["token"]
    return [
        ("post", "/v1/jobs", "/v1/jobs", {"document": "sneaky", "project": "beta"}, 404),
        ("get", "/v1/jobs", "/v1/jobs?project=beta", None, 404),
        ("get", "/v1/jobs/{job_id}", f"/v1/jobs/{job}", None, 404),
        ("post", "/v1/jobs/{job_id}/cancel", f"/v1/jobs/{job}/cancel", None, 404),
        ("post", "/v1/jobs/{job_id}/retry", f"/v1/jobs/{job}/retry", None, 404),
        ("post", "/v1/batches", "/v1/batches", {"documents": [{"document": "sneaky"}], "project": "beta"}, 404),
        ("get", "/v1/batches/{batch_id}", f"/v1/batches/{batch}", None, 404),
        ("get", "/v1/batches/{batch_id}/jobs", f"/v1/batches/{batch}/jobs", None, 404),
        ("get", "/v1/projects", "/v1/projects?include_archived=true", None, 200),
        ("post", "/v1/projects", "/v1/projects", {"slug": "gamma"}, 403),
        ("get", "/v1/projects/{project}", "/v1/projects/beta", None, 404),
        ("patch", "/v1/projects/{project}", "/v1/projects/beta", {"max_in_flight": 1}, 403),
        ("post", "/v1/projects/{project}/archive", "/v1/projects/beta/archive", None, 403),
        ("post", "/v1/projects/{project}/rotate-webhook-secret", "/v1/projects/beta/rotate-webhook-secret", None, 404),
        ("get", "/v1/tokens", "/v1/tokens?project=beta", None, 404),
        ("post", "/v1/tokens", "/v1/tokens", {"project": "beta"}, 403),
        ("delete", "/v1/tokens/{token_id}", f"/v1/tokens/{token}", None, 404),
        ("get", "/v1/usage", "/v1/usage?project=beta", None, 404),
        ("get", "/v1/webhook-endpoints", "/v1/webhook-endpoints?project=beta", None, 404),
        ("post", "/v1/webhook-endpoints", "/v1/webhook-endpoints", {"url": "https://evil.example.com/", "project": "beta"}, 404),
        ("get", "/v1/webhook-endpoints/{endpoint_id}", f"/v1/webhook-endpoints/{endpoint}", None, 404),
        ("patch", "/v1/webhook-endpoints/{endpoint_id}", f"/v1/webhook-endpoints/{endpoint}", {"enabled": False}, 404),
        ("delete", "/v1/webhook-endpoints/{endpoint_id}", f"/v1/webhook-endpoints/{endpoint}", None, 404),
        ("post", "/v1/webhook-endpoints/{endpoint_id}/rotate-secret", f"/v1/webhook-endpoints/{endpoint}/rotate-secret", None, 404),
        ("get", "/v1/deliveries", "/v1/deliveries?project=beta", None, 404),
        ("post", "/v1/deliveries/resend", "/v1/deliveries/resend", {"since": "2000-01-01T00:00:00Z", "project": "beta"}, 404),
        ("get", "/v1/deliveries/{delivery_id}", f"/v1/deliveries/{delivery}", None, 404),
        ("post", "/v1/deliveries/{delivery_id}/redeliver", f"/v1/deliveries/{delivery}/redeliver", None, 404),
        ("post", "/v1/jobs/plan", "/v1/jobs/plan", {"document": "sneaky", "project": "beta"}, 404),
        ("post", "/v1/batches/{batch_id}/cancel", f"/v1/batches/{batch}/cancel", None, 404),
        ("post", "/v1/batches/{batch_id}/retry", f"/v1/batches/{batch}/retry", None, 404),
        ("get", "/v1/batches/{batch_id}/results", f"/v1/batches/{batch}/results", None, 404),
        ("put", "/v1/batches/{batch_id}/budget", f"/v1/batches/{batch}/budget", {"max_tokens": 1}, 404),
        ("delete", "/v1/batches/{batch_id}/budget", f"/v1/batches/{batch}/budget", None, 404),
        ("post", "/v1/projects/{project}/pause", "/v1/projects/beta/pause", None, 404),
        ("post", "/v1/projects/{project}/resume", "/v1/projects/beta/resume", None, 404),
        ("get", "/v1/projects/{project}/budgets", "/v1/projects/beta/budgets", None, 404),
        ("put", "/v1/projects/{project}/budgets/{period}", "/v1/projects/beta/budgets/day", {"max_tokens": 1}, 403),
        ("delete", "/v1/projects/{project}/budgets/{period}", "/v1/projects/beta/budgets/day", None, 403),
        ("get", "/v1/projects/{project}/model-limits", "/v1/projects/beta/model-limits", None, 404),
        ("put", "/v1/projects/{project}/model-limits/{model}", "/v1/projects/beta/model-limits/openai.gpt-oss-120b",
         {"context_window": 1024}, 403),
        ("delete", "/v1/projects/{project}/model-limits/{model}", "/v1/projects/beta/model-limits/openai.gpt-oss-120b", None, 403),
        ("get", "/v1/models", "/v1/models?project=beta", None, 404),
        # The price table is the operator's, the same for every project: nothing of beta's in it.
        ("get", "/v1/prices", "/v1/prices", None, 200),
    ]


PUBLIC = {("get", "/healthz"), ("get", "/readyz"), ("get", "/metrics"), ("get", "/openapi.json")}


def run(drill):
    problems = []
    database = Database(drill)
    longhaul(["migrate"], database)
    for project in ("alpha", "beta"):
        longhaul(["projects", "add", project], database)
    alpha, beta = create_token(database, "alpha"), create_token(database, "beta")
    api = Api(drill, database)

    # Beta's resources, made through the API with beta's token.
    def ok(answer, what):
        status, _, body = answer
        if status >= 300:
            raise DrillFailure(f"setting up {what} failed: {status} {body}")
        return body

    endpoint = ok(api.call("POST", "/v1/webhook-endpoints", beta, {"url": "https://hooks.example.com/beta"}), "an endpoint")["endpoint"]["id"]
    job = ok(api.call("POST", "/v1/jobs", beta, {"document": SECRET, "metadata": {"deal": "nightingale"}}), "a job")["id"]
    ok(api.call("POST", f"/v1/jobs/{job}/cancel", beta), "a cancellation")
    delivery = ok(api.call("GET", "/v1/deliveries", beta), "the delivery list")["data"][0]["id"]
    batch = ok(api.call("POST", "/v1/batches", beta, {"documents": [{"document": SECRET}]}), "a batch")["batch"]["id"]
    token = ok(api.call("GET", "/v1/tokens", beta), "the token list")["data"][0]["id"]
    ids = {"job": job, "batch": batch, "endpoint": endpoint, "delivery": delivery, "token": token}
    beta_ids = set(ids.values())

    # Every documented route has a case.
    document = ok(api.call("GET", "/openapi.json", None), "the document")
    documented = {(method, path) for path, item in document["paths"].items() for method in item}
    covered = {(method, template) for method, template, _, _, _ in cases(ids)} | PUBLIC
    for missing in sorted(documented - covered):
        problems.append(f"no isolation case for {missing[0].upper()} {missing[1]}")

    tried = 0
    for method, _, path, body, expected in cases(ids):
        status, _, answer = api.call(method.upper(), path, alpha, body)
        tried += 1
        text = str(answer)
        if status != expected:
            problems.append(f"{method.upper()} {path} with alpha's token answered {status}, not {expected}: {text[:160]}")
        if SECRET in text or "nightingale" in text or any(other in text for other in beta_ids if other not in path):
            problems.append(f"{method.upper()} {path} with alpha's token showed beta's data: {text[:160]}")

    # Lists with alpha's token hold nothing of beta's, and beta's things are unchanged.
    for path in ["/v1/jobs", "/v1/jobs?limit=1000", f"/v1/jobs?batch={batch}", "/v1/deliveries", "/v1/webhook-endpoints",
                 "/v1/tokens", "/v1/projects", "/v1/usage?group_by=tag:deal"]:
        status, _, answer = api.call("GET", path, alpha)
        if status != 200 or SECRET in str(answer) or "nightingale" in str(answer) or any(other in str(answer) for other in beta_ids):
            problems.append(f"GET {path} with alpha's token leaked or failed: {status} {str(answer)[:160]}")
    still = api.call("GET", f"/v1/webhook-endpoints/{endpoint}", beta)
    if still[0] != 200 or not still[2].get("enabled"):
        problems.append(f"beta's endpoint changed: {still}")
    if api.call("GET", f"/v1/jobs/{job}", beta)[2].get("state") != "cancelled":
        problems.append("beta's job changed state")
    if api.call("GET", "/v1/projects/beta", beta)[2].get("hold") is not None:
        problems.append("beta's project was paused by alpha's token")
    note(f"tenant-isolation: {tried} cross-tenant requests over {len(documented) - len(PUBLIC)} routes")
    return problems, f"{tried} cross-tenant requests covering all {len(documented) - len(PUBLIC)} token routes: every one 404/403, none showed beta's data; 8 lists clean"
