"""What several handler areas say the same way, so that no area imports another."""
