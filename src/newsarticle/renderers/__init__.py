"""The built-in formats (renderers, and collection formats that write many articles into one output), each a
plugin registered exactly like a third-party one."""
