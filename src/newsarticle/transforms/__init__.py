"""The built-in transforms, each a plugin registered exactly like a third-party one."""
