"""The sandbox: Rembug in a web chat on this machine, with a demo cluster, no token, no internet.

It sits above the flows: ``demo`` writes the demo cluster through the storage repositories and
the flows' own rules (the first meeting's invitations, the committee's first digest), and
``process`` runs the real bot (``bot.app.serve``) against the Bot API emulator with its web chat.
Nothing in ``bot/`` or ``conversations/`` imports this package. ``python -m sandbox`` is its command.
"""

from sandbox.process import DEFAULT_DATABASE, DEFAULT_PORT, Sandbox, people_file, reset, run_sandbox, what_to_try

__all__ = ["DEFAULT_DATABASE", "DEFAULT_PORT", "Sandbox", "people_file", "reset", "run_sandbox", "what_to_try"]
