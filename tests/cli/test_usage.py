"""What a new user types wrong on the command line: exit 1 with one readable line for a
fixable mistake (an id that does not exist), exit 2 for bad usage (README's exit codes)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.cli_helpers import cli_env, run_cli


@pytest.mark.parametrize("args", [["export", "--source", "999"],
                                  ["export", "--format", "csv", "--source", "999"],
                                  ["reextract", "--source", "999"]])
def test_an_unknown_source_is_an_error_not_an_empty_result(sqlite_url: str,
                                                           args: list[str]) -> None:
    result = run_cli(args, cli_env(sqlite_url))
    assert result.exit_code == 1, result.output
    assert result.output.strip() == "error: no source 999"


def test_crawl_refuses_source_and_all_together(sqlite_url: str) -> None:
    env = cli_env(sqlite_url)
    assert run_cli(["sources", "add", "http://127.0.0.1:9/news/"], env).exit_code == 0
    result = run_cli(["crawl", "--source", "1", "--all"], env)
    assert result.exit_code == 2, result.output
    assert "not both" in result.output


def test_reextract_since_reads_dates_as_export_does(sqlite_url: str) -> None:
    env = cli_env(sqlite_url)
    for since in ("2024-05-01", "2024-05-01T08:00:00Z", "2024-05-01T10:00:00+02:00"):
        result = run_cli(["reextract", "--since", since], env)
        assert result.exit_code == 0, (since, result.output)
        assert "0 checked" in result.output
    bad = run_cli(["reextract", "--since", "whenever"], env)
    assert bad.exit_code == 1 and bad.output.startswith("error: since: not an ISO 8601"), bad.output


def test_a_misspelt_config_key_is_refused_not_ignored(tmp_path, sqlite_url: str) -> None:
    config = tmp_path / "newsarchive.toml"
    config.write_text("host_delay = 0\nallow_private_network = true\n")  # 'networks'
    result = run_cli(["--config", str(config), "sources", "list"], cli_env(sqlite_url))
    assert result.exit_code == 2, result.output
    assert "no such setting 'allow_private_network'" in result.output
    config.write_text("HOST_DELAY = 0\nallow_private_networks = true\n")  # any case is fine
    assert run_cli(["--config", str(config), "sources", "list"],
                   cli_env(sqlite_url)).exit_code == 0


def test_a_config_file_named_on_the_command_line_must_exist(tmp_path, sqlite_url: str) -> None:
    missing = tmp_path / "typo.toml"
    result = run_cli(["--config", str(missing), "sources", "list"], cli_env(sqlite_url))
    assert result.exit_code == 2 and "does not exist" in result.output, result.output


def test_a_bad_setting_value_is_one_line_naming_it(sqlite_url: str) -> None:
    env = cli_env(sqlite_url, NEWSARCHIVE_HOST_DELAY="abc")
    result = run_cli(["sources", "list"], env)
    assert result.exit_code == 2, result.output
    error = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert error == ["Error: invalid settings: host_delay: Input should be a valid number, "
                     "unable to parse string as a number (got 'abc')"], result.output


def test_extract_of_what_is_no_readable_file_is_one_line(tmp_path, sqlite_url: str) -> None:
    env = cli_env(sqlite_url)
    cases = {
        str(tmp_path / "missing.html"): "error: no such file: ",
        str(tmp_path): "is a directory",
        "a" * 5000: "cannot read aaa",  # ENAMETOOLONG was a traceback
    }
    for target, expected in cases.items():
        result = run_cli(["extract", target], env)
        assert result.exit_code == 1, (target[:50], result.output)
        assert result.output.startswith("error: ") and expected in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("target", "expected"), [
    ("http://", "error: not an absolute http(s) URL: 'http://'"),
    ("https:///news/story", "error: not an absolute http(s) URL: 'https:///news/story'"),
    ("http://[::1", "error: not a valid URL: 'http://[::1'"),
])
def test_extract_of_a_malformed_url_names_the_url_not_its_robots_txt(
        sqlite_url: str, target: str, expected: str) -> None:
    # 'http://' read "robots.txt of http:// is unreachable (cannot fetch http:///robots.txt...)"
    result = run_cli(["extract", target], cli_env(sqlite_url))
    assert result.exit_code == 1, result.output
    assert result.output.strip() == expected


def test_a_database_url_without_its_driver_is_one_line(sqlite_url: str) -> None:
    result = run_cli(["--database-url", "mysql://user@127.0.0.1/news", "sources", "list"],
                     cli_env(sqlite_url))
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: cannot open the database mysql://user@127.0.0.1/"
                                    "news: its driver is not installed"), result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_one_line_not_a_traceback(sqlite_url: str, url: str) -> None:
    # each command is its own process: an in-memory database is gone before the next one
    result = run_cli(["--database-url", url, "sources", "list"], cli_env(sqlite_url))
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: an in-memory SQLite database"), result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_database_failing_mid_command_is_one_line_not_a_traceback(sqlite_url: str) -> None:
    env = cli_env(sqlite_url)
    assert run_cli(["sources", "list"], env).exit_code == 0
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:  # migrated, then broken behind the migrations' back
        conn.execute(sa.text("DROP TABLE source"))
    engine.dispose()
    result = run_cli(["sources", "list"], env)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: database error: "), result.output
    assert "no such table: source" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_sources_schedules_read_back_as_typed_and_stay_in_range(sqlite_url: str) -> None:
    env = cli_env(sqlite_url)
    for i, every in enumerate(["90s", "30m", "2h", "1d", "366d"]):
        added = run_cli(["sources", "add", f"http://127.0.0.1:9/s{i}/", "--every", every], env)
        assert added.exit_code == 0, added.output
    listed = run_cli(["sources", "list"], env).output
    assert [line.split("\t")[2] for line in listed.splitlines()] == [
        "every 90s", "every 30m", "every 2h", "every 1d", "every 366d"]  # 90s was 'every 1m'
    too_rare = run_cli(["sources", "add", "http://127.0.0.1:9/rare/", "--every", "99999999d"],
                       env)
    assert too_rare.exit_code == 1, too_rare.output  # was stored, then a crawl's traceback
    assert too_rare.output.strip() == ("error: the interval '99999999d' is over the maximum "
                                       "of 366 days")


@pytest.mark.parametrize("args", [["crawl", "--source"], ["export", "--source"],
                                  ["reextract", "--source"], ["sources", "remove"]])
def test_a_source_id_past_the_integer_range_is_bad_usage(database_url: str,
                                                         args: list[str]) -> None:
    """On PostgreSQL such an id reached the database: a DataError traceback, exit 1."""
    result = run_cli([*args, "99999999999"], cli_env(database_url))
    assert result.exit_code == 2, result.output
    assert "not in the range 1<=x<=2147483647" in result.output


def test_a_cron_expression_that_never_fires_is_refused(sqlite_url: str) -> None:
    env = cli_env(sqlite_url)
    never = run_cli(["sources", "add", "http://127.0.0.1:9/feb/", "--cron", "0 0 31 2 *"], env)
    assert never.exit_code == 1, never.output
    assert never.output.strip() == "error: the cron expression '0 0 31 2 *' never fires"
    leap = run_cli(["sources", "add", "http://127.0.0.1:9/leap/", "--cron", "0 0 29 2 *"], env)
    assert leap.exit_code == 0, leap.output
