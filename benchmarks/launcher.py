"""Start benchmarked processes from a small process, so their peak memory is their own.

On Linux a child's peak resident memory (ru_maxrss) starts from the memory of the process that
started it, which for the benchmark holds 100,000 generated items. This launcher is started
first, while small, and runs each command for the benchmark: one JSON request per line on stdin
({"argv", "env", "log", "tty"}), one JSON reply per line on stdout ({"seconds", "peak", "code",
"bytes"}).

A command's output goes to a pipe, or with "tty" to a pseudo-terminal of 120 columns (what a
person at a terminal meets: colour, and the width read from the terminal); the launcher reads it
all as it comes, as a pager or `| cat` would, and counts it. Its errors go to the log file.
"""

import fcntl
import json
import os
import pty
import struct
import sys
import termios
import time

COLUMNS, LINES = 120, 40


def _output_pair(tty: bool) -> tuple[int, int]:
    """The (read end, write end) of what the command writes to: a pipe, or a pseudo-terminal."""
    if not tty:
        return os.pipe()
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    return main, child


def _drain(fd: int) -> int:
    """Read everything written to `fd` until the command's end closes it; the number of bytes."""
    total = 0
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:  # a pseudo-terminal whose other end is closed (EIO on Linux)
            break
        if not chunk:
            break
        total += len(chunk)
    return total


def run(argv: list[str], env: dict[str, str], log: str, tty: bool = False) -> dict:
    """Run one command; its wall time, peak memory, exit status and the size of its output."""
    reader, writer = _output_pair(tty)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, writer, 1),
        (os.POSIX_SPAWN_OPEN, 2, log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_CLOSE, reader),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions, setsid=tty)
    os.close(writer)
    written = _drain(reader)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    os.close(reader)
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return {"seconds": seconds, "peak": peak, "code": os.waitstatus_to_exitcode(status), "bytes": written}


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        reply = run(request["argv"], request["env"], request["log"], request.get("tty", False))
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
