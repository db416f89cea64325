"""Extraction stage: spaCy components that turn a Doc into mentions, relations and events."""
