"""The benchmark data generator: reproducible, OpenAlex-shaped, accepted by the importer."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

from graphstore.engines.embedded_store import IN_MEMORY, EmbeddedStore
from graphstore.ingest.importer import import_openalex
from researchgraph.cli import main
from researchgraph.generate import Tails, works, write_works


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz", tmp_path / "c.jsonl.gz"
    assert write_works(300, seed=7, path=first) == 300
    write_works(300, seed=7, path=again)
    write_works(300, seed=8, path=other)
    assert _digest(first) == _digest(again)
    assert _digest(first) != _digest(other)
    # The gzip holds exactly the plain JSON Lines.
    plain = tmp_path / "a.jsonl"
    write_works(300, seed=7, path=plain)
    assert gzip.decompress(first.read_bytes()) == plain.read_bytes()


def test_cli_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "works.jsonl"
    assert main(["generate", "--works", "50", "--seed", "3", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50
    assert json.loads(lines[0])["id"] == "https://openalex.org/W800000000001"


def test_records_have_openalex_shape_and_realistic_distributions() -> None:
    records = list(works(3000, seed=1))
    ids = [r["id"] for r in records]
    assert len(set(ids)) == 3000
    assert all(i.startswith("https://openalex.org/W8") and len(i) == 34 for i in ids)
    position = {work_id: n for n, work_id in enumerate(ids)}
    authors_per_work = sorted(len(r["authorships"]) for r in records)
    assert 3 <= authors_per_work[len(authors_per_work) // 2] <= 5
    assert authors_per_work[0] >= 1
    assert authors_per_work[-1] <= 50
    works_per_author = Counter(a["author"]["id"] for r in records for a in r["authorships"])
    counts = sorted(works_per_author.values())
    assert counts[len(counts) // 2] <= 3  # most authors write few works
    assert counts[-1] >= 50  # and hubs exist
    cited: Counter[str] = Counter()
    for r in records:
        assert r["publication_year"] is not None
        assert 1990 <= r["publication_year"] <= 2025
        topic = r["topics"][0]
        assert topic["id"].startswith("https://openalex.org/T8")
        assert topic["subfield"]["id"].startswith("https://openalex.org/subfields/")
        assert topic["field"]["id"].startswith("https://openalex.org/fields/")
        assert topic["domain"]["id"].startswith("https://openalex.org/domains/")
        for reference in r["referenced_works"]:
            assert position[reference] < position[r["id"]]  # only earlier works
            cited[reference] += 1
    assert all(r["cited_by_count"] == cited[r["id"]] for r in records)
    years = [r["publication_year"] for r in records]
    assert years == sorted(years)


async def test_the_importer_takes_a_generated_file(tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl.gz"
    write_works(200, seed=5, path=path)
    records = list(works(200, seed=5))
    authors = {a["author"]["id"] for r in records for a in r["authorships"]}
    authorships = sum(len(r["authorships"]) for r in records)
    references = sum(len(r["referenced_works"]) for r in records)
    store = EmbeddedStore(IN_MEMORY)
    await store.apply_schema()
    try:
        report = await import_openalex(store, [path], batch_size=64)
        counts = await store.counts()
    finally:
        await store.close()
    assert report.skipped == 0
    assert counts.nodes["Work"] == 200
    assert counts.nodes["Researcher"] == len(authors)
    assert counts.edges["AUTHORED"] == authorships
    assert counts.edges["CITES"] == references
    assert counts.edges["HAS_TOPIC"] == sum(len(r["topics"]) for r in records)


def test_tails_hub_authors_and_hyper_authored_works() -> None:
    tails = Tails(authors=2, author_works=(300, 500), works=3, work_authors=(1000, 1200))
    records = list(works(2000, seed=4, tails=tails))
    assert records == list(works(2000, seed=4, tails=tails))
    works_per_author = Counter(a["author"]["id"] for r in records for a in r["authorships"])
    tail_authors = [a for a, n in works_per_author.most_common(2)]
    assert all(300 <= works_per_author[a] <= 500 + 3 for a in tail_authors)
    hyper = [r for r in records if len(r["authorships"]) >= 1000]
    assert len(hyper) == 3
    assert all(len(r["authorships"]) <= 1200 for r in hyper)
    for record in hyper:
        ids = [a["author"]["id"] for a in record["authorships"]]
        assert len(set(ids)) == len(ids)
        assert set(tail_authors) <= set(ids)
    # Small graphs get no tails by default.
    assert max(len(r["authorships"]) for r in works(2000, seed=4)) <= 50


def test_cli_tail_options(tmp_path: Path) -> None:
    out = tmp_path / "tails.jsonl"
    argv = ["generate", "--works", "300", "--out", str(out), "--tail-authors", "1"]
    assert main([*argv, "--tail-author-works", "120-150", "--hyper-works", "1"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert max(len(r["authorships"]) for r in records) >= 1000
    counts = Counter(a["author"]["id"] for r in records for a in r["authorships"])
    assert 120 <= counts.most_common(1)[0][1] <= 151
