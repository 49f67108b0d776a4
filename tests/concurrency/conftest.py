import pytest
from celery import _state as celery_state


@pytest.fixture(autouse=True)
def _celery_join_flag_restored():
    """Restore Celery's process-wide "inside a task" flag after each test.

    Eager tasks (``CELERY_TASK_ALWAYS_EAGER`` in tests) set and reset that one
    global flag around each run; when threads run eager tasks at the same time
    (an order placed per thread sends its notifications after commit), they can
    leave it set, and a later test's ``result.get()`` on a real worker then
    refuses with "Never call result.get() within a task!".
    """
    before = celery_state.task_join_will_block()
    yield
    celery_state._set_task_join_will_block(before)
