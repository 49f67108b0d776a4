"""Forms of the town app, one module per area (``applications``, ``content``, ``logistics``,
``assist``, ``plans``): they check what a person typed and say what is wrong in French;
the services check again."""
