"""Pages of the Streamlit explorer."""
