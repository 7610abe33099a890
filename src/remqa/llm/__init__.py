"""Optional LLM backends: building the client, the prompt, streaming generation, and the
figure check that keeps only sentences whose figures their cited passages hold.

Uses `answering` (figures, binding) for the check. Client libraries are imported only when a
backend is configured.
"""
