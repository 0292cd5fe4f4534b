"""Web benchmark: the gradebook page and saving a score, against a bare signed-in page.

    .venv/bin/python bench/web.py [--users 100] [--seconds 15]

Runs the demo school on PostgreSQL (a scratch database on 127.0.0.1:5432, dropped afterwards)
behind gunicorn, signs in as the demo teacher, and drives each page with `wrk` from Debian
(apt-get install wrk) over loopback with N concurrent connections for a bounded time. Prints
p50 / p95 latency of each page and its ratio to the bare signed-in page (/accounts/me/), all
measured in the same run on the same server. Targets (issue 4): gradebook p95 <= 3x and save
p95 <= 2x the bare page at 100 users.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"

WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"p50": %f, "p95": %f, "requests": %d, "errors": %d, "seconds": %f}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.duration / 1e6))
end
"""

WRK_SAVE = """
local bodies = {}
for line in io.lines("%(cells)s") do bodies[#bodies + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  local body = bodies[(counter %% #bodies) + 1] .. "&level=" .. tostring((counter %% 4) + 1)
  return wrk.format("POST", "%(path)s", nil, body)
end
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(*args: str, env: dict[str, str]) -> None:
    subprocess.run(args, env=env, check=True, capture_output=True)


def _sign_in(base: str) -> tuple[str, str, urllib.request.OpenerDirector]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/")
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": "teacher", "password": "demo", "csrfmiddlewaretoken": csrf}
    )
    opener.open(
        urllib.request.Request(
            f"{base}/accounts/login/", data=data.encode(), headers={"Referer": base}
        )
    )
    session = next(cookie.value for cookie in jar if cookie.name == "sessionid")
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    return session, csrf, opener


def _wrk(
    url: str, *, users: int, seconds: int, headers: dict[str, str], script: str
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + WRK_REPORT)
    command = [
        "wrk",
        f"-t{min(4, users)}",
        f"-c{users}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        lua.name,
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--users", type=int, default=100, help="concurrent connections (default 100)"
    )
    parser.add_argument("--seconds", type=int, default=15, help="seconds per page (default 15)")
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn worker processes (default 4)"
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench/web.py needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    database = f"mastery_bench_{os.getpid()}"
    env = {
        **os.environ,
        "MASTERY_MODE": "demo",
        "DATABASE_URL": f"{PG}/{database}",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    server = None
    try:
        print(f"Loading the demo school into PostgreSQL ({database}) ...", flush=True)
        _run(PYTHON, "-m", "mastery.cli", "migrate", "--no-input", env=env)
        _run(PYTHON, "-m", "mastery.cli", "demo", env=env)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "mastery.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(options.workers),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        session, csrf, opener = _sign_in(base)
        home = opener.open(f"{base}/").read().decode()
        section = re.search(r"/sections/([0-9a-f-]{36})/gradebook/", home)
        assert section, "the demo teacher should have a gradebook"
        pick = opener.open(f"{base}/sections/{section[1]}/score/").read().decode()
        experience = re.findall(r"/experiences/([0-9a-f-]{36})/score/", pick)[-1]
        grid = (
            opener.open(f"{base}/sections/{section[1]}/experiences/{experience}/score/")
            .read()
            .decode()
        )
        cells = re.findall(r'"student": "([0-9a-f-]{36})", "subskill": "([0-9a-f-]{36})"', grid)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as cell_file:
            for student, subskill in cells:
                cell_file.write(f"student={student}&subskill={subskill}\n")
        headers = {
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Referer": base,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        save_path = f"/sections/{section[1]}/experiences/{experience}/score/save/"
        pages = {
            "bare signed-in page": (f"{base}/accounts/me/", ""),
            "gradebook": (f"{base}/sections/{section[1]}/gradebook/", ""),
            "save a score": (
                base + save_path,
                WRK_SAVE % {"cells": cell_file.name, "path": save_path},
            ),
        }
        results = {}
        for name, (url, script) in pages.items():
            print(f"  {name}: {options.users} users for {options.seconds} s ...", flush=True)
            results[name] = _wrk(
                url, users=options.users, seconds=options.seconds, headers=headers, script=script
            )
        bare = results["bare signed-in page"]
        print(
            f"\nWeb benchmark: demo school on PostgreSQL, gunicorn x{options.workers}, "
            f"{options.users} users"
        )
        columns = ("p50 ms", "p95 ms", "req/s", "errors", "p50 x", "p95 x")
        widths = (10, 10, 10, 8, 8, 8)
        print(f"{'page':<22}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
        for name, result in results.items():
            print(
                f"{name:<22}{result['p50']:>10.1f}{result['p95']:>10.1f}"
                f"{result['requests'] / result['seconds']:>10.1f}{int(result['errors']):>8}"
                f"{result['p50'] / bare['p50']:>8.2f}{result['p95'] / bare['p95']:>8.2f}"
            )
        print("Targets: gradebook p95 <= 3x, save p95 <= 2x the bare page.")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=False
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
