"""The gate of partner calls: signature, replay refusal, rate limit, and the audit log."""
