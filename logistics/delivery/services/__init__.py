"""Delivery use cases (writes): ``zones`` (checks, GeoJSON), ``fleet`` (couriers, vehicles),
``windows`` (generation, shifts and the capacity they give), ``bookings`` (hold, convert,
release, expire, change), ``addresses`` (the BAN import)."""
