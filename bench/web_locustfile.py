"""The users `bench/web.py` runs through locust: teachers at their desks, one scenario per run.

Not run on its own: bench/web.py writes the plan (who is signed in where, which cells to score)
to a JSON file and names it and the scenario in the environment. Every user works without
pause (a closed loop) and stops after BENCH_REQUESTS tasks; locust's --run-time bounds the rest.
"""

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
SCENARIO = os.environ["BENCH_SCENARIO"]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
_desks = itertools.cycle(PLAN["desks"])
_fresh = itertools.count()


class Teacher(FastHttpUser):
    """One teacher at one section's gradebook and scoring grid."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.desk = next(_desks)
        self.done = 0
        self.headers = {
            "Cookie": f"sessionid={self.desk['session']}; csrftoken={self.desk['csrf']}",
            "X-CSRFToken": self.desk["csrf"],
            "Referer": PLAN["base"],
        }

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, headers=self.headers, name=name, catch_response=True) as got:
            if got.status_code != 200:
                got.failure(f"HTTP {got.status_code}")

    def _save(self, name: str) -> None:
        student, subskill = random.choice(self.desk["cells"])
        with self.client.post(
            self.desk["save"],
            data={"student": student, "subskill": subskill, "level": random.randint(1, 4)},
            headers={**self.headers, "HX-Request": "true"},
            name=name,
            catch_response=True,
        ) as saved:
            if saved.status_code != 200:
                saved.failure(f"HTTP {saved.status_code}")

    @task
    def one_step(self) -> None:
        if self.done >= REQUESTS:
            raise StopUser()
        self.done += 1
        if SCENARIO == "bare":
            self._get("/accounts/me/", "bare signed-in page")
        elif SCENARIO == "gradebook-warm":
            self._get(self.desk["gradebook"], "gradebook, warm")
        elif SCENARIO == "gradebook-cold":
            # A save, then the gradebook: its ratings changed, so the cached table is stale.
            # The sort key is one of a kind too (an unknown one sorts by name, as the page
            # does), so no other user's reload can have cached this very table already.
            self._save("save (before the cold gradebook)")
            self._get(f"{self.desk['gradebook']}?sort=bench-{next(_fresh)}", "gradebook, cold")
        elif SCENARIO == "save":
            self._save("save a score")
        else:
            raise StopUser()
