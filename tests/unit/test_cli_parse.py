"""``wirestream parse``: the pipeline's record for local files, with no Kafka and no Beam run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.wire_fixtures import comparable, expectation, fixture, label, wire_files


def parse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wirestream.pipelines.cli", "parse", *args], capture_output=True, text=True, timeout=120
    )


def test_one_record_per_item_in_file_order_with_its_path(repo_samples):
    files = [str(repo_samples / "fp-valmora-vote.json"), str(repo_samples / "fp-port-ellis-ferry.txt")]
    done = parse("--no-nlp", *files)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["source"]["path"] for r in records] == files
    assert [r["format"] for r in records] == ["NINJS", "TEXT"]
    assert records[1]["dateline"]["location"] == "PORT ELLIS"
    assert [b["name"] for b in records[1]["bylines"]] == ["MARA QUILLFEATHER", "TOBIAS VENN"]
    assert records[0]["entities"] == []


def test_a_bad_file_is_reported_and_the_others_still_print(repo_samples):
    done = parse("--no-nlp", str(repo_samples / "broken-truncated.json"), str(repo_samples / "fp-port-ellis-ferry.txt"))
    assert done.returncode == 1
    assert "broken-truncated.json: bad-json:" in done.stderr
    assert len(done.stdout.splitlines()) == 1


@pytest.mark.slow
def test_with_the_language_model_entities_and_quotes_are_filled(repo_samples):
    done = parse(str(repo_samples / "fp-port-ellis-ferry.txt"))
    assert done.returncode == 0, done.stderr
    (record,) = [json.loads(line) for line in done.stdout.splitlines()]
    names = {e["text"] for e in record["entities"]}
    assert "Ilse Marrow" in names
    said = {(q["text"], q["speaker"], q["kind"]) for q in record["quotes"]}
    assert ("We did everything by the book.", "Ilse Marrow", "DIRECT") in said


def test_an_unknown_format_name_is_refused_with_the_valid_ones(repo_samples):
    done = parse("--no-nlp", "--format", "FOO", str(repo_samples / "fp-port-ellis-ferry.txt"))
    assert done.returncode == 2
    assert "unknown --format 'FOO'" in done.stderr and "NITF" in done.stderr
    assert "Traceback" not in done.stderr


def _records(done: subprocess.CompletedProcess[str]) -> list[dict]:
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_prints_for_every_fixture_and_sample_the_records_the_editor_expects():
    """One run over every wire file: each file's records, in order, as its expectation reads them."""
    files = [path for path in wire_files() if "records" in expectation(path)]
    records = _records(parse("--no-nlp", *map(str, files)))
    by_file: dict[str, list[dict]] = {}
    for record in records:
        by_file.setdefault(record["source"]["path"], []).append(record)
    assert list(by_file) == [str(path) for path in files]  # file order, every file
    wrong = []
    for path in files:
        expected = expectation(path)
        got = by_file[str(path)]
        if "records" not in expected.get("_xfail", {}) and len(got) != len(expected["records"]):
            wrong.append(f"{label(path)}: {len(got)} records, not {len(expected['records'])}")
        for index, (want, have) in enumerate(zip(expected["records"], got, strict=False)):
            known = want.get("_xfail", {})
            for field, value in comparable(want).items():
                if field not in known and not field.startswith("_") and have[field] != value:
                    wrong.append(f"{label(path)}[{index}].{field}: {have[field]!r}")
    assert wrong == []


def test_a_forced_format_is_used_and_its_parser_reports_a_mismatch():
    nitf = str(fixture("nitf/fp-morkvik-cafe.xml"))
    (record,) = _records(parse("--no-nlp", "--format", "nitf", nitf))
    assert record["format"] == "NITF"
    assert record["dateline"]["agency"] == "FP"
    done = parse("--no-nlp", "--format", "NINJS", nitf)
    assert done.returncode == 1
    assert "bad-json" in done.stderr and done.stdout == ""
