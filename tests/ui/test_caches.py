"""The cached workspace tables follow the workspace, restores included."""

import contextlib
import threading
import time

from ess_geo import ui
from ess_geo.workspace import backup, editing, seeding, store


def test_cached_networks_follow_a_restored_backup(workspace_path):
    with contextlib.closing(store.connect(workspace_path)) as conn:
        seeding.seed_workspace(conn, size=300, seed=5)  # revision 1
        saved = backup.backup_bytes(conn)
        everyone = len(store.read_networks(conn))
        assert len(ui.network_tables()[0]) == everyone
        editing.delete_network(conn, int(store.read_networks(conn).index[0]))
        assert store.revision(conn).audit_id == 2
        assert len(ui.network_tables()[0]) == everyone - 1

    backup.restore(saved, path=workspace_path)  # back to audit id 2

    with contextlib.closing(store.connect(workspace_path)) as conn:
        assert store.revision(conn).audit_id == 2
        assert len(store.read_networks(conn)) == everyone
    assert len(ui.network_tables()[0]) == everyone


def test_a_visit_during_the_first_start_says_it_waits(monkeypatch, tmp_path):
    """A second visitor while the demo is built gets a toast, then the workspace."""
    from ess_geo.ui import caches

    path = str(tmp_path / "first.sqlite")
    toasts = []
    toasted = threading.Event()

    def toast(text, **_options):
        toasts.append(text)
        toasted.set()

    monkeypatch.setattr(caches.st, "toast", toast)

    def built_elsewhere(*_args, **_kwargs):
        raise AssertionError("the workspace is built once, by the first visit")

    monkeypatch.setattr(caches.seeding, "open_workspace", built_elsewhere)
    first_visit_done = threading.Event()

    def first_visit():  # holds the lock while it builds, then says it is ready
        with caches._PREPARING:
            first_visit_done.wait(5)
            caches._READY.add(path)

    builder = threading.Thread(target=first_visit)
    builder.start()
    try:
        deadline = time.monotonic() + 5
        while not caches._PREPARING.locked() and time.monotonic() < deadline:
            time.sleep(0.01)
        waiting = threading.Thread(target=caches._prepare, args=(path,))
        waiting.start()
        assert toasted.wait(5)
        assert waiting.is_alive()  # it waits for the first visit
        first_visit_done.set()
        waiting.join(5)
        assert not waiting.is_alive()
    finally:
        first_visit_done.set()
        builder.join(5)
        caches._READY.discard(path)
    assert toasts == [
        "En attente : une autre visite a lancé sa création… Première ouverture : "
        "l'espace de démonstration se crée, une quinzaine de secondes au plus."
    ]
