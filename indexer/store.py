"""The index folder: which generation is live, its manifest of indexed files, its status.

    INDEX/agora.json        {"format", "engine", "current"}: replaced atomically, so a reader
                            always finds a complete generation
    INDEX/<generation>/     engine/ (the engine's files), manifest.json, status.json

An incremental reindex commits into the live generation (the engine's commit is atomic);
a full one builds a new generation beside it and switches ``current`` when it is complete.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from indexer.engine import DEFAULT_ENGINE, Engine, engine_class

FORMAT = 1
POINTER = "agora.json"


class IndexMissing(Exception):
    def __init__(self, root: Path):
        super().__init__(f"no index at {root}; run `agora reindex --index {root}` first")


def write_json_atomically(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class IndexStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def pointer(self) -> dict | None:
        try:
            return json.loads((self.root / POINTER).read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def exists(self) -> bool:
        pointer = self.pointer
        return bool(pointer) and (self.root / pointer["current"]).is_dir()

    @property
    def engine_name(self) -> str:
        return (self.pointer or {}).get("engine", DEFAULT_ENGINE)

    @property
    def current(self) -> Path:
        if not self.exists():
            raise IndexMissing(self.root)
        return self.root / self.pointer["current"]

    def open_engine(self) -> Engine:
        return engine_class(self.engine_name)(self.current / "engine")

    def manifest(self) -> dict:
        try:
            return json.loads((self.current / "manifest.json").read_text())
        except FileNotFoundError:
            return {}

    def status(self) -> dict:
        try:
            return json.loads((self.current / "status.json").read_text())
        except (FileNotFoundError, IndexMissing):
            return {}

    # -- building generations -----------------------------------------------------------------

    def begin_generation(self, engine: str) -> tuple[Path, Engine]:
        """A fresh, empty generation folder (hidden until ``publish``) and its engine."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"g{time.strftime('%Y%m%d%H%M%S')}{time.time_ns() % 1_000_000_000:09d}-{os.getpid()}"
        folder = self.root / f".building-{name}"
        folder.mkdir()
        return folder, engine_class(engine).create(folder / "engine")

    def publish(self, folder: Path, engine: str) -> None:
        """Make a finished generation the live one, then remove generations no one points to."""
        final = self.root / folder.name.removeprefix(".building-")
        folder.rename(final)
        previous = (self.pointer or {}).get("current")
        write_json_atomically(self.root / POINTER, {"format": FORMAT, "engine": engine, "current": final.name})
        self.collect_garbage(keep={final.name, previous} if previous else {final.name})

    def collect_garbage(self, keep: set[str]) -> None:
        """Remove old generations and abandoned builds (of processes no longer running)."""
        for child in self.root.iterdir():
            if not child.is_dir() or child.name in keep:
                continue
            if child.name.startswith(".building-"):
                pid = child.name.rsplit("-", 1)[-1]
                if pid.isdigit() and _running(int(pid)):
                    continue
            elif not child.name.startswith("g"):
                continue
            shutil.rmtree(child, ignore_errors=True)

    def discard(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
