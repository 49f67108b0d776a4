"""Pages of the town app: the manager's space under ``/gestion/`` (every view through
``manager_view``) and the public pages (« Rejoindre Halle », the town's page, the newsletter)."""
