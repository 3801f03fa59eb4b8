"""The dashboard in the browser: server-rendered pages, SVG charts, people's sign-in."""
