"""The framework every source runs on: configuration, HTTP, snapshots, the source contract, loading and publication.

Nothing here knows about a particular source or about the value chain; ``tests/test_boundaries.py`` holds it to that.
"""
