"""The desktop studio (PySide6). Talks to the runtime; never to engines or torch."""
