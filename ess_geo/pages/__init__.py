"""Each page's state and view model, pure Python that pytest runs without Streamlit."""
