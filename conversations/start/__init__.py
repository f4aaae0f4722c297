"""/start, /menu, /help, /cancel, /language, and the answers to anything no flow took."""

from conversations.start.handlers import register, register_catch_alls

__all__ = ["register", "register_catch_alls"]
