"""Tree species: the catalog, prices in energy and the growth stages of a virtual tree."""
