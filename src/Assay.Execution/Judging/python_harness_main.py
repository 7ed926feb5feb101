# Python harness, part: entry points (last, so that everything above is defined): the judge reads the batch
# and writes one record per item; with --worker this file runs as the worker instead.


def judge_main():
    results = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace")
    devnull = os.open(os.devnull, os.O_RDWR)
    # The worker starts while the items are read: an interpreter start is the costliest step of a small batch.
    early = Worker()
    raw = sys.stdin.buffer.read()
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    lines = raw.decode("utf-8").split("\n")
    header = json.loads(lines[0])
    nonce = header["nonce"]
    signal.signal(signal.SIGALRM, _on_timer)
    judge = Judge(bool(header.get("isolated")))
    judge.worker, judge.unused = early, True
    count = 0
    flushed = time.monotonic()
    for line in lines[1:]:
        if not line.strip():
            continue
        item = json.loads(line)
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
        record["nonce"] = nonce
        results.write(json.dumps(record, separators=(",", ":")) + "\n")
        # Written out now and then rather than per record (each write wakes the supervisor); records still
        # buffered when the sandbox is stopped are judged again, alone.
        if time.monotonic() - flushed >= 0.05:
            results.flush()
            flushed = time.monotonic()
        count += 1
    if judge.worker is not None:
        judge.worker.kill()
    results.write(json.dumps({"done": count, "nonce": nonce}) + "\n")
    results.flush()
    os._exit(0)


# The builtins as they were before any candidate ran: test code always runs with a copy of these.
_PRISTINE_BUILTINS = dict(builtins.__dict__)

if len(sys.argv) > 1 and sys.argv[1] == "--worker":
    worker_main()
else:
    judge_main()
