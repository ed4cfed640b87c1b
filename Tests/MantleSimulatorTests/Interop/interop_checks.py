"""Checks shared by the interop scripts: each prints ok/FAIL lines and remembers failures."""
import httpx

failures = []

# Five sentences about one subject: the simulator's extractive summaries pick from them.
DOCUMENT = (
    "The lighthouse stood on the northern cliff for two hundred years. "
    "Ships used the lighthouse to find the harbour in winter storms. "
    "The keeper lit the lamp every evening at sunset. "
    "In 1990 the lighthouse lamp was replaced by an automatic light. "
    "Tourists now visit the old lighthouse to see the harbour and the sea."
)



def check(condition, what):
    if condition:
        print(f"ok   {what}")
    else:
        print(f"FAIL {what}")
        failures.append(what)


def expect_error(kind, what, call):
    try:
        call()
    except kind as error:
        print(f"ok   {what}: {type(error).__name__} {error.status_code if hasattr(error, 'status_code') else ''}")
        return error
    except Exception as error:  # noqa: BLE001 - any other type is a mismatch to report
        print(f"FAIL {what}: expected {kind.__name__ if isinstance(kind, type) else kind}, got {type(error).__name__}: {error}")
        failures.append(what)
        return None
    print(f"FAIL {what}: expected {kind.__name__ if isinstance(kind, type) else kind}, got no error")
    failures.append(what)
    return None


def simulator_config(base_url, patch):
    httpx.post(f"{base_url}/_simulator/config", json=patch, timeout=30).raise_for_status()


def finish():
    print(f"{len(failures)} failed" if failures else "all checks passed")
    return 1 if failures else 0
