"""Sample python function: greets whoever the event names."""
import platform


def handle(event):
    name = (event or {}).get("name", "world") if isinstance(event, dict) else "world"
    return {"greeting": f"Hello, {name}!", "python": platform.python_version()}
