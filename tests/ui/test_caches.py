"""The cached workspace tables follow the workspace, restores included."""

import contextlib

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
