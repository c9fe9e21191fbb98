"""Friends: requests, friendships, blocks, and finding players."""
