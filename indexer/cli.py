"""The `agora` command: reindex a corpus folder, search it, read its threads.

Each command opens the index and makes one call into the search core; errors from the
core become one clear line and a non-zero exit.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from html import unescape
from pathlib import Path

import click

from indexer.dates import parse_date
from indexer.engine import DEFAULT_ENGINE, ENGINES
from indexer.parsers import formats as parser_formats
from indexer.query import QueryError
from indexer.store import IndexMissing

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
DEFAULT_INDEX = "index"
DEFAULT_CORPUS = "corpus"


def index_option(fn):
    return click.option(
        "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
        default=lambda: os.environ.get("AGORA_INDEX", DEFAULT_INDEX), show_default="index (or $AGORA_INDEX)",
        help="Folder of the index.",
    )(fn)


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(fn)


def human_date(iso: str | None) -> str:
    """A date as people read it: ``27 Jan 2025``, with the time when the page gave one."""
    when = parse_date(iso) if iso else None
    if when is None:
        return "undated"
    text = f"{when.day} {when:%b %Y}"
    if (when.hour, when.minute) != (0, 0):
        text += f", {when:%H:%M}"
    return text


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural_word or word + 's')}"


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def open_archive(index_dir: Path):
    from indexer.search import Archive

    try:
        return Archive(index_dir)
    except IndexMissing as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="agora")
def cli():
    """Agora: search engine for archived online discussions.

    \b
    Example:
        agora reindex --corpus corpus/
        agora search 'author:"KT Chong" quants'
    """


@cli.command()
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CORPUS,
              show_default=True, help="Folder of saved discussions.")
@index_option
@click.option("--full", is_flag=True, help="Rebuild the whole index instead of only what changed.")
@click.option("--strict", is_flag=True, help="Exit 1 when any file could not be parsed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default=None,
              help=f"Engine for a new index (default: the index's own, else {DEFAULT_ENGINE}).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Parser processes (default: every core).")
def reindex(corpus, index_dir, full, strict, quiet, engine, workers):
    """Index new and changed files of the corpus; remove documents of deleted files.

    \b
    Example:
        agora reindex --corpus corpus/ --index index/
    """
    from indexer.reindex import reindex as run_reindex
    from indexer.reindex import suggest_engine

    if not corpus.is_dir():
        raise click.ClickException(f"corpus folder {corpus} does not exist; create it or pass --corpus DIR")
    bar = None
    show_bar = not quiet and sys.stderr.isatty()

    def progress(done, total):
        nonlocal bar
        if not show_bar:
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="file", desc="Parsing", file=sys.stderr, leave=False)
        bar.update(1)

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        report = run_reindex(corpus, index_dir, full=full, engine=engine, workers=workers, progress=progress)
    except KeyboardInterrupt:
        click.echo("Interrupted: nothing was changed; the previous index is intact and searchable.", err=True)
        sys.exit(130)
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        if report.files_parsed or report.files_removed:
            line = (f"Indexed {plural(report.posts, 'post')} from {plural(report.threads, 'thread')} "
                    f"in {report.seconds:.1f} s")
        else:
            line = f"Nothing to index: {plural(report.files_unchanged, 'file')} unchanged ({report.seconds:.1f} s)"
        extras = []
        if report.files_removed:
            extras.append(f"{plural(report.files_removed, 'deleted file')} removed")
        if report.skipped:
            extras.append(f"{plural(len(report.skipped), 'file')} skipped")
        click.echo(line + (("; " + "; ".join(extras)) if extras else "") + ".")
        for skipped in report.skipped:
            click.echo(f"  skipped {skipped.source}: {skipped.reason}", err=True)
        click.echo(f"The index now holds {plural(report.total_documents, 'document')}.")
        hint = suggest_engine(report.total_documents)
        if hint:
            click.echo(f"Hint: {hint}", err=True)
    if strict and report.skipped:
        sys.exit(1)


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--author", multiple=True, help="Only posts by this commenter (repeat for any of several).")
@click.option("--domain", multiple=True, help="Only posts linking this domain or its subdomains.")
@click.option("--site", multiple=True, help="Only threads of this site.")
@click.option("--after", help="Only posts on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--before", help="Only posts before this date.")
@click.option("--kind", type=click.Choice(["post", "comment", "pingback"]), multiple=True, help="Root posts or comments.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--cursor", help="Continue after the hit a previous page's next_cursor names (deep paging).")
@click.option("--group", "group_by_thread", is_flag=True, help="One hit per thread: its best, with its hit count.")
@click.option("--facet-size", type=click.IntRange(0, 1000), default=10, show_default=True, help="Values per facet.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "jsonl", "csv"]), default="text",
              show_default=True, help="jsonl and csv stream every hit, not one page.")
@json_option
@index_option
def search(query, author, domain, site, after, before, kind, sort, limit, page, cursor, group_by_thread, facet_size,
           output_format, as_json, index_dir):
    """Search posts and comments with the query language.

    \b
    Query language:
        words "a phrase" prefix* word1 OR word2 NOT word -word (grouping)
        author:"KT Chong" domain:youtube.com site:ianwelsh.net kind:comment
        after:2024-06 before:2025-02-01 on:2024 has:link -author:Z comments>10
        fuzzy~ title:word thread:ID
    \b
    Example:
        agora search 'quants author:"KT Chong"'
        agora search --domain substack.com --json
        agora search 'has:link' --format csv > links.csv
    """
    selections = {"author": list(author), "domain": list(domain), "site": list(site), "kind": list(kind)}
    output_format = "json" if as_json else output_format
    with open_archive(index_dir) as archive:
        try:
            if output_format in ("jsonl", "csv"):
                export_hits(archive.iter_hits(query, selections=selections, after=after, before=before, sort=sort,
                                              group_by_thread=group_by_thread), output_format)
                return
            result = archive.search(query, selections=selections, after=after, before=before, sort=sort,
                                    page=page, per_page=limit, cursor=cursor, group_by_thread=group_by_thread,
                                    facet_size=facet_size)
        except QueryError as exc:
            raise click.ClickException(f"bad query: {exc}") from None
    if output_format == "json":
        print_json(result)
        return
    color = sys.stdout.isatty()
    first = (page - 1) * limit + 1
    last = first + len(result["hits"]) - 1
    suggestion = result["did_you_mean"]
    if suggestion:
        click.echo(f"Did you mean: {suggestion['query']}  ({plural(suggestion['total'], 'hit')})\n")
    if not result["hits"]:
        click.echo(f"No hits for {query!r}." if query else "No hits.")
        return
    click.echo(f"{result['total']:,} hits" + (f", showing {first:,}–{last:,}" if result["total"] > len(result["hits"]) else "")
               + ":\n")
    for hit in result["hits"]:
        title = hit["thread_title"] or "(untitled thread)"
        who = hit["author"] or "anonymous"
        head = f"{who} · {human_date(hit['date'])} · {title}"
        click.echo(click.style(head, bold=True) if color else head)
        click.echo("  " + terminal_snippet(hit["snippet"], color))
        if "thread_hits" in hit and hit["thread_hits"] > 1:
            click.echo(f"  +{plural(hit['thread_hits'] - 1, 'more hit')} in this thread")
        where = hit["permalink"] or hit["thread_url"] or hit["source"]
        click.echo(click.style(f"  {where}  [{hit['thread_id']}]", dim=True) if color else f"  {where}  [{hit['thread_id']}]")
        click.echo()
    for name in ("author", "domain", "site", "year"):
        values = result["facets"].get(name) or []
        if values:
            click.echo(f"{name}: " + ", ".join(f"{v['value']} ({v['count']:,})" for v in values))
    if result["next_cursor"]:
        click.echo(f"\nNext page: --cursor {result['next_cursor']}")


EXPORT_FIELDS = ("id", "kind", "thread_id", "thread_title", "thread_url", "site", "platform", "source", "author",
                 "date", "position", "parent_id", "permalink", "text", "links", "domains")


def export_hits(hits, output_format: str) -> None:
    """Stream every hit as JSON Lines or CSV (lists joined by spaces), one line per hit as found."""
    import csv

    out = sys.stdout
    if output_format == "jsonl":
        for hit in hits:
            out.write(json.dumps({k: hit[k] for k in EXPORT_FIELDS}, ensure_ascii=False) + "\n")
        return
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    for hit in hits:
        writer.writerow([" ".join(hit[k]) if isinstance(hit[k], list) else hit[k] for k in EXPORT_FIELDS])


def terminal_snippet(snippet: str, color: bool) -> str:
    if color:
        snippet = re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), fg="yellow", bold=True), snippet)
    else:
        snippet = re.sub(r"</?mark>", "", snippet)
    return unescape(snippet)


@cli.command()
@click.option("--site", help="Only threads of this site.")
@json_option
@index_option
def threads(site, as_json, index_dir):
    """List the threads in the index."""
    with open_archive(index_dir) as archive:
        rows = archive.threads(site=site)
    if as_json:
        print_json(rows)
        return
    for row in rows:
        click.echo(f"{row['thread_id']}  {human_date(row['date']):>12}  {plural(row['comments'], 'comment'):>14}  "
                   f"{row['site'] or '-'}  {row['title'] or '(untitled)'}")
    click.echo(f"\n{plural(len(rows), 'thread')}.")


@cli.command()
@click.argument("thread_id")
@json_option
@index_option
def show(thread_id, as_json, index_dir):
    """Print a thread: its post and its comments in page order."""
    with open_archive(index_dir) as archive:
        found = archive.thread(thread_id)
    if found is None:
        raise click.ClickException(f"no thread {thread_id!r} in the index; `agora threads` lists them")
    if as_json:
        print_json(found)
        return
    thread = found["thread"]
    click.echo(click.style(thread["title"] or "(untitled thread)", bold=True))
    click.echo(" · ".join(x for x in (thread["site"], thread["url"], f"saved as {thread['source']}") if x))
    depth = {}
    for post in found["posts"]:
        level = depth.get(post["parent_id"], -1) + 1 if post["parent_id"] else (0 if post["kind"] == "post" else 1)
        depth[post["id"]] = level
        indent = "    " * max(0, level - 1) if post["kind"] != "post" else ""
        click.echo()
        click.echo(indent + click.style(f"{post['author'] or 'anonymous'} · {human_date(post['date'])}", bold=True)
                   + (f" ({post['kind']})" if post["kind"] == "pingback" else ""))
        for line in post["text"].split("\n"):
            click.echo(indent + line)


@cli.command()
@json_option
@index_option
def stats(as_json, index_dir):
    """Print what the index holds: threads, posts, comments, authors, domains, sites."""
    with open_archive(index_dir) as archive:
        data = archive.stats()
    if as_json:
        print_json(data)
        return
    click.echo(f"Index {data['index']} ({data['engine']}), last reindexed {data['last_reindex'] or 'never'}")
    for key in ("threads", "posts", "comments", "pingbacks", "authors", "domains", "sites", "documents"):
        click.echo(f"  {key:<10} {data[key]:>10,}")
    if data["failing_files"]:
        click.echo(f"  {plural(len(data['failing_files']), 'file')} could not be parsed:")
        for source, reason in sorted(data["failing_files"].items()):
            click.echo(f"    {source}: {reason}")


@cli.command()
def formats():
    """List the saved-discussion formats Agora reads, in the order they are tried."""
    for platform, description in parser_formats():
        click.echo(f"{platform:<12} {description}")


@cli.command()
@click.argument("url")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CORPUS,
              show_default=True, help="Folder of saved discussions.")
@index_option
@click.option("--no-index", is_flag=True, help="Only save the files; `agora reindex` indexes them later.")
def save(url, corpus, index_dir, no_index):
    """Save a live discussion thread into the corpus and index it.

    \b
    Example:
        agora save https://news.ycombinator.com/item?id=5002483
        agora save https://meta.discourse.org/t/some-topic/12483 --no-index
    """
    from indexer.capture import CaptureError, capture
    from indexer.reindex import reindex as run_reindex

    try:
        saved = capture(url, corpus)
    except CaptureError as exc:
        raise click.ClickException(str(exc)) from None
    where = f"{(corpus / saved.folder.name).as_posix()}/"
    files = plural(len(saved.files), "file")
    if no_index:
        click.echo(f"Saved {files} of {saved.site} under {where}; `agora reindex` indexes them.")
    else:
        report = run_reindex(corpus, index_dir)
        saved_names = {f"{saved.folder.name}/{path.name}" for path in saved.files}
        for skipped in report.skipped:
            if skipped.source in saved_names:
                saved.notes.append(f"not indexed: {skipped.source}: {skipped.reason}")
        click.echo(f"Saved {files} of {saved.site} under {where} and indexed {plural(saved.posts, 'post')}.")
    for note in saved.notes:
        click.echo(f"  note: {note}", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to listen on (0: any free port).")
@index_option
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True, help="Requests served at once.")
def serve(host, port, index_dir, threads):
    """Serve the web UI (search, threads, commenters, domains, the JSON API) with waitress.

    The server only reads the index and picks up a new one after `agora reindex` without a restart.

    \b
    Example:
        agora serve --index index/
        agora serve --host 0.0.0.0 --port 8000
    """
    from waitress import create_server

    from indexer.store import IndexStore
    from webui import create_app

    if not IndexStore(index_dir).exists():
        click.echo(f"Warning: no index in {index_dir} yet; pages answer 503 until `agora reindex --index "
                   f"{index_dir}` builds one.", err=True)
    app = create_app({"INDEX_DIR": str(index_dir.resolve())})
    server = create_server(app, host=host, port=port, threads=threads, ident="agora")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Agora is serving {index_dir} on http://{shown}:{server.effective_port}/  (Ctrl-C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def main():
    cli(prog_name="agora")


if __name__ == "__main__":
    main()
