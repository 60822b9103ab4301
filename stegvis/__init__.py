"""Stegvis: planning, financing and follow-up for Swedish samordningsförbund."""
