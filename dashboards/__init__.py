"""The year-over-year dashboard: a Streamlit app over the published marts (read-only)."""
