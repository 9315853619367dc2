"""The shape every later app copies: no import circles, one layout per domain app, and an
architecture page that names only what exists. (The direction of imports is checked by
``lint-imports`` against ``.importlinter``.)"""

import re
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[2]
DOMAIN_APPS = (
    "complaints",
    "customers",
    "sla",
    "insights",
    "language",
    "notifications",
    "exports",
    "documents",
    "administration",
    "resolutions",
    "approvals",
    "sanbao",
    "carmaker",
    "calls",
    "followups",
    "worklist",
    "care",
    "appointments",
    "assistant",
    "improvements",
    "reports",
)
LAYOUT = ("models.py", "choices.py", "api.py", "views.py", "urls.py", "apps.py")


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_import_graph_has_no_circle():
    graph = grimp.build_graph("kesu")
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle():
    """The check above can fail: two modules importing each other are reported."""
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(graph) == [["pkg.a", "pkg.b"]]


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_domain_app_has_the_same_layout(app):
    folder = REPO / "kesu" / app
    missing = [name for name in LAYOUT if not (folder / name).is_file()]
    if not ((folder / "services.py").is_file() or (folder / "services" / "__init__.py").is_file()):
        missing.append("services.py (or services/)")
    if not (folder / "templates" / app).is_dir():
        missing.append(f"templates/{app}/")
    if not list((folder / "tests").glob("test_*.py")):
        missing.append("tests/test_*.py")
    assert missing == [], f"kesu/{app} lacks {missing}"


@pytest.mark.parametrize("app", ("complaints", "customers", "organizations"))
def test_apps_that_others_read_have_selectors(app):
    assert (REPO / "kesu" / app / "selectors.py").is_file()


def test_the_ground_floor_has_no_pages_of_the_domain():
    """web/ keeps the base template, static assets and page helpers only."""
    web = REPO / "kesu" / "web"
    assert not (web / "views.py").exists()
    templates = sorted(p.name for p in (web / "templates" / "web").glob("*.html"))
    assert templates == [
        "404.html",
        "500.html",
        "503.html",
        "_field.html",
        "base.html",
        "error.html",
        "forbidden.html",
        "login.html",
    ]


def test_every_path_the_architecture_page_names_exists():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:kesu/)?[a-z_]+/[\w/.<>]*\.(?:py|html|md|toml))`", text))
    assert named, "the page names no paths"
    missing = sorted(p for p in named if not (REPO / (p if p.startswith("kesu/") else f"kesu/{p}")).exists())
    assert missing == []
