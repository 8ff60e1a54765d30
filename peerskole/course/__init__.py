"""The course format: models, loader and authoring helpers.

Plain Python; never imports textual.
"""
