"""Access events, the tamper-evident hash chain and the FG's views; content-free by construction."""
