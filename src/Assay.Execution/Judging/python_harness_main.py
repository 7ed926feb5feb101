# Python harness, part: entry points (last, so that everything above is defined): the judge reads the batch
# and writes one record per item; with --worker this file runs as the worker instead.


def judge_main():
    results = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace")
    devnull = os.open(os.devnull, os.O_RDWR)
    # The fork server starts while the items are read (an interpreter start is the costliest step of a small
    # batch), and before: it must hold nothing of them.
    server = ForkServer.start()
    raw = sys.stdin.buffer.read()
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    lines = raw.decode("utf-8").split("\n")
    header = json.loads(lines[0])
    nonce = header["nonce"]
    signal.signal(signal.SIGALRM, _on_timer)
    judge = Judge(bool(header.get("isolated")), server)
    judge.worker, judge.unused = Worker(server), True
    count = 0
    channel = _Channel(results, nonce)
    for line in lines[1:]:
        if not line.strip():
            continue
        item = json.loads(line)
        # Tells Assay the previous item is over (its record is then trusted and answered while the batch goes on).
        channel.write({"begin": item["id"]})
        judge.in_process = False
        try:
            record = judge.judge(item)
        except Exception as e:  # noqa: BLE001 - a fault of the harness itself, reported as such
            import traceback
            record = {"id": item["id"], "status": "harness_error", "error": _describe(e),
                      "traceback": traceback.format_exc()[-2000:]}
            if judge.worker is not None:
                judge.worker.kill()
                judge.worker = None
        if judge.in_process:
            record["in_process"] = True
        channel.write(record)
        count += 1
    if judge.worker is not None:
        judge.worker.kill()
    if server is not None:
        server.close()
    channel.write({"done": count}, flush=True)
    os._exit(0)


class _Channel:
    """The results channel. Records are written out at most 50 ms after they are made, by a thread of the judge's
    own, rather than one write each (each write wakes the supervisor and Assay); records still buffered when the
    sandbox is stopped are judged again, alone."""

    def __init__(self, stream, nonce):
        self.stream, self.nonce = stream, nonce
        self.lock = threading.Lock()
        self.dirty = False
        threading.Thread(target=self._flush_now_and_then, daemon=True).start()

    def write(self, record, flush=False):
        record["nonce"] = self.nonce
        line = json.dumps(record, separators=(",", ":")) + "\n"
        with self.lock:
            self.stream.write(line)
            self.dirty = True
            if flush:
                self.stream.flush()
                self.dirty = False

    def _flush_now_and_then(self):
        while True:
            time.sleep(0.05)
            with self.lock:
                if self.dirty:
                    self.stream.flush()
                    self.dirty = False


# The builtins as they were before any candidate ran: test code always runs with a copy of these.
_PRISTINE_BUILTINS = dict(builtins.__dict__)

if len(sys.argv) > 1 and sys.argv[1] == "--worker":
    worker_main()
elif len(sys.argv) > 1 and sys.argv[1] == "--fork-server":
    fork_server_main()
else:
    judge_main()
