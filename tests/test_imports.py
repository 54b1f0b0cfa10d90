"""No warnings on import under -W error, for our code and the Whoosh we chose."""

import subprocess
import sys
import warnings
from pathlib import Path

import whoosh

MODULES = "indexer.cli, indexer.search, indexer.reindex, indexer.parsers, whoosh.index, whoosh.highlight, whoosh.query"


def test_import_under_w_error():
    result = subprocess.run([sys.executable, "-W", "error", "-c", f"import {MODULES}"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_whoosh_sources_compile_without_warnings():
    # a cached .pyc hides compile-time warnings (invalid escapes), so compile the sources afresh
    root = Path(whoosh.__file__).parent
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for path in root.rglob("*.py"):
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
