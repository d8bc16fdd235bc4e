import csv
import io
import json

from corpus.export import write_csv, write_jsonl
from tests.test_sqlite_store import make_doc


def test_jsonl_has_all_metadata_and_nested_clauses(store):
    store.save(make_doc())
    out = io.StringIO()
    assert write_jsonl(store.iter_documents(), out) == 1
    (record,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert record["id"] == make_doc().id and record["parties"] == ["KGZ", "RUS"] and record["date"] == "2022-03-05"
    assert record["clauses"] == [
        {"number": 1, "label": "1", "heading": "", "kind": "content", "text": "The Sides agree."}
    ]
    assert record["content_hash"] == make_doc().content_hash and record["first_seen"]


def test_csv_is_one_row_per_document(store):
    store.save_many([make_doc(), make_doc(url="u2", text='Line one,\nline "two".')])
    out = io.StringIO()
    assert write_csv(store.iter_documents(), out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 2 and {r["parties"] for r in rows} == {"KGZ;RUS"}
    assert {r["text"] for r in rows} == {"The Sides agree.", 'Line one,\nline "two".'}
