"""Small pieces every Halle app shares (base models, health tasks)."""
