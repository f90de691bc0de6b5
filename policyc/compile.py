"""Compilation: the last stages of the pipeline, compile -> write.

`compile_source` runs the whole pipeline on one policy text: load, validate, resolve,
check, then every requested back end over the resolved IR. It reads nothing itself
(the caller read the source once) and refuses to produce files for a policy with
errors, including errors a back end raises about what its target cannot express,
unless the policy accepts that loss with a suppression (or the user with
`--allow-lossy`).

`policyc.compile(...)` (the Python API) and `policyc compile` (the command line) are
thin layers over it. Because `policyc/__init__.py` exports a function named `compile`,
import from this module with `from policyc.compile import ...`, never as
`import policyc.compile`.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from policyc.backends import TARGETS, CompileContext, CompileOptions, load_backend
from policyc.diagnostics import Diagnostic, Severity, Suppressed
from policyc.span import Source, SourceMap

__all__ = ["Compilation", "CompileOptions", "TARGETS", "compare", "compile_options", "compile_path", "compile_source", "diagnose_source"]


@dataclass
class Compilation:
    """The files a compile produced (paths relative to the output folder, first part
    the target's name), or the diagnostics that say why there are none; and the
    diagnostics the policy suppresses, the checker's and the targets' losses."""

    files: dict[str, bytes] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    sources: SourceMap = field(default_factory=SourceMap)
    targets: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def sorted_diagnostics(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=lambda d: d.sort_key)


def source_sha256(source: Source) -> str:
    return hashlib.sha256(source.text.encode("utf-8")).hexdigest()


def compile_source(source: Source, options: CompileOptions | None = None) -> Compilation:
    """Compile a policy text that was already read."""
    from policyc.pipeline import parse_policy

    return _compile_front(parse_policy(source), options or CompileOptions())


def compile_path(path: str | Path, options: CompileOptions | None = None) -> Compilation:
    """Read a policy file once, with the front end its name calls for, and compile it.
    An unreadable file gives a fatal diagnostic, not an exception."""
    from policyc.pipeline import read_policy

    return _compile_front(read_policy(path), options or CompileOptions())


def _compile_front(front, options: CompileOptions) -> Compilation:
    from policyc import __version__
    from policyc.pipeline import analysis
    from policyc.suppressions import accept_losses

    result = Compilation(targets=options.targets)
    if front.source is not None:
        result.sources.add(front.source)
    result.diagnostics += front.diagnostics
    if front.policy is None or not result.ok:
        return result
    found = analysis(front.policy)
    policy = found.policy
    result.diagnostics += found.diagnostics
    result.suppressed += found.suppressed
    if not result.ok:
        return result
    context = CompileContext(front.source.name, source_sha256(front.source), __version__, options)
    files: dict[str, bytes] = {}
    for target in options.targets:
        for path, content in load_backend(target).generate(policy, context).items():
            files[f"{target}/{path}"] = content.encode("utf-8") if isinstance(content, str) else content
    losses, accepted = accept_losses(policy, context.diagnostics, every_target=set(options.targets) == set(TARGETS))
    result.diagnostics += losses
    result.suppressed += accepted
    if result.ok:
        result.files = dict(sorted(files.items()))
    return result


def diagnose_source(source: Source, targets: tuple[str, ...]) -> list[Diagnostic]:
    """Every diagnostic the pipeline gives a policy text through the back ends of
    `targets`: how the examples of the rules back ends raise are run."""
    return compile_source(source, CompileOptions(targets=targets)).diagnostics


@dataclass
class Drift:
    """How a folder differs from what a compile produces."""

    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)  # path -> short unified diff

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.changed)


def compare(directory: str | Path, compilation: Compilation, *, context_lines: int = 2, max_diff_lines: int = 40) -> Drift:
    """Compare the targets of a compilation with what `directory` holds. Only the
    folders of the compiled targets are compared: others belong to other runs."""
    root = Path(directory)
    drift = Drift()
    on_disk: dict[str, bytes] = {}
    for target in compilation.targets:
        folder = root / target
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    on_disk[path.relative_to(root).as_posix()] = path.read_bytes()
    for name, expected in compilation.files.items():
        if name not in on_disk:
            drift.missing.append(name)
        elif on_disk[name] != expected:
            drift.changed[name] = _short_diff(name, on_disk[name], expected, context_lines, max_diff_lines)
    drift.extra = [name for name in on_disk if name not in compilation.files]
    return drift


def _short_diff(name: str, actual: bytes, expected: bytes, context_lines: int, max_lines: int) -> str:
    try:
        old = actual.decode("utf-8").splitlines(keepends=True)
        new = expected.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return f"binary file {name} differs ({len(actual)} bytes on disk, {len(expected)} bytes compiled)\n"
    lines = list(difflib.unified_diff(old, new, f"{name} (on disk)", f"{name} (compiled)", n=context_lines))
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"... ({len(lines) - max_lines} more diff lines)\n"]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def compile_options(
    targets: tuple[str, ...] | list[str] | None = None,
    allow_lossy: tuple[str, ...] | list[str] | frozenset[str] = (),
    as_of=None,
    templates: str | Path | None = None,
) -> CompileOptions:
    """Options from what a user gave: targets in any order (none: all of them), run in
    the order of `TARGETS`. Raises `ValueError` naming an unknown target."""
    chosen = tuple(targets) if targets else TARGETS
    unknown = [t for t in chosen if t not in TARGETS]
    if unknown:
        raise ValueError(f"unknown target `{unknown[0]}`; the targets are {', '.join(TARGETS)}")
    return CompileOptions(
        targets=tuple(t for t in TARGETS if t in chosen),
        allow_lossy=frozenset(allow_lossy),
        as_of=as_of,
        templates=Path(templates) if templates is not None else None,
    )
