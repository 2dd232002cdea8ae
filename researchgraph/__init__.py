"""Research Graph: the service entry (settings, ASGI app, CLI) over the three card folders."""
