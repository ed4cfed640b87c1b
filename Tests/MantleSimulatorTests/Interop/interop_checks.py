"""Checks shared by the interop scripts: each prints ok/FAIL lines and remembers failures."""
import httpx

failures = []


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
