"""Small database helpers shared by the apps."""
from __future__ import annotations

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete


def queryset_known_empty(queryset: QuerySet) -> QuerySet:
    """``queryset.none()`` that also knows its (empty) result: Django compiles the SQL of
    an empty queryset each time it is read before finding there is nothing to run, a
    cost paid on every add to a new basket. Clones (``filter()``…) behave as ``none()``."""
    empty = queryset.none()
    empty._result_cache = []
    empty._prefetch_done = True
    return empty


def row_counter_increment(model: type[Model], *, key: str, value, counter: str) -> None:
    """Add 1 to ``counter`` of ``model``'s row whose unique field ``key`` is ``value``,
    inserting the row (other fields at their defaults) if there is none.

    One ``INSERT … ON CONFLICT (key) DO UPDATE`` statement: no read-then-insert race
    between two first counts, and no queryset to build on a hot path.
    """
    meta = model._meta
    connection, table, columns, values = _insert_parts(model(**{key: value, counter: 1}))
    quote = connection.ops.quote_name
    column = quote(meta.get_field(counter).column)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(values))}) "
        f"ON CONFLICT ({quote(meta.get_field(key).column)}) DO UPDATE SET {column} = {table}.{column} + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def _insert_parts(instance: Model):
    """The connection, quoted table, quoted columns and prepared values that insert
    ``instance`` (its primary key only when it is set)."""
    model = type(instance)
    connection = connections[router.db_for_write(model, instance=instance)]
    meta = model._meta
    fields = [
        f for f in meta.concrete_fields
        if not getattr(f, "generated", False) and (not f.primary_key or getattr(instance, f.attname) is not None)
    ]
    columns, values = [], []
    for field in fields:
        value = field.pre_save(instance, add=True)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"{meta.label}.{field.name}: plain values only, not {value!r}")
        columns.append(connection.ops.quote_name(field.column))
        values.append(field.get_db_prep_save(value, connection=connection))
    return connection, connection.ops.quote_name(meta.db_table), columns, values


def row_insert_unless_exists(instance: Model) -> bool:
    """Insert ``instance`` unless a row with one of its unique values exists; ``True`` if inserted.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING pk`` statement, where
    ``get_or_create`` takes a SELECT and, inside a transaction, a savepoint
    around its INSERT: no savepoint is needed since a conflict does not break
    the transaction. Concurrent inserts of the same unique values wait for each
    other, as with the unique index alone. On success ``instance.pk`` is set;
    otherwise the caller reads the existing row. No ``pre_save``/``post_save``
    signals are sent (like ``bulk_create``), and ``auto_now`` fields are filled.
    """
    meta = type(instance)._meta
    connection, table, columns, values = _insert_parts(instance)
    pk_column = connection.ops.quote_name(meta.pk.column)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(values))}) ON CONFLICT DO NOTHING RETURNING {pk_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    setattr(instance, meta.pk.attname, meta.pk.to_python(row[0]))
    instance._state.adding = False
    instance._state.db = connection.alias
    return True


# Reference rows (a payment source type, a payment event type) found by their natural key:
# their id, kept per process once the row is known to be committed.
_reference_ids: dict[tuple, int] = {}


def reference_row_id(model: type[Model], *, lookup: dict, defaults: dict | None = None) -> int:
    """The id of ``model``'s row matching ``lookup`` (created with ``defaults`` if missing).

    Read once per process: the id is kept only when it was read or created outside a
    transaction (so the row is committed, never one a rollback could take away), and
    forgotten when such a row is deleted or the database flushed (``post_migrate``).
    """
    using = router.db_for_write(model)
    key = (using, model._meta.label, tuple(sorted(lookup.items())))
    row_id = _reference_ids.get(key)
    if row_id is not None:
        return row_id
    post_delete.connect(reference_ids_forget, sender=model, dispatch_uid=f"reference_ids_forget:{key[1]}")
    row, _created = model._default_manager.db_manager(using).get_or_create(**lookup, defaults=defaults or {})
    if not connections[using].in_atomic_block:
        _reference_ids[key] = row.pk
    return row.pk


def reference_ids_forget(**kwargs) -> None:
    """Receiver of ``post_delete`` (a row may be gone) and ``post_migrate`` (a flush)."""
    sender = kwargs.get("sender")
    label = getattr(getattr(sender, "_meta", None), "label", None)
    if label is None or kwargs.get("signal") is not post_delete:
        _reference_ids.clear()
        return
    for key in [k for k in _reference_ids if k[1] == label]:
        del _reference_ids[key]
