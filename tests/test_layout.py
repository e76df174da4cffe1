"""The tree of ess_geo shows its architecture (DESIGN.md, "Layout").

The import layers themselves are checked by ``lint-imports`` (``make lint``,
contracts in pyproject.toml); these tests keep the tree readable.
"""

import ast
import importlib

import pytest

from ess_geo import paths

PACKAGE = paths.ROOT / "ess_geo"
MODULES = sorted(PACKAGE.rglob("*.py"))
SUBPACKAGES = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))


def _name(path):
    parts = path.relative_to(paths.ROOT).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_every_subpackage_re_exports_names_that_resolve(package):
    module = importlib.import_module(f"ess_geo.{package}")
    assert module.__all__, f"ess_geo.{package} has an empty __all__"
    assert len(set(module.__all__)) == len(module.__all__)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"ess_geo.{package}.__all__ names what it lacks: {missing}"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_is_longer_than_800_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 800, f"{_name(path)} has {lines} lines: split it"


def test_at_most_ten_modules_at_the_top_of_the_package():
    top = sorted(p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(top) <= 10, f"ess_geo/ holds {len(top)} modules: {top}"


def _imported_roots(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module.split(".")[0]


def test_only_ess_geo_ui_imports_streamlit():
    ui = PACKAGE / "ui"
    offenders = [
        _name(path)
        for path in MODULES
        if ui not in path.parents
        and {"streamlit", "streamlit_folium"} & set(_imported_roots(path))
    ]
    assert offenders == []


def _modules_of(package):
    folder = PACKAGE / package
    for path in sorted(folder.glob("*.py")):
        if path.stem == "__init__" or path.stem.startswith("_"):
            continue
        if (package, path.stem) == ("sources", "cli"):  # the command group
            continue
        yield importlib.import_module(f"ess_geo.{package}.{path.stem}")


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_every_public_name_of_a_module_is_re_exported_by_its_package(package):
    # Left out, and reached through their module: names of a submodule (a
    # re-export would hide it) and names two modules define differently.
    init = importlib.import_module(f"ess_geo.{package}")
    modules = list(_modules_of(package))
    submodules = {m.__name__.rsplit(".", 1)[1] for m in modules}
    owners = {}
    for module in modules:
        for name in module.__all__:
            owners.setdefault(name, set()).add(id(getattr(module, name)))
    missing = [
        f"{module.__name__}.{name}"
        for module in modules
        for name in module.__all__
        if name not in init.__all__
        and name not in submodules
        and len(owners[name]) == 1
    ]
    assert missing == []
    hidden = [name for name in init.__all__ if name in submodules]
    assert hidden == [], f"ess_geo.{package} re-exports names of submodules"


@pytest.mark.parametrize(
    "path", [*sorted((paths.ROOT / "views").glob("*.py")), paths.ROOT / "app.py"]
)
def test_pages_hold_no_bare_expression_streamlit_magic_would_show(path):
    # Streamlit's "magic" writes a bare string or value of a page script on
    # the page (a misplaced docstring did); pages write with st.* calls.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documented = [tree] + [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    docstrings = {
        id(node.body[0]) for node in documented if ast.get_docstring(node) is not None
    }
    bare = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and not isinstance(node.value, ast.Call | ast.Await)
        and id(node) not in docstrings
    ]
    assert bare == []
