"""The structural work's models, one module per area."""
