"""Writes of the town app, one module per use: ``applications``, ``assist``, ``content``,
``newsletter``, ``plans``. Import the functions from their module."""
