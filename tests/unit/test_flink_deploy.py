"""deploy/flink/ is consistent, checked without starting anything: the scripts parse, the pom builds the
job-server jar Beam's FlinkRunner is given, the Makefile has its targets, and the Prometheus config
scrapes the ports flink.sh gives its processes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FLINK = ROOT / "deploy" / "flink"
SCRIPT = (FLINK / "flink.sh").read_text()
POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}
POM = ET.parse(FLINK / "pom.xml").getroot()
PROMETHEUS = yaml.safe_load((FLINK / "prometheus.yml").read_text())


def pom_property(name: str) -> str:
    return POM.findtext(f"m:properties/m:{name}", namespaces=POM_NS)


@pytest.mark.parametrize("script", ["flink.sh", "sdk_worker.sh"])
def test_scripts_parse(script):
    done = subprocess.run(["bash", "-n", str(FLINK / script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_flink_sh_has_the_commands_and_uses_the_shared_service_helpers():
    commands = set(re.findall(r"^  ([a-z-]+)\)\s", SCRIPT.split('case "$cmd" in')[-1], flags=re.M))
    assert {"fetch", "jobserver-jar", "up", "down", "status", "clean", "options"} <= commands
    assert '. "$HERE/../service.sh"' in SCRIPT
    for helper in ("pid_running", "port_open", "stop_service"):
        assert helper in SCRIPT, helper
    for main_class in (
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
    ):
        assert main_class in SCRIPT


def test_taskmanager_memory_is_set_explicitly():
    # Started without Flink's bin/ scripts, a TaskManager refuses to start without these.
    for option in (
        "taskmanager.cpu.cores",
        "taskmanager.memory.task.heap.size",
        "taskmanager.memory.task.off-heap.size",
        "taskmanager.memory.framework.heap.size",
        "taskmanager.memory.framework.off-heap.size",
        "taskmanager.memory.managed.size",
        "taskmanager.memory.jvm-metaspace.size",
        "taskmanager.memory.network.min",
        "taskmanager.memory.network.max",
        "taskmanager.memory.jvm-overhead.min",
        "taskmanager.memory.jvm-overhead.max",
    ):
        assert f"{option}:" in SCRIPT, option
    assert "taskmanager.memory.process.size" not in SCRIPT


def test_pom_shades_the_flink_job_server():
    deps = {(d.findtext("m:groupId", namespaces=POM_NS), d.findtext("m:artifactId", namespaces=POM_NS))
            for d in POM.iterfind("m:dependencies/m:dependency", POM_NS)}  # fmt: skip
    assert ("org.apache.beam", "beam-runners-flink-${flink.minor}") in deps
    assert ("org.apache.flink", "flink-metrics-prometheus") in deps
    assert ("org.slf4j", "slf4j-simple") in deps
    assert pom_property("beam.version") == "2.62.0" and pom_property("flink.minor") == "1.19"
    assert pom_property("flink.version").startswith("1.19.")
    assert pom_property("flink.prometheus.version").startswith("1.19.")
    (shade,) = [p for p in POM.iterfind("m:build/m:plugins/m:plugin", POM_NS)
                if p.findtext("m:artifactId", namespaces=POM_NS) == "maven-shade-plugin"]  # fmt: skip
    transformers = shade.find("m:executions/m:execution/m:configuration/m:transformers", POM_NS)
    kinds = {t.get("implementation").rsplit(".", 1)[-1]: t for t in transformers}
    assert "ServicesResourceTransformer" in kinds
    main = kinds["ManifestResourceTransformer"].findtext("m:mainClass", namespaces=POM_NS)
    assert main == "org.apache.beam.runners.flink.FlinkJobServerDriver"


def test_maven_builds_outside_the_work_tree():
    directory = POM.findtext("m:build/m:directory", namespaces=POM_NS)
    assert directory.startswith("${wirestream.flink.dir}")
    assert pom_property("wirestream.flink.dir").startswith("${user.home}/.cache/wirestream/flink/")
    assert '-Dwirestream.flink.dir="$DIST"' in SCRIPT
    assert "DIST=$CACHE_ROOT/flink/" in SCRIPT


def test_pom_is_valid_for_maven():
    mvn = shutil.which("mvn")
    if not mvn:
        pytest.skip("mvn not installed")
    # validate reads the model only: no download, no plugin run, nothing written.
    done = subprocess.run([mvn, "-q", "-B", "-o", "-f", str(FLINK / "pom.xml"), "validate"], capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_makefile_has_the_flink_targets_with_help():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("flink-up", "flink-down"):
        assert re.search(rf"^{target}:.*## \S", makefile, flags=re.M), target
    assert re.search(r"^FLINK_PORT \?= 8081$", makefile, flags=re.M)
    assert re.search(r"^FLINK_TASKMANAGERS \?= 2$", makefile, flags=re.M)
    assert "deploy/flink/flink.sh up" in makefile and "deploy/flink/flink.sh down" in makefile


def test_prometheus_scrapes_the_ports_flink_sh_uses():
    assert "FLINK_PORT=${FLINK_PORT:-8081}" in SCRIPT and "FLINK_TASKMANAGERS=${FLINK_TASKMANAGERS:-2}" in SCRIPT
    assert "PROM_PORT=$(( 9249 + OFFSET ))" in SCRIPT  # the JobManager's; TaskManager i: PROM_PORT + i
    assert "metrics.reporter.prom.port=$(( PROM_PORT + i ))" in SCRIPT
    jobs = {job["job_name"]: job for job in PROMETHEUS["scrape_configs"]}
    flink = [target for group in jobs["flink"]["static_configs"] for target in group["targets"]]
    assert flink == ["127.0.0.1:9249", "127.0.0.1:9250", "127.0.0.1:9251"]
    # The SDK workers share one endpoint per machine, on the pipeline's --metrics-port default; the
    # launcher (urgent lane, releaser) serves its own on --launcher-metrics-port.
    assert "PROMETHEUS_MULTIPROC_DIR=$METRICS_DIR" in SCRIPT
    from wirestream.pipelines.options import WirestreamOptions

    parser = __import__("argparse").ArgumentParser()
    WirestreamOptions._add_argparse_args(parser)
    defaults = parser.parse_args([])
    (group,) = jobs["wirestream"]["static_configs"]
    assert group["targets"] == [f"127.0.0.1:{defaults.metrics_port}", f"127.0.0.1:{defaults.launcher_metrics_port}"]


def test_prometheus_config_is_valid():
    promtool = shutil.which("promtool")
    if not promtool:
        pytest.fail("promtool not found: `make setup` installs Debian's prometheus package")
    done = subprocess.run([promtool, "check", "config", str(FLINK / "prometheus.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_printed_run_options_target_the_cluster_with_the_jar():
    options = subprocess.run(["bash", str(FLINK / "flink.sh"), "options"], capture_output=True, text=True,
                             env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent-home"})  # fmt: skip
    assert options.returncode == 0, options.stderr
    words = options.stdout.split()
    assert words[words.index("--runner") + 1] == "FlinkRunner"
    assert words[words.index("--flink_master") + 1] == "127.0.0.1:8081"
    assert words[words.index("--flink_job_server_jar") + 1].endswith("/wirestream-flink-job-server.jar")
    assert words[words.index("--environment_type") + 1] == "PROCESS"
    assert words[words.index("--environment_option") + 1] == f"process_command={FLINK}/sdk_worker.sh"
    # Without it a checkpoint during the Impulse stages' one bundle kept the partitions from the reader.
    assert "--finish_bundle_before_checkpointing" in words


def test_a_taskmanager_starts_with_an_empty_blob_cache():
    # Earlier jobs' jars (~150 MB each) stay in it, and a TaskManager hashes them all at start.
    start = SCRIPT.index('start_java "$name" org.apache.flink.runtime.taskexecutor.TaskManagerRunner')
    assert 'rm -rf "$FLINK_DIR/tmp/tm_$name"' in SCRIPT[SCRIPT.index("up() {") : start]
