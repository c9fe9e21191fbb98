"""Power saving programmes: peak-hour demand-response events and bill-drop vouchers."""
