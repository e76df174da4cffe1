"""Optional downloaders of official data (online only).

Nothing in the application needs them: the embedded data and files brought
by hand are enough. When online, they fetch fresh official files, and fail
with a French message saying what to do when the network is unreachable.
"""
