#!/usr/bin/env bash
# The CI workflow (installers/ci/packages.yml) cannot run here, so it is checked as far as it
# can be: yamllint with installers/ci/yamllint.yml (strict: warnings fail too), and its shape:
# one job per platform on that platform's runner, the Linux job running .ci/run in Debian 12.
# Usage: test_workflow.sh SOURCE_DIR   (registered in tests/CMakeLists.txt; yamllint and its
# python3-yaml come from dev.sh's TEST_PACKAGES)
set -euo pipefail
src=$1
command -v yamllint >/dev/null || { echo "FAIL: yamllint is missing: ./dev.sh deps installs it" >&2; exit 1; }

yamllint -s -c "$src/installers/ci/yamllint.yml" "$src/installers/ci"

/usr/bin/python3 - "$src/installers/ci/packages.yml" <<'PY'
import sys
import yaml

with open(sys.argv[1]) as f:
    workflow = yaml.safe_load(f)
jobs = workflow.get("jobs", {})
expected = {"linux": "ubuntu-", "windows": "windows-", "macos": "macos-"}
for name, runner in expected.items():
    job = jobs.get(name)
    assert job, f"no {name} job"
    assert str(job.get("runs-on", "")).startswith(runner), f"{name} does not run on {runner}*"
    steps = job.get("steps", [])
    assert steps, f"{name} has no steps"
    assert any("cpack -G" in str(s.get("run", "")) for s in steps), f"{name} makes no package"
linux = jobs["linux"]
assert linux.get("container") == "debian:12", "the Linux job is not Debian 12 as .ci/run's machine"
assert any("bash .ci/run" in str(s.get("run", "")) for s in linux["steps"]), \
    "the Linux job does not run .ci/run"
trigger = workflow.get("on", workflow.get(True))  # PyYAML reads a bare `on` as True
assert trigger and "pull_request" in trigger, "the workflow does not run on pull requests"
print("workflow shape: OK")
PY
echo PASS
