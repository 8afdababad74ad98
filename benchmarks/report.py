"""The benchmark's tables and key ratios, from the variants' results."""

from __future__ import annotations

from variants import Latency, Result

TARGETS = (  # (label, numerator, denominator or None for a rate, target)
    ("pipeline / bare nlp.pipe on every core", "pipeline", "bare-all", 0.85),
    ("pipeline / plain kafka-python loop", "pipeline", "plain", 1.0),
    ("pool gain: pipeline (defaults) / --nlp-processes 1", "pipeline", "pipeline-1", None),
    ("bare nlp.pipe every core / 1 process", "bare-all", "bare-1", None),
    ("Quix Streams app / plain loop", "quix", "plain", None),
    ("pipeline / Quix Streams app", "pipeline", "quix", None),
)
PARSE_TARGET = 2000.0


def checks(result: Result, expected: int, fan_out: dict[str, tuple[int, int]]) -> str:
    """What is wrong with a result's counts ('ok' if nothing)."""
    if result.error:
        return f"ERROR: {result.error.splitlines()[0][:150]}"
    if result.name == "parse":
        return "whole corpus, every pass"
    problems = []
    if result.stories != expected:
        problems.append(f"{result.stories} of {expected} stories")
    out = result.output
    if out is not None:
        if len(out.stories) != out.distinct:
            problems.append(f"{len(out.stories) - out.distinct} duplicate stories")
        if out.deadletters:
            problems.append(f"{out.deadletters} dead letters")
        if len(set(fan_out.values())) > 1:
            problems.append(f"{out.quotes} quotes, {out.entities} entities (others differ)")
    return "; ".join(problems) or "ok"


def throughput_table(results: list[Result], expected: int) -> str:
    bare = next((r.rate for r in results if r.name == "bare-all" and not r.error), None)
    fan_out = {r.name: (r.output.quotes, r.output.entities) for r in results if r.output and not r.error}
    head = (
        f"{'variant':<46} {'stories':>7} {'seconds':>8} {'stories/s':>9} {'ratio':>6} {'peak RSS MB':>11} "
        f"{'procs':>5} {'cores':>5} {'1st out s':>9} {'steady/s':>8}  check"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        ratio = f"{r.rate / bare:6.2f}" if bare and r.name != "parse" and r.rate else f"{'—':>6}"
        first = f"{r.first_out:9.1f}" if r.first_out is not None else f"{'':>9}"
        steady = f"{r.steady_rate:8.2f}" if r.steady_rate else f"{'':>8}"
        lines.append(
            f"{r.label:<46} {r.stories:7d} {r.seconds:8.1f} {r.rate:9.2f} {ratio} {r.peak_mb:11.0f} {r.processes:5d} "
            f"{r.cores:5.2f} "
            f"{first} {steady}  {checks(r, expected, fan_out)}"
        )
    if fan_out:
        lines.append(
            "quote and entity records written: " + ", ".join(f"{name} {q}/{e}" for name, (q, e) in fan_out.items())
        )
    lines.append(
        "seconds: the work only for parse and bare nlp.pipe (model loaded), launch to exit for the others; "
        "ratio: stories/s over bare nlp.pipe on every core; peak RSS: summed over the process tree (procs: the most "
        "processes in it at once); cores: CPU "
        "seconds / wall seconds over the whole subprocess; 1st out: launch to the first story on the topic; "
        "steady: stories/s from the first story written to the last, the first batch left out"
    )
    return "\n".join(lines)


def latency_table(latencies: list[Latency]) -> str:
    head = (
        f"{'latency run':<44} {'offered/s':>9} {'seconds':>7} {'sent':>5} {'measured':>8} {'p50 s':>6} "
        f"{'p95 s':>6} {'p99 s':>6} {'max s':>6} {'drift s':>7} {'peak RSS MB':>11} {'procs':>5} {'cores':>5}  check"
    )
    lines = [head, "-" * len(head)]
    for run in latencies:
        got = [run.quantile(q) for q in (0.5, 0.95, 0.99)] + [max(run.in_order, default=float("nan")), run.drift]
        problems = [run.error] if run.error else []
        if run.received != run.sent:
            problems.append(f"{run.received} of {run.sent} measured")
        if run.uncommitted:
            problems.append(f"{run.uncommitted} input offsets left uncommitted")
        lines.append(
            f"{run.label:<44} {run.rate:9.2f} {run.seconds:7.0f} {run.sent:5d} {run.received:8d} "
            + " ".join(f"{value:6.2f}" for value in got[:4])
            + f" {got[4]:7.2f} {run.peak_mb:11.0f} {run.processes:5d} {run.cores:5.2f}  {'; '.join(problems) or 'ok'}"
        )
    lines.append(
        "latency: output story's Kafka timestamp minus its input message's, after a warm-up of 3 stories; drift: "
        "median latency of the last quarter of the inputs minus the first quarter's (> 0: falling behind)"
    )
    return "\n".join(lines)


def key_ratios(results: list[Result]) -> str:
    rates = {r.name: r.rate for r in results if not r.error and r.rate}
    lines = ["key ratios (stories/s over stories/s, same corpus, same run):"]
    for label, top, bottom, target in TARGETS:
        if top in rates and bottom in rates:
            ratio = rates[top] / rates[bottom]
            verdict = "" if target is None else f"  (target ≥ {target:g}: {'met' if ratio >= target else 'NOT met'})"
            lines.append(f"  {label:<52} {ratio:6.2f}{verdict}")
    if "parse" in rates:
        verdict = "met" if rates["parse"] >= PARSE_TARGET else "NOT met"
        lines.append(f"  {'parse only, stories/s on one process':<52} {rates['parse']:6.0f}  "
                     f"(target ≥ {PARSE_TARGET:,.0f}: {verdict})")  # fmt: skip
    return "\n".join(lines)
