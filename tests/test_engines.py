"""Contract section 12: engines are chosen by --engine or config `engine`, from one registry; one
that cannot run here is exit 2 saying why; `--jobs` is accepted and changes nothing."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import Workspace, _stderr

from gklint import cli, config, engines

LOG = """\
    date,event,case
    2018-06-01,received,A
    2018-06-20,answered,A
    2018-06-04,received,B
    """
RULES = """\
    - id: R
      deadline: {after: received, expect: answered, within: 5 working days}
    """


@pytest.fixture
def ws_log(ws: Workspace) -> Workspace:
    ws.ruleset(RULES)
    ws.log(LOG)
    return ws


def test_the_cli_and_the_configuration_take_the_registry_names() -> None:
    option = next(p for p in cli.check.params if p.name == "engine")
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == engines.NAMES == config.CHOICES["engine"]
    assert set(engines.NAMES) == {"auto", *engines.ENGINES, *engines.ALIASES}


@pytest.mark.parametrize("name", ["python", "auto"])
def test_the_reference_engine_checks(ws_log: Workspace, name: str) -> None:
    report = ws_log.cli_json("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31", "--engine", name)
    assert [(f["rule"], f["line"], f["status"]) for f in report["findings"]] == [("R", 2, "late"), ("R", 4, "missing")]


def test_an_engine_not_built_yet_is_exit_2_saying_so(ws_log: Workspace) -> None:
    result = ws_log.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31", "--engine", "spark")
    assert result.exit_code == 2
    assert "spark engine cannot run" in _stderr(result) and "issue 16" in _stderr(result)


def test_the_configured_engine_is_used_and_checked(ws_log: Workspace) -> None:
    ws_log.write("gklint.toml", 'engine = "spark"\n')
    result = ws_log.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31")
    assert result.exit_code == 2 and "spark engine" in _stderr(result)
    # the command line wins over the file
    assert ws_log.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31",
                      "--engine", "python").exit_code == 1
    ws_log.write("gklint.toml", 'engine = "fast"\n')
    result = ws_log.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31")
    assert result.exit_code == 2 and "'engine' must be one of auto, python" in _stderr(result)


def test_jobs_is_accepted_and_changes_nothing(ws_log: Workspace) -> None:
    args = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2018-07-31", "--format", "json")
    plain = ws_log.cli(*args)
    assert ws_log.cli(*args, "--jobs", "2").stdout == plain.stdout
    assert ws_log.cli(*args, env={"GKLINT_JOBS": "x"}).stdout == plain.stdout


def test_a_small_check_imports_no_columnar_library(ws_log: Workspace) -> None:
    """A pre-commit hook's check must never pay for a columnar library's import."""
    code = ("import sys\nfrom gklint.cli import main\n"
            "try:\n    main(['check', 'events.csv', '-r', 'rs.yaml', '--as-of', '2018-07-31'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('duckdb', 'polars', 'pyarrow', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ws_log.root, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_unknown_engine_names_are_refused() -> None:
    from gklint.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown engine 'fast'"):
        engines.get("fast")
    assert Path(engines.get("python").__file__).name == "python.py"
