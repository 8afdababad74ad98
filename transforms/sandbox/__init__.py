"""Per-call time limits for the stages' plain functions: each runs in a child process that can be
killed; a pool of such children lets one stage use every core."""

from wirestream.transforms.sandbox.pool import Call, Outcome, SandboxPool, Session
from wirestream.transforms.sandbox.process import Sandbox, SandboxError, TooSlow
from wirestream.transforms.sandbox.shared import acquire_pool, release_pool

__all__ = [
    "Call",
    "Outcome",
    "Sandbox",
    "SandboxError",
    "SandboxPool",
    "Session",
    "TooSlow",
    "acquire_pool",
    "release_pool",
]
