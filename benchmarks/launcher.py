"""Start benchmarked processes from a small process, so their peak memory is their own.

On Linux a child's peak resident memory (ru_maxrss) starts from the memory of the process that
started it, which for the benchmark holds 100,000 generated items. This launcher is started
first, while small, and runs each command for the benchmark: one JSON request per line on stdin
({"argv", "env", "log"}), one JSON reply per line on stdout ({"seconds", "peak", "code"}).
"""

import json
import os
import sys
import time


def run(argv: list[str], env: dict[str, str], log: str) -> dict:
    """Run one command, output discarded and stderr kept in `log`; its wall time, peak memory, exit status."""
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return {"seconds": seconds, "peak": peak, "code": os.waitstatus_to_exitcode(status)}


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        print(json.dumps(run(request["argv"], request["env"], request["log"])), flush=True)


if __name__ == "__main__":
    main()
