"""Creating, unlocking and re-unlocking (after the idle lock) the encrypted profile."""
