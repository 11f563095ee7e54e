"""The cooperative's dashboard: its batches, listings and stock, under /seller/."""
