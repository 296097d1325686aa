"""The Streamlit explorer of the therapy knowledge graph."""
