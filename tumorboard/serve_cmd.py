"""`tumorboard serve`: the installed dataset, read-only, in a browser, through Datasette.

Opt-in, for one intranet machine; Datasette is an optional extra (`pip install ".[serve]"`), not
in the clinic bundle, and is imported only here, when the command runs: the desktop program
never opens a socket. Settings (all optional) in the `[serve]` section of tumorboard.ini:
`licence`, `licence_url`, `host`, `port`, `allow_sql` (arbitrary SQL; off unless `yes`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

DATABASE = "tumorboard"  # the served file's stem: URLs are /tumorboard/...


def add_parsers(sub: Any) -> None:
    serve = sub.add_parser(
        "serve", help="serve the installed dataset read-only in a browser (Datasette; optional extra)",
        description="Run Datasette read-only over the installed dataset release, with canned queries (a drug's "
        "studies, an adverse event across therapies, a disease's studies by evidence level) whose figure text is "
        "the desktop program's. Needs the serve extra: pip install '.[serve]'. Settings: [serve] in tumorboard.ini.")
    serve.add_argument("--port", type=int, default=None, metavar="N", help="port (default 8001, or [serve] port)")
    serve.add_argument("--host", default=None, metavar="ADDRESS",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 for the intranet)")
    serve.add_argument("--licence", default=None, metavar="TEXT", help="licence shown on every page")


def _setting(section: Any, key: str, given: Any, default: str) -> str:
    if given is not None:
        return str(given)
    return str(section.get(key, default)) if section is not None else default


def cmd_serve(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("datasette") is None:
        print("tumorboard serve: Datasette is not installed; it is an optional extra: "
              "python3 -m pip install 'tumorboard-reference[serve]' (or '.[serve]' from a checkout)", file=sys.stderr)
        return 1
    from db.atomic import atomic_text_file
    from db.opening import open_store
    from db.paths import ConfigError, read_config, writable_home
    from db.releases.serve import metadata, write_serving

    try:
        config = read_config()
        section = config["serve"] if config.has_section("serve") else None
        port = int(_setting(section, "port", args.port, "8001"))
    except (ConfigError, ValueError) as exc:
        print(f"tumorboard serve: {exc}", file=sys.stderr)
        return 1
    licence = _setting(section, "licence", args.licence, "")
    host = _setting(section, "host", args.host, "127.0.0.1")
    allow_sql = _setting(section, "allow_sql", None, "no").strip().lower() in ("yes", "true", "on", "1")
    store = open_store()
    try:
        for warning in store.warnings:
            print(f"tumorboard serve: {warning}", file=sys.stderr)
        folder = writable_home() / "serve"
        folder.mkdir(parents=True, exist_ok=True)
        served = folder / f"{DATABASE}.sqlite3"
        about = write_serving(store, served, licence)
        sources = len(store.sources())
    finally:
        store.close()
    meta_file = folder / "metadata.json"
    with atomic_text_file(meta_file) as out:
        json.dump(metadata(about, sources, licence, _setting(section, "licence_url", None, ""), DATABASE), out,
                  ensure_ascii=False, indent=1)
    print(f"serving dataset {about['version']} read-only at http://{host}:{port}/{DATABASE} "
          f"(arbitrary SQL {'on' if allow_sql else 'off'}); Ctrl+C stops it", file=sys.stderr, flush=True)
    return _run_datasette(served, meta_file, host, port, allow_sql)


def _run_datasette(served: Path, meta_file: Path, host: str, port: int, allow_sql: bool) -> int:
    from datasette.cli import cli

    from tumorboard.serve_privacy import register

    register()
    argv = ["serve", "--immutable", str(served), "--host", host, "--port", str(port), "--metadata", str(meta_file),
            "--setting", "default_allow_sql", "on" if allow_sql else "off",
            "--setting", "allow_download", "off", "--setting", "allow_csv_stream", "off"]
    try:
        cli.main(args=argv, prog_name="tumorboard serve", standalone_mode=False)
    except KeyboardInterrupt:
        return 0
    return 0
