// Loads PPC64 ELF images (see GuestELF.swift).
