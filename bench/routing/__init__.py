"""Route-planning benchmark on public VRPTW / PDPTW instances (see ``__main__``)."""
