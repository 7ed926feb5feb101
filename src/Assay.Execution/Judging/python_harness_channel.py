# Python harness, part: the judge's end of the pipes to the worker process (start, send, receive, kill).


class WorkerDied(Exception):
    def __init__(self, how):
        super().__init__(how)
        self.how = how


class WorkerTimeout(Exception):
    pass


class Worker:
    """The candidate's process, spoken to over two pipes."""

    def __init__(self):
        import subprocess
        # A fixed hash seed: the order of a set of strings is then the same in every run, so a candidate that
        # depends on it gets the same verdict every time (the environment is given whole, so honouring it is safe).
        flags = ["-s", "-P"] if sys.version_info >= (3, 11) else ["-s"]
        environment = {"PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                       "HOME": os.environ.get("HOME", "/tmp"), "LANG": os.environ.get("LANG", "C.UTF-8")}
        self.process = subprocess.Popen([sys.executable] + flags + [os.path.abspath(__file__), "--worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        close_fds=True, env=environment)
        self.buffer = b""
        self.seq = 0

    def ask(self, request, wall):
        return self.receive(wall, self.send(request))

    def send(self, request):
        return self.send_many([request])[-1]

    def send_many(self, requests):
        """Sends requests in one write (on this kind of machine a pipe write that wakes the other process costs
        more than a HumanEval-sized call); returns their sequence numbers. Every request carries one, and a
        reply to an earlier or abandoned request is skipped by receive()."""
        seqs, lines = [], []
        for request in requests:
            self.seq += 1
            request["seq"] = self.seq
            seqs.append(self.seq)
            lines.append(json.dumps(request))
        try:
            self.process.stdin.write(("\n".join(lines) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerDied(self._how())
        return seqs

    def receive(self, wall, seq=None):
        """The next reply line to request `seq` (default: the last one sent)."""
        target = self.seq if seq is None else seq
        deadline = time.monotonic() + wall
        fd = self.process.stdout.fileno()
        while True:
            if b"\n" not in self.buffer:
                # Only each new chunk is searched, and the chunks are joined once: appending each to the buffer and
                # searching all of it again is quadratic in the length of a line (a large reply).
                parts = [self.buffer]
                try:
                    while True:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            raise WorkerTimeout()
                        ready, _, _ = select.select([fd], [], [], left)
                        if not ready:
                            continue
                        chunk = os.read(fd, 1 << 20)
                        if not chunk:
                            raise WorkerDied(self._how())
                        parts.append(chunk)
                        if b"\n" in chunk:
                            break
                finally:
                    self.buffer = b"".join(parts)
            line, _, self.buffer = self.buffer.partition(b"\n")
            answer = json.loads(line)
            if answer.get("seq") == target:
                return answer

    def _how(self):
        try:
            try:
                code = self.process.wait(timeout=2)
            except AssayTimeout:
                # The judge's wall-clock timer went off while the worker, already gone (its pipe closed), was being
                # reaped -- an OOM kill of a large process takes a while: how it died decides, not the timer.
                code = self.process.wait(timeout=2)
        except Exception:  # noqa: BLE001
            self.kill()
            return "did not exit"
        return ("signal %d" % -code) if code < 0 else ("exit code %d" % code)

    def kill(self):
        try:
            self.process.kill()
            self.process.wait(timeout=2)
        except Exception:  # noqa: BLE001
            pass
