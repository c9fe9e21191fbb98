"""The low-carbon store: items, store credit, redemption, vouchers and merchants."""
