"""Welfare: protected areas adopted and public-welfare projects funded with donated energy."""
