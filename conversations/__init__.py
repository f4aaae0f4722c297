"""One package per thing a user does. Each exposes ``register(application)``.

Order matters inside PTB's handler group 0: the first handler that accepts an
update takes it. Flows come first; ``start.register_catch_alls`` comes last
and answers whatever no flow took (unknown commands, stray text, stale buttons).
"""

from conversations import (
    access_log,
    annual_plan,
    brainstorm,
    broadcasts,
    cluster_map,
    committee,
    dues,
    meetings,
    membership,
    messages,
    money,
    my_data,
    newsletter,
    organisation,
    plans,
    privacy,
    start,
    supporters,
    survey,
    tasks,
)

FLOWS = (
    membership,
    meetings,
    survey,
    brainstorm,
    plans,
    broadcasts,
    organisation,
    annual_plan,
    money,
    newsletter,
    cluster_map,
    supporters,
    dues,
    tasks,
    committee,
    messages,
    privacy,
    access_log,
    my_data,
    start,
)

__all__ = ["FLOWS"]
