"""Write-side use cases of logistics: slot generation (``slots``) and slot holds (``holds``)."""
