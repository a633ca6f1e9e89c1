"""Benchmarks: each module measures one newslens method against a human-labelled data set.

Run them as ``python -m benchmarks.NAME``; each reads its data set by path (see README.md) and
never copies it into the project.
"""
