"""Live progress: who takes part, what counted, completions, rewards, boards, settlement."""
