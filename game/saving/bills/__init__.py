"""Bill-drop vouchers: a monthly bill lower than last year earns a voucher."""
