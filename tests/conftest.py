"""Shared pytest set-up: plots draw off-screen inside the test process only."""

import matplotlib

matplotlib.use("Agg")
