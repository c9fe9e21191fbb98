"""Virtual trees that become real plantings, certificates, co-planting, land, donations (§2.6)."""
