"""In CI (.ci/run sets TTHC_CI=1) a skipped test is a failure, unless what it needs is legitimately
absent on a fresh machine: ../shared (acceptance data kept beside a checkout, never in it), a private
network namespace (unshare), or another operating system. A browser or PDF test that skips because
Chromium or the DejaVu font is missing would otherwise hide that the README's promise is untested."""
from __future__ import annotations

import os
import tempfile

import pytest

# the tests never write into the user's own cache (auditor/build_cache.py); the CLI they start inherits this
os.environ.setdefault("TTHC_AUDIT_CACHE_DIR", tempfile.mkdtemp(prefix="tthc-audit-test-cache-"))

ALLOWED_SKIPS = ("../shared", "network namespace", "unshare", "interface in the namespace", "process groups")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not os.environ.get("TTHC_CI") or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if any(words in reason for words in ALLOWED_SKIPS):
        return
    report.outcome = "failed"
    report.longrepr = f"skipped in CI, where it must run: {reason}"
