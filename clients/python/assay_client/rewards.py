"""Ready-made reward functions for verl, TRL (and open-r1) and OpenRLHF, backed by `assay serve`.

The server's address comes from the ``url`` argument or the ``ASSAY_URL`` environment variable
(default http://127.0.0.1:8080). A sample the server could not judge (server down, sandbox failure,
deadline) gets None, never 0: TRL ignores None; for verl pass ``infra_score=`` if your reward manager
needs a number.
"""
import json
import os
import threading

from .client import AssayClient, AsyncAssayClient

_clients = {}
_lock = threading.Lock()


def _url(url):
    return url or os.environ.get("ASSAY_URL", "http://127.0.0.1:8080")


def _retries(retries):
    return int(os.environ.get("ASSAY_RETRIES", "8")) if retries is None else retries


def sync_client(url=None, max_in_flight=32, retries=None):
    """One shared client per (address, cap, retries): its cap holds across every call of the process."""
    key = ("sync", _url(url), max_in_flight, _retries(retries))
    with _lock:
        if key not in _clients:
            _clients[key] = AssayClient(_url(url), max_in_flight=max_in_flight, retries=_retries(retries))
        return _clients[key]


def async_client(url=None, max_in_flight=32, retries=None):
    key = ("async", _url(url), max_in_flight, _retries(retries))
    with _lock:
        if key not in _clients:
            _clients[key] = AsyncAssayClient(_url(url), max_in_flight=max_in_flight, retries=_retries(retries))
        return _clients[key]


def _item(solution, tests, language, preset, prompt=None):
    item = {"completion": solution, "tests": tests, "language": language}
    if preset is not None:
        item["preset"] = preset
    if prompt:
        item["prompt"] = prompt
    return item


# -- verl ---------------------------------------------------------------------------------------------
def _verl_result(result, infra_score, return_float):
    score = result["score"] if not result["infra_error"] else infra_score
    if return_float:
        return score
    total = result.get("total") or 0
    # The same keys for every sample: verl builds one list per key across the batch.
    return {"score": score, "acc": bool(result["score"] == 1.0) if score is not None else False,
            "pass_rate": (result["passed"] / total) if total else 0.0, "status": result["status"],
            "infra_error": bool(result["infra_error"])}


def compute_score(data_source, solution_str, ground_truth, extra_info=None, url=None, preset="verl", language="python",
                  time_limit_s=None, infra_score=None, return_float=False, retries=None, **kwargs):
    """verl `custom_reward_function` (one sample). ground_truth: tests in any shape assay accepts, or a JSON string of them.

    Returns {"score", "acc", "pass_rate", "status", "infra_error"}, or the score alone with return_float=True
    (use that under reward_manager=prime, which cannot take dicts)."""
    result = sync_client(url, retries=retries).score([_item(solution_str, ground_truth, language, preset)], time_limit_s=time_limit_s)[0]
    return _verl_result(result, infra_score, return_float)


async def compute_score_async(data_source, solution_str, ground_truth, extra_info=None, url=None, preset="verl", language="python",
                              time_limit_s=None, infra_score=None, return_float=False, retries=None, **kwargs):
    """The same as compute_score, as a coroutine (verl awaits async reward functions)."""
    results = await async_client(url, retries=retries).score([_item(solution_str, ground_truth, language, preset)], time_limit_s=time_limit_s)
    return _verl_result(results[0], infra_score, return_float)


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, url=None, preset="verl", language="python",
                        time_limit_s=None, infra_score=None, return_float=False, retries=None, **kwargs):
    """verl `reward_manager=batch`: one list in, one list out, judged in server-side batches."""
    items = [_item(s, g, language, preset) for s, g in zip(solution_strs, ground_truths)]
    results = sync_client(url, retries=retries).score(items, time_limit_s=time_limit_s)
    return [_verl_result(r, infra_score, return_float) for r in results]


# -- TRL / open-r1 ------------------------------------------------------------------------------------
def _completion_text(completion):
    # Conversational data: a list of messages, the model's answer last.
    if isinstance(completion, list):
        return completion[-1]["content"] if completion else ""
    return completion


def _trl_items(completions, tests_column, kwargs, preset, language):
    tests = kwargs.get(tests_column)
    if tests is None:
        raise KeyError("the dataset has no %r column (pass tests_column=...)" % tests_column)
    items = []
    for completion, spec in zip(completions, tests):
        spec_obj = json.loads(spec) if isinstance(spec, str) else spec
        # open-r1's verification_info names its language.
        lang = language or (spec_obj.get("language") if isinstance(spec_obj, dict) else None) or "python"
        items.append(_item(_completion_text(completion), spec, lang, preset))
    return items


def make_code_reward(url=None, tests_column="verification_info", preset="openr1_code", language=None, time_limit_s=None,
                     asynchronous=True, max_in_flight=32, retries=None):
    """A TRL `reward_funcs` entry: (prompts, completions, **dataset columns) -> list[float | None]."""
    if asynchronous:
        async def code_reward(prompts=None, completions=None, **kwargs):
            items = _trl_items(completions, tests_column, kwargs, preset, language)
            results = await async_client(url, max_in_flight, retries).score(items, time_limit_s=time_limit_s)
            return [None if r["infra_error"] else r["score"] for r in results]
    else:
        def code_reward(prompts=None, completions=None, **kwargs):
            items = _trl_items(completions, tests_column, kwargs, preset, language)
            results = sync_client(url, max_in_flight, retries).score(items, time_limit_s=time_limit_s)
            return [None if r["infra_error"] else r["score"] for r in results]
    code_reward.__name__ = "code_reward" if preset != "openr1_binary" else "binary_code_reward"
    return code_reward


# -- OpenRLHF -----------------------------------------------------------------------------------------
def reward_func(queries, prompts, labels, url=None, preset="fraction", language="python", time_limit_s=None, retries=None, **kwargs):
    """OpenRLHF's local reward function (`--reward.remote_url path/to/this.py` wrapping it).

    queries are prompt + response texts; labels the tests. Returns {"rewards", "scores", "extra_logs"} as lists
    (torch tensors when torch is importable and every sample was judged); a sample that could not be judged is None."""
    items = [_item(q, l, language, preset, prompt=p) for q, p, l in zip(queries, prompts, labels)]
    results = sync_client(url, retries=retries).score(items, time_limit_s=time_limit_s)
    rewards = [None if r["infra_error"] else r["score"] for r in results]
    logs = {"pass_rate": [(r["passed"] / r["total"]) if r["total"] else 0.0 for r in results]}
    out = {"rewards": rewards, "scores": list(rewards), "extra_logs": logs}
    if all(r is not None for r in rewards):
        try:
            import torch  # noqa: PLC0415 - optional: OpenRLHF has it, this package does not need it
            out = {"rewards": torch.tensor(rewards), "scores": torch.tensor(rewards),
                   "extra_logs": {k: torch.tensor(v) for k, v in logs.items()}}
        except ImportError:
            pass
    return out
