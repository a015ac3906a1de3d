# Runs a command in a pseudo-terminal (stdin, stdout and stderr a TTY, as at a person's terminal),
# answers its first "[y/N]" question with argv[1], and prints what the terminal showed. Exits with
# the command's exit code. For the CLI's confirmations (test/check/reviewCli.test.ts).
# With TERMINAL_GATE (a folder), it writes `asked` there when the question shows and answers only
# once `go` exists: the test changes something between the question and the answer.
import os
import pty
import select
import sys
import time

answer = sys.argv[1].encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
shown = b""
answered = False
while True:
    ready, _, _ = select.select([fd], [], [], 60)
    if not ready:
        break
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    shown += data
    if not answered and b"[y/N]" in shown:
        gate = os.environ.get("TERMINAL_GATE")
        if gate:
            open(os.path.join(gate, "asked"), "w").close()
            while not os.path.exists(os.path.join(gate, "go")):
                time.sleep(0.05)
        os.write(fd, answer)
        answered = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(os.waitstatus_to_exitcode(status))
