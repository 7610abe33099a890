"""`remqa serve`: one FastAPI app on one port serving the browser chat (Gradio, mounted at /),
an OpenAI-compatible API (/v1) and plain JSON (/api/ask). May import chat and everything
below it; nothing below imports it."""
