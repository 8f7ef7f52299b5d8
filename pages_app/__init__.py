"""The app's pages: thin Streamlit code over the assistant package (see app.py)."""
