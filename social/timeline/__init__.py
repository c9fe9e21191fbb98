"""The interaction timeline: who stole from, watered or helped whom, and when."""
