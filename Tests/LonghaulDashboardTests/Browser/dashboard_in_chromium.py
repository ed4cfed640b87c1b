"""The dashboard in a real browser: Debian's headless Chromium driven by selenium.

Run by BrowserTests.swift against a live server it seeded. Selenium is pointed at
/usr/bin/chromium and /usr/bin/chromedriver, and Selenium Manager is kept offline
(SE_OFFLINE, SE_AVOID_STATS): nothing is downloaded and no statistics are sent.
Chromium's own background traffic (updates, sync, safe browsing) is switched off.
"""
import argparse
import os
import sys
import urllib.request

os.environ["SE_OFFLINE"] = "true"
os.environ["SE_AVOID_STATS"] = "true"

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--base-url", required=True)
parser.add_argument("--token", required=True)
parser.add_argument("--queued-job", required=True)
parser.add_argument("--failed-job", required=True)
parser.add_argument("--hostile-job", required=True)
parser.add_argument("--other-tenant-job", required=True)
parser.add_argument("--screenshots", required=True)
parser.add_argument("--batch", required=True)
parser.add_argument("--batch-queued-job", required=True)
parser.add_argument("--other-tenant-batch", required=True)
args = parser.parse_args()
os.makedirs(args.screenshots, exist_ok=True)

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
             "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
             "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
# A page that is being replaced by the next one may vanish under a lookup: look again.
wait = WebDriverWait(driver, 20, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException])
base = args.base_url.rstrip("/")


def shot(name):
    driver.save_screenshot(os.path.join(args.screenshots, name + ".png"))


def check(condition, message):
    if not condition:
        shot("failure")
        raise AssertionError(message + " (at " + driver.current_url + ")")


def h1():
    return driver.find_element(By.TAG_NAME, "h1").text


try:
    # Sign in: the token goes in a form, never a URL.
    driver.get(base + "/dashboard")
    check(driver.current_url.endswith("/dashboard/sign-in"), "an anonymous visit goes to the sign-in page")
    driver.find_element(By.ID, "token").send_keys(args.token)
    driver.find_element(By.CSS_SELECTOR, "form.signin button").click()
    wait.until(lambda d: h1() == "Overview")
    check(not any(c["name"] == "longhaul_session" and not c.get("httpOnly") for c in driver.get_cookies()), "the session cookie is HttpOnly")
    check(driver.execute_script("return document.cookie").find("longhaul_session") < 0, "script cannot read the session cookie")
    shot("overview")

    # The jobs page, filtered by two conditions through its form; the URL holds both, and loading it again shows the same.
    driver.get(base + "/dashboard/jobs")
    Select(driver.find_element(By.NAME, "state")).select_by_value("failed")
    driver.find_element(By.NAME, "meta").send_keys("customer=acme")
    driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
    wait.until(lambda d: "meta=" in d.current_url)
    shared = driver.current_url
    check("state=failed" in shared and "customer%3Dacme" in shared, "both filters are in the URL: " + shared)
    driver.get(shared)
    body = driver.find_element(By.TAG_NAME, "tbody").text
    check(args.failed_job in body, "the failed acme job is listed")
    check(args.queued_job not in body, "the queued job is filtered out")
    shot("jobs-filtered")

    # A job's page: its timeline.
    driver.find_element(By.LINK_TEXT, args.failed_job).click()
    wait.until(lambda d: args.failed_job in h1())
    events = driver.find_elements(By.CSS_SELECTOR, "ol.timeline li")
    check(len(events) >= 3, "the timeline shows enqueued, the attempt and the end: %d events" % len(events))
    check("attempt 1" in driver.find_element(By.CSS_SELECTOR, "ol.timeline").text, "the attempt is on the timeline")
    shot("job")

    # Retry it: back on the queue.
    driver.find_element(By.XPATH, "//button[text()='Retry']").click()
    wait.until(lambda d: "queued" in d.find_element(By.CSS_SELECTOR, "h1 .state").text)

    # Cancel a queued job: the confirmation comes first.
    driver.get(base + "/dashboard/jobs/" + args.queued_job)
    driver.find_element(By.XPATH, "//button[text()='Cancel']").click()
    wait.until(expected_conditions.alert_is_present())
    driver.switch_to.alert.accept()
    wait.until(lambda d: "cancelled" in d.find_element(By.CSS_SELECTOR, "h1 .state").text)

    # Hostile values are text: shown, never run.
    driver.get(base + "/dashboard/jobs/" + args.hostile_job)
    page = driver.find_element(By.TAG_NAME, "main").text
    check("<script>window.__pwned=1</script>" in page, "the script tag is shown as text")
    check("<img src=x onerror=window.__pwned=1>" in page, "the img tag is shown as text")
    check(driver.execute_script("return window.__pwned === undefined"), "no payload ran")
    shot("hostile")
    driver.get(base + "/dashboard/jobs?q=" + "%3Cimg")
    check(args.hostile_job in driver.find_element(By.TAG_NAME, "tbody").text, "the hostile job is listed")
    check(driver.execute_script("return window.__pwned === undefined"), "no payload ran on the list")
    shot("jobs-hostile")

    # A batch's page advances by itself: one of its jobs is cancelled through the REST API
    # meanwhile, and the open page (refreshed by its own script) shows 2 / 2 without the test reloading it.
    driver.get(base + "/dashboard/batches/" + args.batch)
    check(driver.find_element(By.CSS_SELECTOR, ".batch-progress").text == "1 / 2", "one of two ended")
    cancel = urllib.request.Request(base + "/v1/jobs/" + args.batch_queued_job + "/cancel", method="POST",
                                    headers={"Authorization": "Bearer " + args.token})
    urllib.request.urlopen(cancel).read()
    WebDriverWait(driver, 30, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException]).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".batch-progress").text == "2 / 2")
    check(driver.execute_script("return window.__pwned === undefined"), "the batch's hostile name ran nothing")
    shot("batch")
    # Retry its failed job, after the confirmation.
    driver.find_element(By.XPATH, "//button[starts-with(text(), 'Retry 1 failed')]").click()
    wait.until(expected_conditions.alert_is_present())
    driver.switch_to.alert.accept()
    wait.until(lambda d: "1 job queued again." in d.find_element(By.TAG_NAME, "main").text)

    # Bulk retry of a filter: the confirmation states the count, the action's page its progress.
    driver.get(base + "/dashboard/jobs?state=failed&meta=customer%3Dzeta")
    driver.find_element(By.LINK_TEXT, "Retry all matching…").click()
    check(driver.find_element(By.CSS_SELECTOR, "strong.count").text == "1", "one job matches")
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    wait.until(lambda d: "/dashboard/actions/" in d.current_url and "Finished at" in d.find_element(By.TAG_NAME, "main").text)
    check(driver.find_element(By.CSS_SELECTOR, ".action-progress").text == "1 / 1", "the action's progress")
    shot("bulk-action")

    # Usage and tokens: pages to look at.
    driver.get(base + "/dashboard/usage?group=model")
    check(h1() == "Usage", "the usage page")
    shot("usage")
    driver.get(base + "/dashboard/tokens")
    check("browser" in driver.find_element(By.TAG_NAME, "tbody").text, "the session's own token is listed")
    shot("tokens")

    # Another tenant's job and batch are a 404, and show nothing of theirs.
    driver.get(base + "/dashboard/jobs/" + args.other_tenant_job)
    check(h1() == "Not found", "another tenant's job is not found")
    driver.get(base + "/dashboard/batches/" + args.other_tenant_batch)
    check(h1() == "Not found", "another tenant's batch is not found")
    print("OK")
except Exception:
    shot("failure")
    print("page at failure:", driver.current_url, driver.page_source[:3000], file=sys.stderr)
    raise
finally:
    driver.quit()
