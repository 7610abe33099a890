"""The browser chat: the Gradio app and the HTML/Markdown rendering of answers and sources.

Uses `assistant` (the public API) and `index.serving` (the serving lock); nothing below
imports it, and `import remqa` does not load Gradio.
"""
