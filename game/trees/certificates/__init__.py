"""Certificates: the images of plantings and donations, and their public verification."""
