"""The workspace.

Store, journal and undo, loading, editing, dedup, backup, staff login, networks.
"""
