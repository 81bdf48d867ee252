"""Schema migrations, one SQL file each: ``NNNN_name.sql``, applied in order, forward only."""
