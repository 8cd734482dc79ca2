"""The release commands' printed text: a diff, and the status of this installation's releases."""

from __future__ import annotations

from pathlib import Path

from db.releases.diff import Diff


def diff_lines(d: Diff) -> list[str]:
    """A diff as lines: the summary, then each section (figure ids first, old → new, sources)."""
    lines = [f"{d.old_version} → {d.new_version}: {d.summary()}"]
    if d.studies_added:
        lines += ["", "Studies added:"]
        lines += [f"  + {s.id}  {s.label} (phase {s.phase}; {s.source})" for s in d.studies_added]
    if d.studies_removed:
        lines += ["", "Studies removed:"] + [f"  - {s.id}  {s.label} (phase {s.phase})" for s in d.studies_removed]
    if d.figures_changed:
        lines += ["", "Figures changed:"]
        for f in d.figures_changed:
            lines.append(f"  {f.figure_id}  ({f.label}, {f.change})")
            lines.append(f"      {f.old or '(none)'}  →  {f.new or '(removed)'}")
            source = f.new_source if f.old_source in ("", f.new_source) else f"{f.old_source} → {f.new_source or '-'}"
            lines.append(f"      source: {source}")
    if d.caveats_added:
        lines += ["", "Caveats added:"]
        lines += [f"  {c.figure_id or c.study_id}  {c.kind}: {c.text}" for c in d.caveats_added]
    if d.details_changed:
        lines += ["", "Other entries changed:"]
        lines += [f"  {c.kind} {c.id}: {', '.join(c.fields)}" for c in d.details_changed]
    return lines


def status_lines(home: Path, bundled: Path) -> list[str]:
    """Where releases come from, whom this installation trusts, what it shows and what the next start
    would do with each file of the folder."""
    from db.releases.format import ReleaseRefused, newer
    from db.releases.start import folder_releases, settings_or_warning, trust_for
    from db.releases.state import installed_folder, load
    from db.releases.verify import verify

    problems: list[str] = []
    settings = settings_or_warning(problems)
    trust = trust_for(settings)
    state, problem = load(home, bundled)
    lines = [f"releases folder: {settings.folder} (from {settings.origin})" if settings.folder
             else "releases folder: not configured (set TUMORBOARD_RELEASES or tumorboard.ini, docs/releases.md)"]
    lines.append(f"trusted keys ({settings.keys}): " + (", ".join(f"{k.key_id} ({k.origin})" for k in trust.keys)
                                                         or "none"))
    withdrawn = {**state.withdrawn, **trust.withdrawn}
    lines.append("withdrawn versions: " + (", ".join(f"{v} ({why})" for v, why in sorted(withdrawn.items()))
                                           or "none"))
    where = f" in {installed_folder(state.current, home)}" if state.current.kind == "release" else ""
    lines.append(f"shown: {state.current.describe()}{where}" + ("; pinned (`tumorboard release unpin`)"
                                                                 if state.pinned else ""))
    if state.history:
        lines.append("before it: " + ", ".join(o.describe() for o in reversed(state.history)))
    lines += [f"problem: {p}" for p in [*problems, *trust.problems, *([problem] if problem else [])]]
    if settings.folder is None:
        return lines
    found: list[str] = []
    for version, path in folder_releases(settings.folder, found):
        try:
            verify(path, trust.keys, withdrawn)
            verdict = ("newer: installed at the next start" if newer(version, state.current.version)
                       and not state.pinned else "ok; not newer than the shown dataset, or pinned: ignored")
        except ReleaseRefused as exc:
            verdict = f"refused: {exc.reason}"
        lines.append(f"  {path.name}: {version}: {verdict}")
    lines += [f"  {w}" for w in found]
    return lines
