"""The layout's rules that import-linter cannot state by itself."""

import tomllib
from pathlib import Path

import msgspec

ROOT = Path(__file__).parent.parent
LAYERS = ("domain", "infra", "projections", "service")


class Contract(msgspec.Struct, frozen=True):
    type: str
    protected_modules: list[str] = []
    allowed_importers: list[str] = []


def protected_contracts() -> list[Contract]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = msgspec.convert(config["tool"]["importlinter"]["contracts"], list[Contract])
    return [c for c in contracts if c.type == "protected"]


def test_every_private_module_has_a_contract_that_keeps_it_in_its_package() -> None:
    private = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for layer in LAYERS
        for path in (ROOT / layer).rglob("_*.py")
        if not path.name.startswith("__")
    }
    assert "domain._text" in private
    covered = {}
    for contract in protected_contracts():
        for module in contract.protected_modules:
            covered[module] = contract.allowed_importers
    missing = sorted(private - covered.keys())
    assert not missing, f"add a protected contract to pyproject.toml for {missing}"
    for module in private:
        package = module.rsplit(".", 1)[0]
        assert package in covered[module], f"{module} must be importable from {package}"
