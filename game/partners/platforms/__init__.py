"""Partner platforms and their keys: register, rotate with an overlap, revoke."""
