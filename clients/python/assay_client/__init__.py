"""Client for `assay serve`, Assay's reward service. Standard library only."""
from .client import AssayClient, AssayRequestError, AsyncAssayClient
from .rewards import compute_score, compute_score_async, compute_score_batch, make_code_reward, reward_func

__all__ = ["AssayClient", "AsyncAssayClient", "AssayRequestError", "compute_score", "compute_score_async",
           "compute_score_batch", "make_code_reward", "reward_func"]
