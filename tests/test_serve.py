"""`clerk serve` listens on this machine only unless told otherwise, watches no files, and finds the app
wherever Clerk is installed."""
import shutil
import subprocess
import sys
import zipfile

from assistant import cli
from conftest import ROOT


def test_serve_listens_on_127_0_0_1_without_a_file_watcher(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr("subprocess.call", lambda command, env: calls.append((command, env)) or 0)
    assert cli.main(["serve", "--store", str(tmp_path), "--port", "8600"]) == 0
    command, env = calls[0]
    options = dict(zip(command[5::2], command[6::2]))
    assert command[4] == str(ROOT / "app.py")
    assert options["--server.address"] == "127.0.0.1" and options["--server.port"] == "8600"
    assert options["--server.fileWatcherType"] == "none"
    assert env["CLERK_STORE"] == str(tmp_path)
    assert capsys.readouterr().out.startswith("Clerk is starting at http://127.0.0.1:8600")
    assert not list(tmp_path.iterdir())  # the app makes the store when it needs one, not the command


def test_serving_every_interface_without_a_password_is_warned_of(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("subprocess.call", lambda command, env: 0)
    monkeypatch.delenv("CLERK_APP_PASSWORD", raising=False)
    assert cli.main(["serve", "--address", "0.0.0.0", "--store", str(tmp_path)]) == 0
    assert "CLERK_APP_PASSWORD" in capsys.readouterr().err


def test_the_wheel_carries_the_app_and_clerk_serve_finds_it_outside_the_checkout(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".*", "tests", "corpus", "benchmarks", "build",
                                                                 "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path / "dist"), str(source)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("clerk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"clerk_app/app.py", "clerk_app/pages_app/ask.py", "clerk_app/pages_app/common.py",
            "assistant/data/vocabulary.tsv", "assistant/cli.py",
            "assistant/data/councils.tsv", "assistant/data/abstention.json"} <= names
    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    found = subprocess.run([sys.executable, "-c", "from assistant.cli import _app_file; print(_app_file())"],
                           cwd=tmp_path, env={"PYTHONPATH": str(installed)}, capture_output=True, text=True)
    assert found.stdout.strip() == str(installed / "clerk_app" / "app.py"), found.stderr
