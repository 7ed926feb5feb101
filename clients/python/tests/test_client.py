"""Tests of the Python client against a real `assay serve` on loopback (and a tiny stub server for retries).

The server is started with $ASSAY_CMD (default: the repository's ./assay) plus `serve --port 0`."""
import asyncio
import http.server
import json
import os
import re
import shlex
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from assay_client import (AssayClient, AssayRequestError, AsyncAssayClient, compute_score,  # noqa: E402
                          compute_score_async, compute_score_batch, make_code_reward, reward_func)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ADD_TESTS = json.dumps({"assert_case": ["assert add(1, 2) == 3", "assert add(2, 2) == 4"]})
RIGHT = "Sure:\n```python\ndef add(a, b):\n    return a + b\n```\n"
HALF = "```python\ndef add(a, b):\n    return 4\n```"


def start_server():
    command = shlex.split(os.environ.get("ASSAY_CMD", os.path.join(ROOT, "assay"))) + ["serve", "--port", "0", "-j", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300  # ./assay may build the CLI first
    lines = []
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, match.group(1)
    process.kill()
    raise RuntimeError("assay serve did not start:\n" + "".join(lines))


class _Stub(http.server.BaseHTTPRequestHandler):
    """Answers from a script of (status, body, headers); records how many requests arrived and how many at once."""
    script = []
    calls = 0
    active = 0
    peak = 0
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with _Stub.lock:
            _Stub.calls += 1
            _Stub.active += 1
            _Stub.peak = max(_Stub.peak, _Stub.active)
            index = min(_Stub.calls - 1, len(_Stub.script) - 1)
        time.sleep(0.05)
        status, body, headers = _Stub.script[index]
        data = json.dumps(body).encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        with _Stub.lock:
            _Stub.active -= 1

    def log_message(self, *args):
        pass


def stub(script):
    _Stub.script, _Stub.calls, _Stub.active, _Stub.peak = script, 0, 0, 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


OK_BODY = {"results": [{"id": None, "score": 1.0, "passed": 1, "total": 1, "status": "ok", "infra_error": False, "error": None, "tests": None}]}


class TransportTests(unittest.TestCase):
    """Retries, back-pressure and concurrency, against a stub server."""

    def test_retries_429_and_503_then_returns_the_answer(self):
        server, url = stub([(429, {"error": "queue is full"}, {"Retry-After": "0"}), (503, {"error": "draining"}, {}), (200, OK_BODY, {})])
        try:
            client = AssayClient(url, retries=3, backoff=0.01)
            results = client.score([{"code": "x", "tests": ADD_TESTS}])
            self.assertEqual(3, _Stub.calls)
            self.assertEqual(1.0, results[0]["score"])
        finally:
            server.shutdown()
            server.server_close()

    def test_gives_none_not_zero_when_every_try_fails(self):
        server, url = stub([(504, {"error": "no sandbox"}, {})])
        try:
            results = AssayClient(url, retries=2, backoff=0.01).score([{"id": "a", "code": "x", "tests": ADD_TESTS}])
            self.assertEqual(3, _Stub.calls)
            self.assertIsNone(results[0]["score"])
            self.assertTrue(results[0]["infra_error"])
            self.assertIn("504", results[0]["error"])
        finally:
            server.shutdown()
            server.server_close()

    def test_a_malformed_request_raises_instead_of_scoring(self):
        server, url = stub([(400, {"error": "items[0]: missing completion"}, {})])
        try:
            with self.assertRaises(AssayRequestError) as caught:
                AssayClient(url, retries=3).score([{"tests": ADD_TESTS}])
            self.assertEqual(1, _Stub.calls)
            self.assertIn("missing completion", str(caught.exception))
        finally:
            server.shutdown()
            server.server_close()

    def test_unreachable_server_gives_none(self):
        results = AssayClient("http://127.0.0.1:9", retries=1, backoff=0.01, timeout=2).score([{"code": "x", "tests": ADD_TESTS}])
        self.assertIsNone(results[0]["score"])
        reward = make_code_reward(url="http://127.0.0.1:9", asynchronous=False, tests_column="tests", retries=1)
        self.assertEqual([None], reward(prompts=["p"], completions=[RIGHT], tests=[ADD_TESTS]))

    def test_caps_requests_in_flight(self):
        server, url = stub([(200, OK_BODY, {})])
        try:
            client = AsyncAssayClient(url, max_in_flight=3, chunk_size=1)

            async def many():
                return await asyncio.gather(*(client.score([{"code": "x", "tests": ADD_TESTS}]) for _ in range(12)))

            results = asyncio.run(many())
            self.assertEqual(12, len(results))
            self.assertEqual(12, _Stub.calls)
            self.assertLessEqual(_Stub.peak, 3)
            self.assertGreaterEqual(_Stub.peak, 2)
        finally:
            server.shutdown()
            server.server_close()


class LiveServerTests(unittest.TestCase):
    """The client and the reward functions against a real `assay serve`."""

    @classmethod
    def setUpClass(cls):
        cls.process, cls.url = start_server()

    @classmethod
    def tearDownClass(cls):
        cls.process.terminate()
        cls.process.wait(timeout=90)
        cls.process.stdout.close()

    def test_sync_and_async_clients_score_in_order(self):
        items = [{"id": "right", "completion": RIGHT, "tests": ADD_TESTS}, {"id": "half", "completion": HALF, "tests": ADD_TESTS},
                 {"id": "none", "completion": "no code", "tests": ADD_TESTS, "preset": "verl"}]
        results = AssayClient(self.url, chunk_size=2).score(items)
        self.assertEqual(["right", "half", "none"], [r["id"] for r in results])
        self.assertEqual([1.0, 0.5, 0.0], [r["score"] for r in results])
        self.assertEqual("no_code", results[2]["status"])
        again = asyncio.run(AsyncAssayClient(self.url).score(items))
        self.assertEqual([r["score"] for r in results], [r["score"] for r in again])
        with self.assertRaises(AssayRequestError):
            AssayClient(self.url).score([{"completion": RIGHT, "tests": ADD_TESTS, "preset": "nonsense"}])

    def test_verl_functions(self):
        single = compute_score("apps", RIGHT, ADD_TESTS, url=self.url)
        self.assertEqual({"score", "acc", "pass_rate", "status", "infra_error"}, set(single))
        self.assertEqual((1.0, True, False), (single["score"], single["acc"], single["infra_error"]))
        self.assertEqual(0.5, compute_score("apps", HALF, ADD_TESTS, url=self.url, return_float=True))
        self.assertEqual(0.0, asyncio.run(compute_score_async("apps", "no code block", ADD_TESTS, url=self.url))["score"])
        batch = compute_score_batch(["apps"] * 3, [RIGHT, HALF, RIGHT], [ADD_TESTS] * 3, [None] * 3, url=self.url)
        self.assertEqual([1.0, 0.5, 1.0], [b["score"] for b in batch])
        down = compute_score("apps", RIGHT, ADD_TESTS, url="http://127.0.0.1:9", infra_score=None, retries=1)
        self.assertIsNone(down["score"])
        self.assertTrue(down["infra_error"])

    def test_trl_reward_with_conversational_completions(self):
        reward = make_code_reward(url=self.url, tests_column="verification_info", preset="openr1_code")
        completions = [[{"role": "assistant", "content": RIGHT}], [{"role": "assistant", "content": HALF}]]
        scores = asyncio.run(reward(prompts=["p", "p"], completions=completions, verification_info=[ADD_TESTS, ADD_TESTS]))
        self.assertEqual([1.0, 0.5], scores)
        self.assertEqual("code_reward", reward.__name__)
        binary = make_code_reward(url=self.url, preset="openr1_binary", asynchronous=False)
        self.assertEqual([1.0, 0.0], binary(prompts=["p", "p"], completions=[RIGHT, HALF], verification_info=[ADD_TESTS, ADD_TESTS]))

    def test_openrlhf_reward_func(self):
        prompt = "Q: write add\n"
        out = reward_func([prompt + RIGHT, prompt + HALF], [prompt, prompt], [ADD_TESTS, ADD_TESTS], url=self.url)
        self.assertEqual([1.0, 0.5], [float(x) for x in out["rewards"]])
        self.assertEqual([1.0, 0.5], [float(x) for x in out["extra_logs"]["pass_rate"]])

    def test_run_code(self):
        answer = AssayClient(self.url).run_code("print(int(input()) + 1)", stdin="41")
        self.assertEqual("Success", answer["status"])
        self.assertEqual("42\n", answer["run_result"]["stdout"])


if __name__ == "__main__":
    unittest.main()
