"""Terminal views of the cascade. Views build lines; `terminal` prints them."""
