"""The remqa benchmark suite behind bench/run.py: one module per thing it measures."""
