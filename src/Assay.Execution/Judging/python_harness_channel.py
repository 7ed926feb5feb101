# Python harness, part: the judge's end of the pipes to the worker process (start, send, receive, kill).


class WorkerDied(Exception):
    def __init__(self, how):
        super().__init__(how)
        self.how = how


class WorkerTimeout(Exception):
    pass


def _interpreter(mode):
    """The command and environment that start this harness as another process (the worker, the fork server)."""
    # A fixed hash seed: the order of a set of strings is then the same in every run, so a candidate that
    # depends on it gets the same verdict every time (the environment is given whole, so honouring it is safe).
    flags = ["-s", "-P"] if sys.version_info >= (3, 11) else ["-s"]
    environment = {"PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                   "HOME": os.environ.get("HOME", "/tmp"), "LANG": os.environ.get("LANG", "C.UTF-8")}
    return [sys.executable] + flags + [os.path.abspath(__file__), mode], environment


class ForkServer:
    """Starts workers by forking them. A worker started as a new interpreter costs ~40 ms of CPU here (the
    interpreter, compiling this harness, importing json and the rest), paid again after every candidate that timed
    out or tampered -- ~3 s of the ~25 s the harness spends on CodeT's HumanEval samples. The fork server is a
    process started as a worker would be, before the judge reads any item (it holds nothing of the batch), set up
    as a worker is, that never runs a candidate: each worker forked from it (~1.5 ms) starts from that clean state.
    It is also the workers' parent, so it reports how one ended (signal 9: the memory limit). When it is gone (a
    candidate may kill its parent), workers are started as new interpreters again."""

    @staticmethod
    def start():
        """A fork server, or None where this Python cannot pass a pipe to another process (before 3.9)."""
        import socket
        if not hasattr(socket, "send_fds"):
            return None
        # Workers are the fork server's children; should it go (a candidate can kill its parent), they are handed
        # to the judge instead of the sandbox's init, so that the judge can still learn how one ended.
        try:
            import ctypes
            if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
                return None
        except (OSError, AttributeError):
            return None
        return ForkServer()

    def __init__(self):
        import socket, subprocess
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        command, environment = _interpreter("--fork-server")
        try:
            self.process = subprocess.Popen(command, stdin=theirs, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            close_fds=True, env=environment)
        finally:
            theirs.close()
        self.sock = ours
        self.alive = True
        self.pending = b""

    def fork(self):
        """A new worker as (pid, the fd its requests are written to, the fd its replies are read from), or None
        when the fork server is gone."""
        if not self.alive:
            return None
        import socket
        requests_read, requests_write = os.pipe()
        replies_read, replies_write = os.pipe()
        try:
            socket.send_fds(self.sock, [b"fork\n"], [requests_read, replies_write])
            return int(self._reply(10)), requests_write, replies_read
        except BaseException as e:
            # Gone, or interrupted mid-request (the judge's timer): its answers can no longer be matched up.
            self.close()
            os.close(requests_write)
            os.close(replies_read)
            if not isinstance(e, Exception):
                raise
            return None
        finally:
            os.close(requests_read)
            os.close(replies_write)

    def wait(self, pid, timeout):
        """Reaps a worker it forked: its exit code (negative: the signal that ended it), as subprocess reports one;
        None when the fork server is gone (the worker is then the judge's to reap)."""
        if not self.alive:
            return None
        try:
            self.sock.sendall(b"wait %d\n" % pid)
            answer = self._reply(timeout)
            code = None if answer == b"?" else int(answer)
        except BaseException as e:
            self.close()
            if not isinstance(e, Exception):
                raise
            return None
        if code is None:
            raise ChildProcessError("worker %d is not the fork server's" % pid)
        return code

    def _reply(self, timeout):
        self.sock.settimeout(timeout)
        while b"\n" not in self.pending:
            chunk = self.sock.recv(64)
            if not chunk:
                raise OSError("the fork server is gone")
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        return line

    def close(self):
        if self.alive:
            self.alive = False
            self.sock.close()
            try:
                self.process.kill()
                self.process.wait(timeout=2)
            except Exception:  # noqa: BLE001
                pass


class Worker:
    """The candidate's process, spoken to over two pipes: forked by the fork server, or a new interpreter."""

    def __init__(self, server=None):
        spawned = server.fork() if server is not None else None
        if spawned is not None:
            self.server, self.process = server, None
            self.pid, self.requests_fd, self.replies_fd = spawned
        else:
            import subprocess
            command, environment = _interpreter("--worker")
            self.server = None
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, close_fds=True, env=environment)
            self.pid, self.requests_fd, self.replies_fd = self.process.pid, self.process.stdin.fileno(), self.process.stdout.fileno()
        self.buffer = b""
        self.seq = 0
        self.code = None

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
        data = memoryview(("\n".join(lines) + "\n").encode())
        try:
            while data:
                data = data[os.write(self.requests_fd, data):]
        except OSError:
            raise WorkerDied(self._how())
        return seqs

    def receive(self, wall, seq=None):
        """The next reply line to request `seq` (default: the last one sent)."""
        target = self.seq if seq is None else seq
        deadline = time.monotonic() + wall
        fd = self.replies_fd
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

    def _wait(self, timeout):
        """Reaps the worker (once: a pid reaped may be reused, by the next worker even)."""
        if self.code is None:
            if self.server is None:
                self.code = self.process.wait(timeout=timeout)
            else:
                code = self.server.wait(self.pid, timeout)
                self.code = code if code is not None else self._reap_orphan(timeout)
        return self.code

    def _reap_orphan(self, timeout):
        """A forked worker whose fork server is gone has been handed to the judge (a child subreaper, see
        ForkServer.start): reaped here, its exit code still says how it ended."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                pid = 0  # not handed over yet: the fork server is still going
            if pid == self.pid:
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() > deadline:
                raise ChildProcessError("worker %d did not exit" % self.pid)
            time.sleep(0.005)

    def _how(self):
        try:
            try:
                code = self._wait(2)
            except AssayTimeout:
                # The judge's wall-clock timer went off while the worker, already gone (its pipe closed), was being
                # reaped -- an OOM kill of a large process takes a while: how it died decides, not the timer.
                code = self._wait(2)
        except Exception:  # noqa: BLE001
            self.kill()
            return "did not exit"
        self._close()
        return ("signal %d" % -code) if code < 0 else ("exit code %d" % code)

    def kill(self):
        if self.code is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            self._wait(2)
        except Exception:  # noqa: BLE001
            pass
        self._close()

    def _close(self):
        # A new interpreter's pipes belong to its Popen's files (closing the fds under them would let those files
        # close whatever reuses the numbers later).
        ends = (self.process.stdin, self.process.stdout) if self.process is not None else ()
        for end in ends:
            try:
                end.close()
            except OSError:
                pass
        if not ends:
            for fd in (self.requests_fd, self.replies_fd):
                if fd >= 0:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
        self.requests_fd = self.replies_fd = -1
