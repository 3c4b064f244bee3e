"""Submissions under faults: how many end well by themselves, and what a failure leaves behind.

The local farm runs with chaos (by default the issue's mix: 10 % of requests dropped, 10 %
answered HTTP 500, 10 % slow, 5 % garbled), seeded, so a run is repeatable. Each of ``--runs``
submissions sends its own copy of the example scene (its own folder, its own label); when one
fails, the "artist" does what the product tells them: `submit --resume` when there is an
interrupted submission of that scene, else submit again, at most ``--actions`` times. Then,
with chaos off, the farm is inspected:

- ended with no action / after one action / after more / still failed;
- duplicates: submitted tasks beyond one per scene;
- tasks rendering another scene: a submitted task whose task files are not of the scene whose
  submission claims it (or that no submission claims);
- empty tasks left: tasks created and never submitted nor deleted.

It also prints the requests a clean submission costs (chaos off). ``--backoff`` shortens the
client's retry delays (the number of retries, the product's default, is what decides the
outcome; the delay only decides how long it takes).

    python benchmarks/bench_chaos.py [--runs 20] [--seed 1] [--chaos SPEC] [--profile v1]
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

DEFAULT_CHAOS = "drop=0.1,error500=0.1,slow=0.1,garble=0.05,delay=0.5"


class CountingSession:
    """A requests.Session that counts the requests it sends."""

    def __init__(self):
        import requests

        self.inner = requests.Session()
        self.count = 0

    def request(self, *args, **kwargs):
        self.count += 1
        return self.inner.request(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _journal_of(label, journal_dir):
    from renderbus_dcc.journal import list_journals

    mine = [j for j in list_journals(journal_dir) if (j.data.get("options") or {}).get("label") == label]
    unfinished = [j for j in mine if not j.finished]
    return unfinished[-1] if unfinished else None


def _submit(scene, client, label, journal_dir):
    from renderbus_dcc.submission import SubmitOptions, submit

    return submit(scene, client, SubmitOptions(label=label), confirm=lambda report: True, journal_dir=journal_dir)


def run_one(scene, client, label, journal_dir, max_actions):
    """(actions taken, result or None, last error text)."""
    from renderbus_dcc.errors import RenderbusError
    from renderbus_dcc.submission import resume

    actions = 0
    error = ""
    try:
        return actions, _submit(scene, client, label, journal_dir), ""
    except RenderbusError as exc:
        error = "%s: %s" % (type(exc).__name__, exc)
    while actions < max_actions:
        actions += 1
        journal = _journal_of(label, journal_dir)
        try:
            if journal is not None:
                return actions, resume(client, journal.id, journal_dir=journal_dir), ""
            return actions, _submit(scene, client, label, journal_dir), ""
        except RenderbusError as exc:
            error = "%s: %s" % (type(exc).__name__, exc)
    return actions, None, error


def inspect(farm, client, runs):
    """duplicates, tasks rendering another scene, empty tasks left."""
    bid = client.get_transfer_bid().config_bid
    rows = farm._require_db().all("SELECT id, submitted, deleted FROM tasks WHERE parent_id = 0")
    submitted = [r["id"] for r in rows if r["submitted"] and not r["deleted"]]
    empty = [r["id"] for r in rows if not r["submitted"] and not r["deleted"]]
    scene_of_task = {}
    for task_id in submitted:
        path = farm.uploaded_path(bid, "/%d/cfg/task.json" % task_id)
        task_info = json.loads(path.read_text(encoding="utf-8"))["task_info"]
        scene_of_task[task_id] = task_info["project_name"]
    per_scene = {}
    for task_id, label in scene_of_task.items():
        per_scene.setdefault(label, []).append(task_id)
    duplicates = sum(len(ids) - 1 for ids in per_scene.values())
    claimed = {run["result"].task_id: run["label"] for run in runs if run["result"] is not None}
    wrong = [t for t, label in scene_of_task.items() if claimed.get(t) not in (None, label)]
    wrong += [t for t, label in claimed.items() if t not in scene_of_task]  # claimed but never submitted
    return duplicates, wrong, empty


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chaos", default=DEFAULT_CHAOS)
    parser.add_argument("--actions", type=int, default=3, help="resumes (or new submits) an artist tries")
    parser.add_argument("--profile", default="v1", choices=("v1", "v2"))
    parser.add_argument("--backoff", type=float, default=0.02, help="first retry delay of the client (s)")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per submission")
    args = parser.parse_args()

    from renderbus_dcc.cli.submit import load_scene
    from renderbus_dcc.examples import example_dir
    from renderbus_dcc.farm import LocalFarm

    os.environ.setdefault("RENDERBUS_KEYRING", "0")
    with tempfile.TemporaryDirectory(prefix="bench-chaos-") as tmp:
        os.environ["RENDERBUS_DATA_DIR"] = os.path.join(tmp, "data")
        scenes = []
        for i in range(args.runs + 1):
            folder = os.path.join(tmp, "run%02d" % i)
            shutil.copytree(str(example_dir("maya_arnold")), folder)
            scenes.append(load_scene(os.path.join(folder, "scene.json")))
        journal_dir = os.path.join(tmp, "journal")
        with LocalFarm(data_dir=os.path.join(tmp, "farm"), speed=50, seed=args.seed) as farm:
            session = CountingSession()
            clean = farm.client(args.profile, session=session, backoff=args.backoff)
            _submit(scenes[-1], clean, "clean", journal_dir)
            clean_requests = session.count
            farm.set_chaos(args.chaos)
            client = farm.client(args.profile, backoff=args.backoff)
            runs = []
            started = time.perf_counter()
            for i in range(args.runs):
                label = "run%02d" % i
                actions, result, error = run_one(scenes[i], client, label, journal_dir, args.actions)
                runs.append({"label": label, "actions": actions, "result": result, "error": error})
                if args.verbose:
                    print("%s  actions %d  %s" % (label, actions,
                                                  "task %d" % result.task_id if result else "FAILED " + error))
            elapsed = time.perf_counter() - started
            faults = len(farm.chaos.log)
            lost_creates = sum(1 for _, path, fault in farm.chaos.log
                               if path.endswith("createTask") and fault in ("garble", "lost"))
            from renderbus_dcc.journal import list_journals

            recovered = sum(1 for j in list_journals(journal_dir) if j.data.get("recovered"))
            farm.set_chaos(None)
            duplicates, wrong, empty = inspect(farm, farm.client(args.profile), runs)

    n = len(runs)
    at_once = sum(1 for r in runs if r["result"] and r["actions"] == 0)
    one = sum(1 for r in runs if r["result"] and r["actions"] == 1)
    more = sum(1 for r in runs if r["result"] and r["actions"] > 1)
    failed = [r for r in runs if r["result"] is None]
    print("chaos %s, seed %d, profile %s, %d submissions of the example scene (%d faults met, %.0f s)"
          % (args.chaos, args.seed, args.profile, n, faults, elapsed))
    print("  ended with no action:        %d" % at_once)
    print("  ended after one resume:      %d   (at most one: %d)" % (one, at_once + one))
    print("  ended after 2-%d actions:     %d" % (args.actions, more))
    print("  still failed after %d:        %d" % (args.actions, len(failed)))
    print("  duplicates:                  %d" % duplicates)
    print("  tasks rendering another scene: %d" % len(wrong))
    print("  empty tasks left:            %d" % len(empty))
    print("  createTask answers lost: %d (tasks recovered from them: %d)" % (lost_creates, recovered))
    print("requests a clean submission costs: %d" % clean_requests)
    for r in failed:
        print("  failed %s: %s" % (r["label"], r["error"][:200]))


if __name__ == "__main__":
    main()
