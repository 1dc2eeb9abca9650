"""The built-in renderers, each a plugin registered exactly like a third-party one."""
