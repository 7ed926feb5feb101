"""HTTP clients for `assay serve`: standard library only (urllib, threading, asyncio).

Both clients cap the requests in flight, split large batches into chunks sent side by side, retry on
429/503/504 and on connection failures (waiting the server's Retry-After when it gives one), and report an
item they could not get judged as ``{"score": None, "infra_error": True, ...}``: an infrastructure failure
is never turned into a zero reward.
"""
import asyncio
import json
import random
import threading
import time
import urllib.error
import urllib.request
import weakref
from concurrent.futures import ThreadPoolExecutor

RETRY_STATUSES = (429, 503, 504)


class AssayRequestError(ValueError):
    """The server refused the request as malformed (HTTP 400/413/415/422): a bug in the caller, not a reward."""

    def __init__(self, status, message):
        super().__init__("assay serve answered %d: %s" % (status, message))
        self.status = status


class _Unavailable(Exception):
    """Every try failed for the server's or the network's reasons."""


def infra_result(item, why):
    """The result of an item that could not be judged: no score."""
    return {"id": item.get("id"), "score": None, "passed": 0, "total": 0, "status": "client_error",
            "infra_error": True, "error": why, "tests": None}


class AssayClient:
    """Synchronous client. Thread-safe; one instance can serve a whole trainer process."""

    def __init__(self, url="http://127.0.0.1:8080", max_in_flight=32, timeout=300.0, retries=8,
                 backoff=0.5, max_backoff=30.0, chunk_size=256):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.chunk_size = max(1, chunk_size)
        self.max_in_flight = max(1, max_in_flight)
        self._slots = threading.BoundedSemaphore(self.max_in_flight)
        self._pool = ThreadPoolExecutor(max_workers=self.max_in_flight, thread_name_prefix="assay")

    # -- transport -------------------------------------------------------------------------------
    def _send_once(self, method, path, body):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers or {}), e.read()

    def _delay(self, attempt, headers):
        retry_after = {k.lower(): v for k, v in headers.items()}.get("retry-after")
        if retry_after is not None:
            try:
                return min(float(retry_after), self.max_backoff) + random.uniform(0, 0.25)
            except ValueError:
                pass
        return min(self.backoff * (2 ** attempt), self.max_backoff) * random.uniform(0.5, 1.0)

    def request(self, method, path, body=None):
        """One call with retries: the decoded JSON answer, AssayRequestError on a 4xx, _Unavailable when every try failed."""
        last = "no attempt"
        for attempt in range(self.retries + 1):
            headers = {}
            with self._slots:
                try:
                    status, headers, raw = self._send_once(method, path, body)
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
                    status, raw, last = None, b"", "connection failed: %s" % (e,)
            if status is not None:
                if 200 <= status < 300:
                    return json.loads(raw.decode("utf-8"))
                message = _error_text(raw)
                if status not in RETRY_STATUSES and status < 500:
                    raise AssayRequestError(status, message)
                last = "HTTP %d: %s" % (status, message)
            if attempt < self.retries:
                time.sleep(self._delay(attempt, headers))
        raise _Unavailable(last)

    # -- API ---------------------------------------------------------------------------------------
    def score(self, items, preset=None, time_limit_s=None, deadline_s=None, details=False):
        """Scores native items (dicts: completion or code, tests, language, preset, id...); one result per item, in order."""
        items = list(items)
        chunks = [items[i:i + self.chunk_size] for i in range(0, len(items), self.chunk_size)]
        futures = [self._pool.submit(self._score_chunk, chunk, preset, time_limit_s, deadline_s, details) for chunk in chunks]
        results = []
        for future in futures:
            results.extend(future.result())
        return results

    def _score_chunk(self, chunk, preset, time_limit_s, deadline_s, details):
        body = _score_body(chunk, preset, time_limit_s, deadline_s, details)
        try:
            return self.request("POST", "/v1/score", body)["results"]
        except _Unavailable as e:
            return [infra_result(item, str(e)) for item in chunk]

    def run_code(self, code, language="python", stdin=None, run_timeout=10.0, memory_limit_mb=-1):
        """SandboxFusion's /run_code; None when the server could not be reached."""
        body = {"code": code, "language": language, "stdin": stdin, "run_timeout": run_timeout, "memory_limit_MB": memory_limit_mb}
        try:
            return self.request("POST", "/run_code", body)
        except _Unavailable:
            return None

    def health(self):
        try:
            return self.request("GET", "/health")
        except _Unavailable:
            return None

    def close(self):
        self._pool.shutdown(wait=False)


class AsyncAssayClient:
    """asyncio client: the same calls as coroutines; HTTP runs in worker threads, at most max_in_flight at once."""

    def __init__(self, url="http://127.0.0.1:8080", max_in_flight=32, **kwargs):
        self.sync = AssayClient(url, max_in_flight=max_in_flight, **kwargs)
        self.max_in_flight = self.sync.max_in_flight
        self._semaphores = weakref.WeakKeyDictionary()

    def _semaphore(self):
        # asyncio primitives belong to one event loop; trainers may run several (asyncio.run per call, one per worker).
        loop = asyncio.get_running_loop()
        if loop not in self._semaphores:
            self._semaphores[loop] = asyncio.Semaphore(self.max_in_flight)
        return self._semaphores[loop]

    async def _call(self, fn, *args):
        async with self._semaphore():
            return await asyncio.get_running_loop().run_in_executor(self.sync._pool, fn, *args)

    async def score(self, items, preset=None, time_limit_s=None, deadline_s=None, details=False):
        items = list(items)
        size = self.sync.chunk_size
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        parts = await asyncio.gather(*(self._call(self.sync._score_chunk, c, preset, time_limit_s, deadline_s, details) for c in chunks))
        return [result for part in parts for result in part]

    async def run_code(self, code, language="python", stdin=None, run_timeout=10.0, memory_limit_mb=-1):
        return await self._call(self.sync.run_code, code, language, stdin, run_timeout, memory_limit_mb)

    async def health(self):
        return await self._call(self.sync.health)


def _score_body(items, preset, time_limit_s, deadline_s, details):
    body = {"items": items, "details": bool(details)}
    if preset is not None:
        body["preset"] = preset
    if time_limit_s is not None:
        body["limits"] = {"time_limit_s": time_limit_s}
    if deadline_s is not None:
        body["deadline_s"] = deadline_s
    return body


def _error_text(raw):
    try:
        return json.loads(raw.decode("utf-8")).get("error", "")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return raw[:200].decode("utf-8", "replace")
