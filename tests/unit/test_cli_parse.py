"""``wirestream parse``: the pipeline's record for local files, with no Kafka and no Beam run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


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


def test_formats_are_detected_and_a_newsml_message_gives_a_record_per_item(shared_data):
    samples = shared_data / "wire-samples"
    files = [samples / "nitf" / "ap-nitf.xml", samples / "newsml-g2" / "ap.xml", samples / "anpa1312" / "anpa-1.tst"]
    records = _records(parse("--no-nlp", *map(str, files)))
    assert [r["format"] for r in records] == ["NITF", "NEWSMLG2", "NEWSMLG2", "NEWSMLG2", "ANPA1312"]
    assert records[0]["bylines"] == [{"name": "BERNARD CONDON", "title": "AP Business Writer"}]
    assert records[1]["dateline"]["location"] == "FORT WASHINGTON"
    assert records[4]["dateline"]["raw"] == "BUENOS AIRES, Argentina (AP) _"


def test_a_forced_format_is_used_and_its_parser_reports_a_mismatch(shared_data):
    nitf = str(shared_data / "wire-samples" / "nitf" / "efe_nitf.xml")
    (record,) = _records(parse("--no-nlp", "--format", "nitf", nitf))
    assert record["format"] == "NITF"
    assert record["dateline"]["agency"] == "EFE"
    done = parse("--no-nlp", "--format", "NINJS", nitf)
    assert done.returncode == 1
    assert "bad-json" in done.stderr and done.stdout == ""
