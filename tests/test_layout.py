"""The house's import rules: rooms import only the rooms below them, and no cycle runs between them."""

import ast
from pathlib import Path

import moderation

PACKAGE = Path(moderation.__file__).parent
# Each room and the rooms it may import (docs/DESIGN.md draws the same map).
ALLOWED = {
    "models": set(),
    "plumbing": {"models"},
    "intake": set(),
    "matching": set(),
    "mailbox": set(),
    "notices": {"mailbox", "intake"},
    "accounts": {"plumbing", "models"},
    "library": {"plumbing", "models", "intake"},
    "replies": {"plumbing", "models"},
    "cases": {"plumbing", "models", "notices", "accounts", "replies"},
    "reports": {"plumbing", "models", "intake", "library", "replies", "cases"},
    "provenance": {"plumbing", "models", "intake", "matching", "library", "cases", "reports"},
    "photos": {"plumbing", "models", "intake", "library", "cases", "reports", "provenance"},
    "mailroom": {"plumbing", "models", "mailbox", "notices", "library", "replies", "cases",
                 "provenance", "photos"},
}
# The top of the house: they may import any room, and no room imports them.
TOP = {"web", "commands", "demo", "__init__", "cli", "gunicorn_conf"}


def room_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def imported_rooms(path: Path) -> set[str]:
    """Rooms a module imports, lazily or not (relative and absolute imports alike)."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = here[:-1]
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else ()
            target = [*base, *(node.module.split(".") if node.module else [])]
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            target, names = [], [alias.name for alias in node.names]
            for name in names:
                if name.startswith("moderation."):
                    rooms.add(name.split(".")[1])
            continue
        else:
            continue
        if target[:1] != ["moderation"]:
            continue
        if len(target) > 1:
            rooms.add(target[1])
        else:  # from moderation import x, y: each name is a room or a name of the app factory
            rooms.update(names)
    return rooms


def modules():
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def test_every_room_imports_only_the_rooms_below_it():
    wrong = []
    for path in modules():
        room = room_of(path)
        if room in TOP:
            continue
        assert room in ALLOWED, f"{path}: a room the import rules do not know"
        for other in imported_rooms(path) - {room}:
            if other not in ALLOWED[room]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {other}")
    assert wrong == []


def test_the_rooms_import_each_other_without_a_cycle():
    # Allowed imports may not run in a circle either (a rule added later must keep this).
    order, seen = [], set()

    def visit(room, path):
        assert room not in path, f"cycle: {' -> '.join([*path, room])}"
        if room in seen:
            return
        for below in sorted(ALLOWED[room]):
            visit(below, (*path, room))
        seen.add(room)
        order.append(room)

    for room in ALLOWED:
        visit(room, ())
    assert set(order) == set(ALLOWED)


def test_at_most_ten_modules_stay_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 10, top


def test_every_room_says_what_it_is_for_and_its_import_rules():
    for room in ALLOWED:
        doc = ast.get_docstring(ast.parse((PACKAGE / room / "__init__.py").read_text("utf-8")))
        doc = " ".join((doc or "").split())
        assert "May import:" in doc and "Imported by:" in doc, room
