"""Geography shared by the location analyses: where a cell was at a time, distances,
sector shapes."""
