"""environment.yml (for conda users) pins what pyproject.toml pins."""

import re
import tomllib

import yaml
from support.server import ROOT


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    pins = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        assert version, f"pyproject.toml: {requirement} is not pinned with =="
        pins[normal(name)] = version
    return pins


def environment_pins() -> dict[str, str]:
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for entry in spec["dependencies"]:
        if isinstance(entry, dict):
            for requirement in entry.get("pip", []):
                name, _, version = requirement.partition("==")
                pins[normal(name)] = version
        else:
            name, _, version = entry.partition("=")
            if normal(name) not in ("python", "pip"):
                pins[normal(name)] = version
    return pins


def test_every_pin_agrees():
    assert environment_pins() == pyproject_pins()


def test_environment_uses_the_same_python():
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in spec["dependencies"]
    assert 'requires-python = ">=3.11,<3.12"' in (ROOT / "pyproject.toml").read_text()
