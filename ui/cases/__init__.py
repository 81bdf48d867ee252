"""The case list (ärendelista) and creating a case from an aktualisering."""
