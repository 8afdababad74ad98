"""Per-call time limits for the stages' plain functions: each runs in a child process that can be killed."""

from wirestream.transforms.sandbox.process import Sandbox, SandboxError, TooSlow

__all__ = ["Sandbox", "SandboxError", "TooSlow"]
