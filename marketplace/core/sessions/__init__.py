"""Django's database session stores in fewer round trips (``SESSION_ENGINE`` names one module).

Outside a transaction (every request: ``ATOMIC_REQUESTS`` is off) a session is
written with its one INSERT or UPDATE, without the BEGIN/COMMIT pair Django's
store wraps around it, and a new session key is not looked up first: the
primary key refuses a clash (``CreateError``) and Django then draws another key.
Inside a transaction Django's own savepoint is kept, so a clash cannot break the
caller's transaction.
"""
